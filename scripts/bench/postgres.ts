/**
 * A throwaway PostgreSQL for the benchmarks (`--backend postgresql`): FerretDB v1 on its PostgreSQL backend
 * evaluates equality filters on any field in PostgreSQL, where the SQLite backend that `npm run dev` and the
 * tests use pushes down only a filter of exactly `{_id}` and parses every document for anything else.
 *
 * Not for tests or CI. It listens on a unix socket in a temporary directory only (no TCP port), runs as an
 * unprivileged user (PostgreSQL refuses root; under root the `postgres` account, else `nobody`), and is stopped
 * by its PID. Durability is off (fsync, synchronous commit): the data is thrown away at the end.
 *
 * Two settings make FerretDB's pushed-down filters use our indexes (docs/performance.md, "PostgreSQL backend"):
 * - FerretDB creates each index as a btree on `(_jsonb -> 'field')`, but filters with `_jsonb -> $1 @> $2`,
 *   which a btree cannot answer. An event trigger gives every such index a GIN twin on the same expressions,
 *   which can (MongoDB answers the same equality from its btree).
 * - The field name is a bind parameter, so PostgreSQL's generic plan of the prepared statement matches no
 *   index expression; `plan_cache_mode = force_custom_plan` plans each execution with its values.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { chown, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalMongo, type LocalMongo } from '../../src/store/local-server';

export interface LocalPostgres {
  /** For FerretDB's `-postgresql-url`: the unix socket directory as the host. */
  url: string;
  pid: number;
  /** utime + stime of the server and its backends so far, in microseconds (Linux). */
  cpuMicros(): Promise<number | null>;
  /** Runs one SQL statement in FerretDB's database through psql and returns its unaligned output. */
  sql(statement: string): string;
  stop(): Promise<void>;
}

const GIN_MIRROR = `
CREATE FUNCTION bench_gin_mirror() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
  cols text;
BEGIN
  FOR r IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), ', ' ORDER BY k) INTO cols
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam,
           generate_series(1, i.indnatts) k
     WHERE i.indexrelid = r.objid AND am.amname = 'btree';
    -- Only FerretDB's field indexes; the GIN index it creates here does not come back (not btree).
    IF cols LIKE '%_jsonb -> %' THEN
      EXECUTE format('CREATE INDEX ON %s USING gin (%s) WITH (fastupdate = off)',
                     (SELECT i.indrelid::regclass FROM pg_index i WHERE i.indexrelid = r.objid), cols);
    END IF;
  END LOOP;
END $$;
CREATE EVENT TRIGGER bench_gin_mirror ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION bench_gin_mirror();
`;

function binDir(): string {
  // initdb on PATH is often a link into the version's bin directory, which also holds psql.
  const onPath = (process.env.PATH ?? '').split(':').find((d) => d && existsSync(path.join(d, 'initdb')));
  if (onPath) return path.dirname(realpathSync(path.join(onPath, 'initdb')));
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(base, v, 'bin')).find((d) => existsSync(path.join(d, 'initdb')));
  if (!found) throw new Error('--backend postgresql needs PostgreSQL (initdb, postgres, psql) on PATH');
  return found;
}

function unprivileged(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  }
  throw new Error('running as root and neither a postgres nor a nobody account exists to run PostgreSQL');
}

function exec(cmd: string, args: string[], user: { uid: number; gid: number } | undefined, cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', ...user });
  if (r.status !== 0)
    throw new Error(`${path.basename(cmd)} failed: ${(r.stderr || r.stdout || String(r.error ?? '')).trim()}`);
  return r.stdout;
}

async function procCpu(pid: number, withReapedChildren: boolean): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime (fields 14, 15) and cutime, cstime (16, 17) in clock ticks, 100 per second on Linux.
  const ticks = Number(f[11]) + Number(f[12]) + (withReapedChildren ? Number(f[13]) + Number(f[14]) : 0);
  return (ticks / 100) * 1e6;
}

async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[1]) === pid) out.push(Number(name));
  }
  return out;
}

export async function startLocalPostgres(opts: { log?: (line: string) => void } = {}): Promise<LocalPostgres> {
  const bin = binDir();
  const user = unprivileged();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mappa-bench-pg-'));
  if (user) await chown(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const role = 'bench';
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      process.kill(child.pid, 'SIGINT'); // fast shutdown: disconnects clients, no checkpoint wait for them
      const timeout = setTimeout(() => child?.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    exec(path.join(bin, 'initdb'), ['-D', data, '-U', role, '--auth=trust', '-E', 'UTF8', '--no-locale'], user, dir);
    child = spawn(
      path.join(bin, 'postgres'),
      [
        ...['-D', data, '-k', dir, '-c', 'listen_addresses='],
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        ...['-c', 'plan_cache_mode=force_custom_plan', '-c', 'max_connections=200'],
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], ...user },
    );
    let stderrTail = '';
    child.stderr?.on('data', (b: Buffer) => {
      stderrTail = (stderrTail + b.toString()).slice(-1000);
      opts.log?.(`postgres: ${b.toString().trim()}`);
    });
    const psql = (db: string, sql: string) =>
      exec(path.join(bin, 'psql'), ['-h', dir, '-U', role, '-d', db, '-v', 'ON_ERROR_STOP=1', '-qc', sql], user, dir);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`postgres exited while starting (code ${child.exitCode}): ${stderrTail}`);
      try {
        psql('postgres', 'SELECT 1');
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    psql('postgres', 'CREATE DATABASE ferretdb');
    psql('ferretdb', GIN_MIRROR);
    const pid = child.pid!;
    // A bench that dies without reaching its finally must not leave a server behind (FerretDB exits
    // with its parent by itself; PostgreSQL does not).
    process.once('exit', () => {
      if (child?.exitCode === null) process.kill(pid, 'SIGINT');
    });
    return {
      url: `postgres://${role}@/ferretdb?host=${encodeURIComponent(dir)}`,
      pid,
      async cpuMicros() {
        try {
          let total = await procCpu(pid, true);
          for (const c of await childrenOf(pid)) total += await procCpu(c, false).catch(() => 0);
          return total;
        } catch {
          return null;
        }
      },
      sql: (statement) =>
        exec(
          path.join(bin, 'psql'),
          ['-h', dir, '-U', role, '-d', 'ferretdb', '-v', 'ON_ERROR_STOP=1', '-qAtc', statement],
          user,
          dir,
        ).trim(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The local server for a benchmark: FerretDB on SQLite (the default, as `npm run dev` and the tests run it), or on
 * a throwaway PostgreSQL with `backend: 'postgresql'`. `stop` ends both, by PID.
 */
export async function startBenchServer(opts: {
  dataDir: string;
  backend?: string;
  serialize?: string;
  cpuProfileDir?: string;
}): Promise<LocalMongo & { postgres?: LocalPostgres }> {
  if (opts.backend !== undefined && opts.backend !== 'sqlite' && opts.backend !== 'postgresql')
    throw new Error('--backend must be sqlite or postgresql');
  const postgres = opts.backend === 'postgresql' ? await startLocalPostgres() : undefined;
  try {
    const local = await startLocalMongo({
      dataDir: opts.dataDir,
      ...(opts.serialize !== undefined ? { serialize: opts.serialize } : {}),
      ...(postgres ? { postgresqlUrl: postgres.url } : {}),
      ...(opts.cpuProfileDir !== undefined ? { cpuProfileDir: opts.cpuProfileDir } : {}),
    });
    return {
      ...local,
      ...(postgres ? { postgres } : {}),
      stop: async () => {
        await local.stop();
        await postgres?.stop();
      },
    };
  } catch (err) {
    await postgres?.stop();
    throw err;
  }
}
