import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { z } from 'zod';

const FERRETDB_VERSION = 'v1.24.2';
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

type Log = (line: string) => void;

/** A running local MongoDB-compatible server (FerretDB on SQLite), bound to 127.0.0.1. */
export interface LocalMongo {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

/** Walks up to package.json so the cache path is the same from src/ (tsx, jest) and dist/src/ (compiled). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** The name carries a hash of the launcher's sources so editing them can never reuse a stale binary. */
function binaryPath(): string {
  const toolDir = path.join(repoRoot(), 'tools', 'ferretdb');
  const hash = createHash('sha256');
  const sources = readdirSync(toolDir).filter(
    (f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum' || f === PATCHES_FILE,
  );
  const added = readdirSync(path.join(toolDir, PATCHES_DIR)).map((f) => path.join(PATCHES_DIR, f));
  for (const file of [...sources, ...added].sort()) hash.update(file).update(readFileSync(path.join(toolDir, file)));
  const exe = process.platform === 'win32' ? '.exe' : '';
  const name = `ferretdb-${FERRETDB_VERSION}-${hash.digest('hex').slice(0, 12)}${exe}`;
  return path.join(repoRoot(), '.cache', 'ferretdb', name);
}

const PATCHES_FILE = 'patches.json';
/** Go files the patches add to the module; `_` keeps Go's own tools (`./...`, `go mod tidy`) out of it. */
const PATCHES_DIR = '_patches';

/** tools/ferretdb/patches.json: edits to FerretDB's own sources, each with the reason it is needed. */
const PatchesSchema = z.object({
  why: z.string().min(1),
  module: z.string().min(1),
  edits: z
    .array(
      z.object({
        file: z
          .string()
          .regex(/^[\w./-]+$/)
          .refine((f) => !f.split('/').includes('..'), 'must stay inside the module'),
        find: z.string().min(1),
        replace: z.string(),
        count: z.number().int().positive(),
      }),
    )
    .min(1),
  add: z
    .array(
      z.object({
        from: z.string().regex(/^_patches\/[\w.-]+\.go$/),
        to: z
          .string()
          .regex(/^[\w./-]+\.go$/)
          .refine((f) => !f.split('/').includes('..'), 'must stay inside the module'),
      }),
    )
    .default([]),
});

/**
 * Copies the module's sources into `dest` and applies the edits. An edit that no longer matches
 * exactly `count` times (a FerretDB upgrade) stops the build rather than running an unpatched server.
 */
async function patchedModule(
  moduleDir: string,
  dest: string,
  patches: z.infer<typeof PatchesSchema>,
  toolDir: string,
): Promise<void> {
  await cp(moduleDir, dest, { recursive: true });
  // The module cache is read-only, and so is a straight copy of it.
  await chmod(dest, 0o755);
  for (const entry of await readdir(dest, { recursive: true, withFileTypes: true })) {
    await chmod(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
  for (const edit of patches.edits) {
    const file = path.join(dest, edit.file);
    const text = await readFile(file, 'utf8');
    const found = text.split(edit.find).length - 1;
    if (found !== edit.count) {
      throw new Error(`${PATCHES_FILE}: expected ${edit.count} match(es) in ${edit.file}, found ${found}`);
    }
    await writeFile(file, text.split(edit.find).join(edit.replace));
  }
  for (const file of patches.add) {
    const to = path.join(dest, file.to);
    if (existsSync(to)) throw new Error(`${PATCHES_FILE}: ${file.to} already exists in the module`);
    await cp(path.join(toolDir, file.from), to);
  }
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString();
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output, stdout }));
  });
}

/**
 * Returns the path of the cached FerretDB binary, building it from tools/ferretdb on first use.
 * Throws a one-line Error when Go is missing, because without it there is no local server to offer.
 */
export async function ensureFerretDbBinary(opts: { log?: Log } = {}): Promise<string> {
  const bin = binaryPath();
  if (existsSync(bin)) return bin;

  const toolDir = path.join(repoRoot(), 'tools', 'ferretdb');
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };
  try {
    await run('go', ['version'], toolDir, env);
  } catch {
    throw new Error('No MongoDB-compatible server available: install Go (to build FerretDB) or set MONGODB_URI');
  }

  await mkdir(path.dirname(bin), { recursive: true });
  // A build killed half-way must never be mistaken for a finished binary, and two
  // concurrent first runs must not write the same file.
  const tmp = `${bin}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const work = `${tmp}-work`;
  const started = Date.now();
  opts.log?.(`building FerretDB ${FERRETDB_VERSION} (first run only, about a minute)…`);
  // go.sum already pins every module; only the online checksum lookup is skipped, never the pin.
  const go = async (args: string[]): Promise<string> => {
    let result = await run('go', args, toolDir, env);
    if (result.code !== 0 && /verifying /.test(result.output) && !/checksum mismatch/.test(result.output)) {
      opts.log?.('checksum database unreachable; retrying with GOSUMDB=off (go.sum still enforced)');
      result = await run('go', args, toolDir, { ...env, GOSUMDB: 'off' });
    }
    if (result.code !== 0) throw new Error(`building FerretDB failed (go ${args[0]}):\n${result.output.trim()}`);
    // Progress ("go: downloading …") goes to stderr; callers parse stdout only.
    return result.stdout;
  };
  try {
    const patches = PatchesSchema.parse(JSON.parse(readFileSync(path.join(toolDir, PATCHES_FILE), 'utf8')));
    const downloaded = z
      .object({ Dir: z.string().min(1) })
      .parse(JSON.parse(await go(['mod', 'download', '-json', patches.module])));
    const source = path.join(work, 'module');
    await patchedModule(downloaded.Dir, source, patches, toolDir);
    // The checked-in go.mod stays as it is; the build reads a copy that points the module at the patched sources.
    const modfile = path.join(work, 'go.mod');
    await cp(path.join(toolDir, 'go.mod'), modfile);
    await cp(path.join(toolDir, 'go.sum'), path.join(work, 'go.sum'));
    await go(['mod', 'edit', `-modfile=${modfile}`, `-replace=${patches.module}=${source}`]);
    await go(['build', `-modfile=${modfile}`, '-o', tmp, '.']);
    await rename(tmp, bin);
  } finally {
    await rm(tmp, { force: true });
    await rm(work, { recursive: true, force: true });
  }
  // Each edit of the launcher leaves a 35 MB binary behind; keep only the current one.
  for (const name of await readdir(path.dirname(bin))) {
    if (name !== path.basename(bin) && !name.includes('.tmp-'))
      await rm(path.join(path.dirname(bin), name), { force: true });
  }
  opts.log?.(`built FerretDB in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const done = exited(child);
  process.kill(child.pid, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, STOP_GRACE_MS, 'timeout').unref());
  if ((await Promise.race([done, timer])) === 'timeout') {
    process.kill(child.pid, 'SIGKILL');
    await done;
  }
}

/** Resolves with the URI the server prints once its listener is bound (it picks the port when asked for 0). */
function announcedUri(child: ChildProcess, stderrTail: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      const uri = line.trim();
      if (/^mongodb:\/\/127\.0\.0\.1:\d+\/$/.test(uri)) resolve(uri);
      else reject(new Error(`FerretDB announced an unexpected URI: ${uri}`));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`FerretDB exited before listening (code ${code}, signal ${signal}): ${stderrTail()}`)),
    );
  });
}

async function waitForPing(uri: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('FerretDB exited while starting');
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.close();
    }
  }
  throw new Error(`FerretDB did not answer ping within ${READY_TIMEOUT_MS / 1000} s: ${String(lastError)}`);
}

/**
 * Starts FerretDB on 127.0.0.1 with its SQLite files in `dataDir` and resolves once it answers `ping`.
 * The server also exits by itself if this process dies, so a killed run leaves no orphan.
 */
export async function startLocalMongo(opts: {
  dataDir: string;
  port?: number;
  log?: Log;
  /** The proxy's locking (tools/ferretdb/serialize.go); benchmarks compare them, everything else takes the default. */
  serialize?: string;
  /** Benchmarks only (scripts/bench/postgres.ts): FerretDB on this local PostgreSQL instead of SQLite. */
  postgresqlUrl?: string;
  /** Benchmarks only: each pair of SIGUSR1s to the server writes a Go CPU profile here (tools/ferretdb/profile.go). */
  cpuProfileDir?: string;
}): Promise<LocalMongo> {
  const bin = await ensureFerretDbBinary({ log: opts.log });
  await mkdir(opts.dataDir, { recursive: true });

  const port = opts.port ?? 0;
  const args = ['-listen-addr', `127.0.0.1:${port}`, '-sqlite-dir', opts.dataDir];
  if (opts.serialize !== undefined) args.push(`-serialize=${opts.serialize}`);
  if (opts.postgresqlUrl !== undefined) args.push('-postgresql-url', opts.postgresqlUrl);
  if (opts.cpuProfileDir !== undefined) args.push('-cpu-profile-dir', opts.cpuProfileDir);
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderrTail = '';
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail = (stderrTail + '\n' + line).slice(-2000);
    opts.log?.(`ferretdb: ${line}`);
  });

  try {
    const uri = await announcedUri(child, () => stderrTail.trim());
    await waitForPing(uri, child);
    return { uri, pid: child.pid!, stop: () => stopChild(child) };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}
