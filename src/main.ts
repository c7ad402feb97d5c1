import { createAdapter, messagesHandler } from './bot/adapter';
import { MappaBot } from './bot/mappa.bot';
import { ConfigError, loadConfig, redactedConfigSummary, type Config } from './config/config';
import { createHttpServer } from './http/server';
import { createLogger, type Logger } from './config/logger';
import { BOT_STATE_COLLECTION, MongoBotStorage } from './store/bot-state.storage';
import { DatabaseUnavailableError, connectMongo } from './store/mongo';

export interface RunningApp {
  readonly port: number;
  stop(): Promise<void>;
}

/** Composition root: config → MongoDB → storage → bot → HTTP. */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const mongo = await connectMongo({
    uri: config.MONGODB_URI,
    dbName: config.MONGODB_DB,
    timeoutMs: config.MONGODB_CONNECT_TIMEOUT_MS,
    collections: [BOT_STATE_COLLECTION],
  });
  const storage = new MongoBotStorage(mongo.db);
  const adapter = createAdapter(config, logger);
  const bot = new MappaBot({ storage, protectiveMarking: config.PROTECTIVE_MARKING, areaName: 'your MAPPA area' });
  const http = createHttpServer({ handleMessages: messagesHandler(adapter, bot), logger, dbReady: () => mongo.ping() });
  const { port } = await http.listen(config.PORT, config.HOST);
  logger.info({ port, host: config.HOST }, 'listening');

  let stopping: Promise<void> | undefined;
  return {
    port,
    stop: () =>
      (stopping ??= (async () => {
        const drained = await http.drain(config.SHUTDOWN_GRACE_MS);
        if (!drained) logger.warn('shutdown grace period ended with turns still in flight');
        await mongo.close();
        logger.info('stopped');
      })()),
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  logger.info({ config: redactedConfigSummary(config) }, 'starting');
  let app: RunningApp;
  try {
    app = await startApp(config, logger);
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  void main();
}
