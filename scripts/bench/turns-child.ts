/**
 * One bot under `npm run bench:turns`, in its own process so its latency, CPU and RSS are its own:
 * `app` is the real composition root started as tests/support/app.ts starts it; `echo` is a bare
 * botbuilder bot on the same adapter and HTTP server, with no storage. The parent talks over IPC.
 */
import { ActivityHandler } from 'botbuilder';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import type * as Adapter from '../../src/bot/adapter';
import type * as Config from '../../src/config/config';
import type * as Logger from '../../src/config/logger';
import type * as Server from '../../src/http/server';
import type * as Main from '../../src/main';

const mode = process.argv[2];
const env = JSON.parse(process.argv[3] ?? '{}') as Record<string, string>;
// --built: the compiled bot in dist/ (as `npm start` runs it) rather than the sources through tsx.
const base = path.resolve(__dirname, '..', '..', process.argv[4] === 'built' ? 'dist/src' : 'src');
/* eslint-disable @typescript-eslint/no-require-imports -- the same modules from src/ or dist/, chosen at run time */
const { createAdapter, messagesHandler } = require(path.join(base, 'bot/adapter')) as typeof Adapter;
const { loadConfig } = require(path.join(base, 'config/config')) as typeof Config;
const { createLogger } = require(path.join(base, 'config/logger')) as typeof Logger;
const { createHttpServer } = require(path.join(base, 'http/server')) as typeof Server;
const { startApp } = require(path.join(base, 'main')) as typeof Main;
/* eslint-enable @typescript-eslint/no-require-imports */

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
      } else if (msg.type === 'heap') {
        // A full collection first, so what is left is what the process still holds (a leak grows it).
        void inspector.post('HeapProfiler.collectGarbage').then(() => {
          const m = process.memoryUsage();
          process.send?.({ type: 'heap', rss: m.rss, heapUsed: m.heapUsed });
        });
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
