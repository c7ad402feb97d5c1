/**
 * `npm run bench:memory`: the resident memory of the built bot at idle, as `npm start` runs it.
 *
 * Builds first (the npm script runs `npm run build`), starts the local database unless MONGODB_URI names
 * one, starts `node dist/src/main.js` with the scheduler on (as in production), waits for /readyz, then
 * reads VmRSS from /proc/<pid>/status after --settle seconds (10 by default) and prints it, with the
 * number of modules the process loaded at start-up and which of the heavy ones, read from a second,
 * identical start with a module-count preload. Linux only. Not a test: nothing here runs in CI.
 *
 * Options: --settle 10  --runs 3 (the median is the figure; each run is a fresh process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startNodeArgs } from './start-args';
import { startLocalMongo, type LocalMongo } from '../../src/store/local-server';

const root = path.resolve(__dirname, '..', '..');
const TENANT = '11111111-1111-4111-8111-111111111111';
/** Packages big enough to matter at idle; the report says which of them start-up loaded. */
const HEAVY = [
  'docx',
  'date-holidays',
  'adaptivecards-templating',
  'botbuilder-dialogs',
  'adaptive-expressions',
  'jose',
  '@azure/msal-node',
  'croner',
];

async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as net.AddressInfo;
  s.close();
  await once(s, 'close');
  return port;
}

/** Resident set size of `pid` in MB, from the kernel. */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) / 1024;
}

async function startBuilt(
  uri: string,
  port: number,
  extraArgs: string[] = [],
): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(process.execPath, [...startNodeArgs(), ...extraArgs, path.join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'development',
      BOT_AUTH: 'none',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      MONGODB_URI: uri,
      MONGODB_DB: `bench_memory_${Date.now().toString(36)}`,
      ALLOWED_TENANT_IDS: TENANT,
    },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the bot exited while starting:\n${out}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return { child, out: () => out };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the bot did not become ready:\n${out}`);
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { settle: { type: 'string', default: '10' }, runs: { type: 'string', default: '3' } },
  });
  const settle = Number(values.settle);
  const runs = Number(values.runs);
  let local: LocalMongo | undefined;
  let dataDir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mappa-bench-memory-'));
    local = await startLocalMongo({ dataDir });
    uri = local.uri;
  }
  try {
    const figures: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { child } = await startBuilt(uri, await freePort());
      await new Promise((r) => setTimeout(r, settle * 1000));
      figures.push(await rssMb(child.pid!));
      await stop(child);
      process.stderr.write(`  run ${i + 1}: ${figures.at(-1)!.toFixed(1)} MB\n`);
    }
    // What start-up loaded: the same start with a preload that prints the module cache on request.
    const { child, out } = await startBuilt(uri, await freePort(), [
      '--require',
      path.join(__dirname, 'memory-preload.cjs'),
    ]);
    child.kill('SIGUSR2');
    for (let i = 0; i < 50 && !out().includes('"modules"'); i++) await new Promise((r) => setTimeout(r, 100));
    await stop(child);
    const line = out()
      .split('\n')
      .find((l) => l.includes('"modules"'));
    const loaded = line ? (JSON.parse(line) as { modules: number; packages: string[] }) : undefined;
    const heavy = loaded ? HEAVY.filter((p) => loaded.packages.includes(p)) : [];
    const sorted = [...figures].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log('| run | idle RSS MB |');
    console.log('| --: | ----------: |');
    figures.forEach((f, i) => console.log(`| ${i + 1} | ${f.toFixed(1)} |`));
    console.log(
      `bench:memory — idle RSS of the built bot ${median.toFixed(1)} MB (median of ${runs}, ${settle} s after ready; ` +
        `target 150 MB); ${loaded?.modules ?? '?'} modules loaded at start; heavy packages loaded at start: ` +
        `${heavy.length ? heavy.join(', ') : 'none'}; load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
  } finally {
    await local?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
