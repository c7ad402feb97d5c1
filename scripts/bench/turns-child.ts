/**
 * One bot under `npm run bench:turns`, in its own process so its latency, CPU and RSS are its own:
 * `app` is the real composition root started as tests/support/app.ts starts it; `echo` is a bare
 * botbuilder bot on the same adapter and HTTP server, with no storage. The parent talks over IPC.
 */
import { ActivityHandler } from 'botbuilder';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { Writable } from 'node:stream';
import { createAdapter, messagesHandler } from '../../src/bot/adapter';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/config/logger';
import { createHttpServer } from '../../src/http/server';
import { startApp } from '../../src/main';

const mode = process.argv[2];
const env = JSON.parse(process.argv[3] ?? '{}') as Record<string, string>;

// Commands the driver sends on its own (monitoring, sessions) are not the turn's work.
const HOUSEKEEPING = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'buildInfo', 'saslStart']);
const commands = new Map<string, number>();

// Bench-only command monitoring: every client the app opens reports the commands it sends.
const connect = MongoClient.prototype.connect;
MongoClient.prototype.connect = function (this: MongoClient) {
  // The setter exists at run time though the typings omit it; connections made after this see it.
  (this as unknown as { monitorCommands: boolean }).monitorCommands = true;
  this.on('commandStarted', (e: CommandStartedEvent) => {
    if (HOUSEKEEPING.has(e.commandName)) return;
    const command = e.command as Record<string, unknown>;
    // getMore names its collection in a field of its own; its first value is the cursor id.
    const collection = e.commandName === 'getMore' ? command.collection : command[e.commandName];
    const key = `${e.commandName}:${String(collection)}`;
    commands.set(key, (commands.get(key) ?? 0) + 1);
  });
  return connect.call(this);
};

const silent = new Writable({ write: (_c, _e, cb) => cb() });

async function start(): Promise<{ port: number; stop: () => Promise<void> }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    BOT_AUTH: 'none',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
    ...env,
  });
  const logger = createLogger(config.LOG_LEVEL, silent);
  if (mode === 'app') return startApp(config, logger);
  const adapter = createAdapter(config, logger);
  const echo = new ActivityHandler();
  echo.onMessage(async (context, next) => {
    await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
    await next();
  });
  const http = createHttpServer({
    handleMessages: messagesHandler(adapter, echo, logger),
    logger,
    dbReady: async () => true,
  });
  const { port } = await http.listen(0, '127.0.0.1');
  return { port, stop: async () => void (await http.drain(1000)) };
}

// A bench that dies must not leave its bots running.
process.on('disconnect', () => process.exit(0));

void start().then(
  (running) => {
    const inspector = new Session();
    inspector.connect();
    process.on('message', (msg: { type: string; file?: string }) => {
      if (msg.type === 'profile') {
        // Only the measured window, not start-up or the bench's setup turns.
        void (async () => {
          if (msg.file) {
            const { profile } = await inspector.post('Profiler.stop');
            await writeFile(msg.file, JSON.stringify(profile));
          } else {
            await inspector.post('Profiler.enable');
            await inspector.post('Profiler.start');
          }
          process.send?.({ type: 'profiled' });
        })();
      } else if (msg.type === 'stats') {
        process.send?.({
          type: 'stats',
          rss: process.memoryUsage().rss,
          cpuMicros: process.cpuUsage().user + process.cpuUsage().system,
          commands: Object.fromEntries(commands),
        });
      } else if (msg.type === 'stop') {
        void running.stop().finally(() => process.exit(0));
      }
    });
    process.send?.({ type: 'ready', port: running.port });
  },
  (e: unknown) => {
    process.stderr.write(`bench child (${mode}) failed to start: ${String(e)}\n`);
    process.exit(1);
  },
);
