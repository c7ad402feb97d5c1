/**
 * Runs the real bot (`tsx src/main.ts`) as a child process for e2e tests, with BOT_AUTH=none so the
 * Agents Playground (which sends no token) can talk to it. Bound to 127.0.0.1 and guarded by
 * child-watchdog.cjs, so it exits by itself if the test run dies.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { freePort, watchdogPath } from '../../../scripts/lib/playground';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const tsxPath = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

export interface BotProcess {
  /** Messaging endpoint to give the playground. */
  endpoint: string;
  url: string;
  pid: number;
  /** Last lines of stdout/stderr, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startBotProcess(opts: {
  env: Record<string, string>;
  port?: number;
  readyTimeoutMs?: number;
  ttlMs?: number;
}): Promise<BotProcess> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', `--require ${JSON.stringify(watchdogPath)}`].join(' ').trim();
  const child = spawn(tsxPath, ['src/main.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      BOT_AUTH: 'none',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...opts.env,
      NODE_OPTIONS: nodeOptions,
      WATCHDOG_TTL_MS: String(opts.ttlMs ?? 15 * 60 * 1000),
      WATCHDOG_PARENT_PID: String(process.pid),
    },
  });
  if (child.pid === undefined) throw new Error(`could not start ${tsxPath}`);
  const pid = child.pid;
  let log = '';
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit');
  let gone = false;
  void exited.then(() => (gone = true));

  const stop = async () => {
    if (gone) return;
    process.kill(pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      process.kill(pid, 'SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (gone) throw new Error(`bot exited early:\n${log}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`bot not ready at ${url}/readyz:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { endpoint: `${url}/api/messages`, url, pid, output: () => log, stop };
}
