import { ensureArea } from './app/area-setup';
import { resolveCaller } from './app/identity';
import { systemClock } from './app/ports/clock.port';
import { createAdapter, messagesHandler } from './bot/adapter';
import { MappaBot } from './bot/mappa.bot';
import { allowedTenants, ConfigError, loadConfig, redactedConfigSummary, type Config } from './config/config';
import { createLogger, type Logger } from './config/logger';
import { createHttpServer } from './http/server';
import { BOT_STATE_COLLECTION, MongoBotStorage } from './store/bot-state.storage';
import { CONVERSATION_COLLECTIONS, MongoConversationDirectory } from './store/conversation.repository';
import { ALL_COLLECTIONS, createRepositories } from './store';
import { DatabaseUnavailableError, connectMongo } from './store/mongo';

export interface RunningApp {
  readonly port: number;
  stop(): Promise<void>;
}

/** Composition root: config → MongoDB → repositories → use cases → bot → HTTP. */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const mongo = await connectMongo({
    uri: config.MONGODB_URI,
    dbName: config.MONGODB_DB,
    timeoutMs: config.MONGODB_CONNECT_TIMEOUT_MS,
    collections: [BOT_STATE_COLLECTION, ...CONVERSATION_COLLECTIONS, ...ALL_COLLECTIONS],
  });
  try {
    const repos = createRepositories(mongo.db, systemClock);
    const tenants = allowedTenants(config);
    const area = await ensureArea(repos.members, {
      id: config.MAPPA_AREA_ID,
      name: config.MAPPA_AREA_NAME,
      jurisdiction: config.MAPPA_JURISDICTION,
      tenantId: tenants[0]!,
    });
    const bot = new MappaBot({
      storage: new MongoBotStorage(mongo.db),
      protectiveMarking: config.PROTECTIVE_MARKING,
      areaName: area.name,
      areaId: area.id,
      identify: (ids) =>
        resolveCaller(
          ids,
          {
            findMember: async (tenantId, aadObjectId) => {
              const m = await repos.members.getMember(tenantId, aadObjectId);
              return m.ok && m.value.areaId === area.id ? m.value : null;
            },
          },
          { areaId: area.id, allowedTenantIds: tenants, bootstrapAdminAadIds: config.BOOTSTRAP_ADMIN_AAD_IDS },
        ),
      conversations: new MongoConversationDirectory(mongo.db),
      members: { members: repos.members, areaId: area.id },
      audit: repos.audit,
      cases: repos.cases,
      logger,
    });
    const adapter = createAdapter(config, logger);
    const http = createHttpServer({
      handleMessages: messagesHandler(adapter, bot),
      logger,
      dbReady: () => mongo.ping(),
      ...(config.ADMIN_API_TOKEN_SHA256
        ? {
            auditVerify: {
              tokenSha256: config.ADMIN_API_TOKEN_SHA256,
              verify: () => repos.audit.verifyAuditChain(area.id),
            },
          }
        : {}),
    });
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
  } catch (e) {
    await mongo.close();
    throw e;
  }
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
