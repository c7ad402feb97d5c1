/**
 * `npm run dev`: local database (unless MONGODB_URI is set), the bot on :3978 and the Microsoft 365
 * Agents Playground pointed at it. Ctrl-C stops all three.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { startLocalMongo, type LocalMongo } from '../src/store/local-server';
import { startPlayground, watchdogPath, type Playground } from './lib/playground';

const root = path.resolve(__dirname, '..');
const BOT_PORT = Number(process.env.PORT ?? 3978);
const PLAYGROUND_PORT = Number(process.env.PLAYGROUND_PORT ?? 56150);

/** Tenant and signed-in user of .m365agentsplayground.yml, so the playground user is let in as admin. */
function playgroundIdentity(): { tenantId: string; aadObjectId: string } {
  const yml = fs.readFileSync(path.join(root, '.m365agentsplayground.yml'), 'utf8');
  const tenantId = /^tenantId:\s*(\S+)/m.exec(yml)?.[1] ?? '';
  const aadObjectId = /currentUser:[\s\S]*?aadObjectId:\s*(\S+)/m.exec(yml)?.[1] ?? '';
  return { tenantId, aadObjectId };
}

async function main(): Promise<void> {
  let db: LocalMongo | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    db = await startLocalMongo({
      dataDir: path.join(root, '.data', 'db'),
      port: 0,
      log: (l) => console.log(`[db] ${l}`),
    });
    uri = db.uri;
    console.log(`[db] local MongoDB-compatible server at ${uri} (data in .data/db)`);
  }
  const ids = playgroundIdentity();
  const bot = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      MONGODB_URI: uri,
      PORT: String(BOT_PORT),
      BOT_AUTH: process.env.BOT_AUTH ?? 'none',
      ALLOWED_TENANT_IDS: process.env.ALLOWED_TENANT_IDS ?? ids.tenantId,
      BOOTSTRAP_ADMIN_AAD_IDS: process.env.BOOTSTRAP_ADMIN_AAD_IDS ?? ids.aadObjectId,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(watchdogPath)}`.trim(),
      WATCHDOG_TTL_MS: String(24 * 60 * 60 * 1000),
      WATCHDOG_PARENT_PID: String(process.pid),
    },
  });
  const botExited = once(bot, 'exit');

  const running: { playground?: Playground } = {};
  const stopAll = async (code: number) => {
    await running.playground?.stop().catch(() => undefined);
    if (bot.exitCode === null && bot.pid !== undefined) {
      process.kill(bot.pid, 'SIGTERM');
      await botExited;
    }
    await db?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  void botExited.then(() => {
    console.error('[dev] the bot stopped; shutting down');
    void stopAll(1);
  });

  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${BOT_PORT}/readyz`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const playground = await startPlayground({
    botEndpoint: `http://127.0.0.1:${BOT_PORT}/api/messages`,
    port: PLAYGROUND_PORT,
    ttlMs: 24 * 60 * 60 * 1000,
  });
  running.playground = playground;
  console.log(`\n  Bot:        http://127.0.0.1:${BOT_PORT}/api/messages`);
  console.log(`  Playground: ${playground.url}   (open it in a browser; Ctrl-C stops everything)\n`);
}

main().catch((err: unknown) => {
  console.error(`[dev] ${(err as Error).message}`);
  process.exit(1);
});
