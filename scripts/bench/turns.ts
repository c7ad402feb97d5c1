/**
 * `npm run bench:turns`: turns per second and latency of the real bot over its HTTP endpoint, on the
 * local database, against a bare botbuilder echo bot measured the same way in the same run.
 *
 * The bot and the echo bot each run in a child process (scripts/bench/turns-child.ts); this process
 * drives them with realistic Teams activities from enrolled users and plays the Bot Connector
 * (tests/support/connector.ts), which the bots reply to over HTTP as they would to Teams.
 *
 * Options: --levels 1,16,64  --seconds 4  --only help,members  --profile (a V8 CPU profile of each
 * measured level, the same profiler as `node --cpu-prof`, written to .cache/bench/<scenario>-<level>.cpuprofile;
 * open it in Chrome DevTools)  --repeat 3 (the whole run again against the same bot process, printing its
 * RSS after each repeat, to see whether it grows)  --built (both bots from dist/, as `npm start` runs them:
 * `npm run build` first).
 * After every repeat the audit chain is verified and must hold exactly the audited actions sent
 * (scripts/bench/nothing-lost.ts); the process exits non-zero when it does not.  MONGODB_URI uses that server instead of starting the local one;
 * FERRETDB_SERIALIZE=all|writes|off picks the local server's locking (tools/ferretdb/serialize.go).
 * --backend postgresql runs that local FerretDB on a throwaway PostgreSQL (scripts/bench/postgres.ts), whose
 * pushed-down filters use our indexes, instead of SQLite (the default, as `npm run dev` and the tests use).
 * Not a test: nothing here runs in CI.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import ts from 'typescript';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { LocalMongo } from '../../src/store/local-server';
import {
  BOT_ID,
  cardAction,
  FOREIGN_TENANT_ID,
  inChannel,
  message,
  TENANT_ID,
  type UserRef,
} from '../../tests/support/activities';
import { startFakeConnector, type FakeConnector } from '../../tests/support/connector';
import { createRepositories } from '../../src/store';
import { unwrap } from '../../src/lib/result';
import { aNewCase, aNewMeeting, aRequestActor } from '../../tests/fixtures/builders';
import { aLevelDecision } from '../../tests/fixtures/domain-builders';
import { startBenchServer, type LocalPostgres } from './postgres';
import { checkNothingLost, recordSent, type AuditLedger, type NothingLost } from './nothing-lost';
import { startNodeArgs } from './start-args';

const root = path.resolve(__dirname, '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const LEVELS = (arg('levels') ?? '1,16,64').split(',').map(Number);
const SECONDS = Number(arg('seconds') ?? 4);
const ONLY = arg('only')?.split(',');
const PROFILE = process.argv.includes('--profile');
const REPEAT = Number(arg('repeat') ?? 1);
const BUILT = process.argv.includes('--built');
const BACKEND = arg('backend') ?? 'sqlite';
if (BACKEND !== 'sqlite' && BACKEND !== 'postgresql') throw new Error('--backend must be sqlite or postgresql');
const MAX_CONVERSATIONS = Math.max(...LEVELS);
/** Teams retries a message after 15 s; a turn slower than that is counted, and still waited for. */
const TEAMS_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// Children

interface Child {
  readonly name: string;
  readonly url: string;
  readonly process: ChildProcess;
  stats(): Promise<{ rss: number; cpuMicros: number; commands: Record<string, number> }>;
  /** RSS and V8 heap in use after a full garbage collection. */
  heap(): Promise<{ rss: number; heapUsed: number }>;
  /** Starts the V8 CPU profiler, or stops it and writes the profile to `file`. */
  profile(file?: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * turns-child.ts as JavaScript, for --built: it imports only packages and (by path, at run time) the
 * compiled bot, so transpiling the one file is enough. Written beside the other bench output, at the
 * same depth as scripts/bench, so its paths to dist/ and node_modules resolve the same.
 */
async function builtChild(): Promise<string> {
  const out = path.join(root, '.cache', 'bench', 'turns-child.js');
  const source = await readFile(path.join(__dirname, 'turns-child.ts'), 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: 'turns-child.ts',
  }).outputText;
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, js);
  return out;
}

async function startChild(mode: 'app' | 'echo', env: Record<string, string>): Promise<Child> {
  // The bot under test runs with `npm start`'s node options when built, and with
  // --app-node-args '--max-old-space-size=192' when given (the echo bot with neither).
  const appArgs = arg('app-node-args')?.split(' ').filter(Boolean) ?? (BUILT ? startNodeArgs() : []);
  // Built, both bots run as plain node (the child itself transpiled), so their memory is not tsx's.
  const execArgv = [...(BUILT ? [] : ['--import', 'tsx']), ...(mode === 'app' ? appArgs : [])];
  const script = BUILT ? await builtChild() : path.join(__dirname, 'turns-child.ts');
  const child = fork(script, [mode, JSON.stringify(env), BUILT ? 'built' : 'src'], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ type: string; port: number }>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the ${mode} bot exited while starting (code ${code})`)));
  });
  if (ready.type !== 'ready') throw new Error(`${mode} did not start`);
  let waiting: Array<(s: { rss: number; cpuMicros: number; commands: Record<string, number> }) => void> = [];
  let profiled: Array<() => void> = [];
  let heaped: Array<(h: { rss: number; heapUsed: number }) => void> = [];
  child.on('message', (m: { type: string; rss: number; cpuMicros: number; commands: Record<string, number> }) => {
    if (m.type === 'stats') {
      const w = waiting;
      waiting = [];
      w.forEach((resolve) => resolve(m));
    } else if (m.type === 'heap') {
      const w = heaped;
      heaped = [];
      w.forEach((resolve) => resolve(m as unknown as { rss: number; heapUsed: number }));
    } else if (m.type === 'profiled') {
      const w = profiled;
      profiled = [];
      w.forEach((resolve) => resolve());
    }
  });
  return {
    name: mode,
    url: `http://127.0.0.1:${ready.port}`,
    process: child,
    stats: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.send({ type: 'stats' });
      }),
    heap: () =>
      new Promise((resolve) => {
        heaped.push(resolve);
        child.send({ type: 'heap' });
      }),
    profile: (file) =>
      new Promise((resolve) => {
        profiled.push(resolve);
        child.send({ type: 'profile', file });
      }),
    stop: async () => {
      const exited = once(child, 'exit');
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Load

/** Keep-alive connections, as the Bot Framework service keeps them to a bot. */
async function post(url: string, activity: object): Promise<{ status: number; body: string }> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}

interface Scenario {
  readonly name: string;
  readonly bot: 'app' | 'echo';
  /** Untimed work before each timed turn (starting a referral before answering its first question). */
  prepare?(conversation: number, url: string): Promise<void>;
  /** The timed turn; resolves true when the bot answered as it should. */
  turn(conversation: number, url: string): Promise<boolean>;
  /** The audit kinds (scripts/bench/nothing-lost.ts) one turn that answered as it should appends. */
  readonly audits?: readonly string[];
  /** How many timed turns at most per level (a pool of fresh notifications runs out). */
  readonly limit?: (level: number) => number;
  /** Untimed, after the scenario's last level: leaves the conversations as they were before it. */
  cleanup?(url: string): Promise<void>;
}

interface Row {
  scenario: string;
  level: number;
  turns: number;
  failed: number;
  slow: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  rssMb: number;
  dbOpsPerTurn: number | null;
  /** CPU time per timed turn of the bot's process and of the local database server (untimed preparation included). */
  botCpuMs: number;
  dbCpuMs: number | null;
}

/** Audited actions the bench has sent, per kind, and so should find in the chain. */
const sent: AuditLedger = new Map();
function audited(s: Scenario, ok: boolean): void {
  if (ok) for (const kind of s.audits ?? []) recordSent(sent, kind);
}

const quantile = (sorted: number[], q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** CPU seconds the local database server has used so far (Linux), or null when it is not ours or not readable. */
let dbPid: number | undefined;
const PROFILE_DIR = path.join(root, '.cache', 'bench');
let dbProfiles = 0;

/**
 * --profile on the local server: a SIGUSR1 starts its Go CPU profile, the next one writes it
 * (tools/ferretdb/profile.go), here renamed after the window it covers (`go tool pprof -top <file>`).
 */
async function dbProfile(name?: string): Promise<void> {
  if (dbPid === undefined) return;
  process.kill(dbPid, 'SIGUSR1');
  if (name === undefined) return;
  dbProfiles += 1;
  const written = path.join(PROFILE_DIR, `ferretdb-${dbProfiles}.pprof`);
  // The server writes the profile when it sees the signal; wait until the file stops growing.
  let size = -1;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await stat(written).then(
      (st) => st.size,
      () => -1,
    );
    if (now > 0 && now === size) break;
    size = now;
  }
  await rename(written, path.join(PROFILE_DIR, `${name}.ferretdb.pprof`)).catch(() => undefined);
}
let postgres: LocalPostgres | undefined;
async function dbCpuMicros(): Promise<number | null> {
  const own = await ferretCpuMicros();
  if (own === null || !postgres) return own;
  const pg = await postgres.cpuMicros();
  return pg === null ? null : own + pg;
}
async function ferretCpuMicros(): Promise<number | null> {
  if (dbPid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${dbPid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) / 100) * 1e6;
  } catch {
    return null;
  }
}

async function runLevel(s: Scenario, child: Child, level: number): Promise<Omit<Row, 'rssMb' | 'dbOpsPerTurn'>> {
  const limit = s.limit?.(level) ?? Infinity;
  // One warm-up turn per conversation (JIT, connection pools, first state documents), not counted.
  await Promise.all(
    Array.from({ length: level }, async (_, c) => {
      if (limit === Infinity) {
        await s.prepare?.(c, child.url);
        audited(s, await s.turn(c, child.url));
      }
    }),
  );
  const times: number[] = [];
  let failed = 0;
  let slow = 0;
  let started = 0;
  const cpuBefore = (await child.stats()).cpuMicros;
  const dbBefore = await dbCpuMicros();
  const begin = performance.now();
  const deadline = begin + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: level }, async (_, c) => {
      while (performance.now() < deadline && started < limit) {
        started += 1;
        await s.prepare?.(c, child.url);
        const t0 = performance.now();
        const ok = await s.turn(c, child.url).catch(() => false);
        const ms = performance.now() - t0;
        audited(s, ok);
        times.push(ms);
        if (!ok) failed += 1;
        if (ms > TEAMS_TIMEOUT_MS) slow += 1;
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  const botCpuMs = ((await child.stats()).cpuMicros - cpuBefore) / 1000 / Math.max(1, times.length);
  const dbAfter = await dbCpuMicros();
  const dbCpuMs =
    dbBefore === null || dbAfter === null || child.name === 'echo'
      ? null
      : (dbAfter - dbBefore) / 1000 / Math.max(1, times.length);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    scenario: s.name,
    level,
    turns: times.length,
    failed,
    slow,
    // Turns with untimed preparation are paced by it; throughput counts only the timed part.
    seconds: s.prepare ? times.reduce((a, b) => a + b, 0) / 1000 / level : seconds,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    botCpuMs,
    dbCpuMs,
  };
}

/** Database commands per timed turn, one conversation at a time so nothing else is counted. */
async function dbOpsPerTurn(s: Scenario, child: Child, samples = 10): Promise<{ perTurn: number; by: string }> {
  const by = new Map<string, number>();
  let total = 0;
  let turns = 0;
  for (let i = 0; i < samples; i++) {
    await s.prepare?.(0, child.url);
    // Fire-and-forget work of the previous turn has landed before counting starts.
    await new Promise((r) => setTimeout(r, 30));
    const before = (await child.stats()).commands;
    audited(s, await s.turn(0, child.url));
    await new Promise((r) => setTimeout(r, 30));
    const after = (await child.stats()).commands;
    for (const [k, v] of Object.entries(after)) {
      const d = v - (before[k] ?? 0);
      if (d > 0) {
        by.set(k, (by.get(k) ?? 0) + d);
        total += d;
      }
    }
    turns += 1;
  }
  const breakdown = [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}×${+(v / turns).toFixed(2)}`)
    .join(' ');
  return { perTurn: total / turns, by: breakdown };
}

// ---------------------------------------------------------------------------------------------
// Fixtures (invented people)

const guid = (prefix: string, i: number) => `${prefix}000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const person = (role: string, i: number): UserRef => ({
  id: `29:bench-${role}-${i}`,
  aadObjectId: guid(role === 'prac' ? 'b1' : role === 'coord' ? 'c1' : 'd1', i),
  name: `Bench ${role} ${i}`,
});
const admin: UserRef = { id: '29:bench-admin', aadObjectId: guid('a0', 0), name: 'Bench Admin' };
const practitioners = Array.from({ length: MAX_CONVERSATIONS }, (_, i) => person('prac', i));
// An area has a handful of co-ordinators; every card shown to them refreshes for each of them.
const coordinators = Array.from({ length: 6 }, (_, i) => person('coord', i));
const coordinator = (c: number) => coordinators[c % coordinators.length]!;
const outsiders = Array.from({ length: MAX_CONVERSATIONS }, (_, i) => person('out', i));

function notificationForm(i: number) {
  return {
    draftId: randomUUID(),
    givenName: 'Benchmark',
    familyName: `Person${i}`,
    aliases: '',
    dateOfBirth: '1990-04-01',
    pnc: '',
    crn: `B${String(100000 + i)}`,
    visor: '',
    prisonNumber: '',
    category: 'cat2',
    eligibilityReasons: 'Convicted of a specified violent offence\nCustody of 12 months or more',
    leadAgencyId: 'probation',
    sentenceDate: '2026-11-02',
    releaseDate: '',
    custodyStatus: 'custody',
    notes: '',
  };
}

const isCard = (body: string) => body.includes('application/vnd.microsoft.card.adaptive');

async function inBatches<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const wall = performance.now();
  if (BUILT)
    await readFile(path.join(root, 'dist', 'src', 'main.js')).catch(() => {
      throw new Error('--built runs dist/src/main.js: run `npm run build` first');
    });
  let local: LocalMongo | undefined;
  let dataDir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mappa-bench-'));
    const server = await startBenchServer({
      dataDir,
      backend: BACKEND,
      ...(process.env.FERRETDB_SERIALIZE ? { serialize: process.env.FERRETDB_SERIALIZE } : {}),
      ...(PROFILE ? { cpuProfileDir: await mkdir(PROFILE_DIR, { recursive: true }).then(() => PROFILE_DIR) } : {}),
    });
    local = server;
    postgres = server.postgres;
    uri = local.uri;
    dbPid = local.pid;
  }
  const connector: FakeConnector = await startFakeConnector();
  const dbName = `bench_turns_${Date.now().toString(36)}`;
  const app = await startChild('app', {
    MONGODB_URI: uri,
    MONGODB_DB: dbName,
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_AAD_IDS: admin.aadObjectId,
    // Refusal counts are audited when their interval ends: short, so each repeat's check finds them.
    REFUSAL_AUDIT_INTERVAL_SECONDS: '1',
  });
  // The echo bot never connects to a database; config only insists that one is named.
  const echo = await startChild('echo', { MONGODB_URI: 'mongodb://127.0.0.1:9/unused', ALLOWED_TENANT_IDS: TENANT_ID });
  const sv = connector.url;
  // The bot records the area it creates on its first start.
  recordSent(sent, 'area.changed');

  try {
    const setup = performance.now();
    // Audited writes, two at a time: the audit log's chain makes wider batches slower, not faster.
    await inBatches([...practitioners, ...coordinators], 2, async (u) => {
      const coordinator = u.id.includes('coord');
      const res = await post(
        app.url,
        cardAction(sv, admin, 'member.add', {
          aadObjectId: u.aadObjectId,
          displayName: u.name,
          agencyId: coordinator ? 'mappa-unit' : 'probation',
          roles: coordinator ? 'coordinator,admin' : 'practitioner',
        }),
      );
      if (!res.body.includes('Member added'))
        throw new Error(`could not enrol a bench user: ${res.body.slice(0, 200)}`);
      recordSent(sent, 'member.changed');
    });
    const channelSet = await post(app.url, inChannel(sv, coordinators[0]!, 'set coordinator channel'));
    if (channelSet.status === 200) recordSent(sent, 'area.changed');
    // Everyone has written once, so their personal chats are known (as after a first `help`).
    await inBatches(
      [...practitioners, ...coordinators],
      8,
      async (u) => void (await post(app.url, message(sv, u, 'hi'))),
    );
    // Every decision needs a fresh notification, and each costs a submission to set up: few iterations.
    const levelLimit = (level: number) => (level === 1 ? 10 : level <= 16 ? 32 : 64);
    const wanted = !ONLY || ONLY.includes('decision') || ONLY.includes('case');
    const pool: string[] = [];
    if (wanted) {
      const count = REPEAT * LEVELS.reduce((a, l) => a + levelLimit(l), 11);
      const db = new MongoClient(uri);
      await inBatches(
        Array.from({ length: count }, (_, i) => i),
        2,
        async (i) => {
          const res = await post(
            app.url,
            cardAction(sv, practitioners[i % practitioners.length]!, 'notification.submit', notificationForm(i)),
          );
          if (!res.body.includes('Notification sent')) throw new Error(`could not notify: ${res.body.slice(0, 300)}`);
          // A first notification about someone opens their case and records them.
          for (const kind of ['notification.received', 'case.created', 'subject.created']) recordSent(sent, kind);
        },
      );
      await db.connect();
      const docs = await db
        .db(dbName)
        .collection('notifications')
        .find({ status: 'received' })
        .project({ _id: 1 })
        .toArray();
      pool.push(...docs.map((d) => String(d._id)));
      await db.close();
    }
    // One running meeting per conversation, at probation's turn (the practitioners' agency), so each
    // conversation's saves are one person's successive amendments, never another's conflict. Written
    // through the repositories (a case at Level 2 needs a whole referral otherwise); audited as usual.
    const meetingIds: string[] = [];
    const updateVersions: string[] = [];
    if (!ONLY || ONLY.some((o) => 'submit an agency update'.startsWith(o))) {
      const db = new MongoClient(uri);
      await db.connect();
      const repos = createRepositories(db.db(dbName), { now: () => new Date() });
      const by = aRequestActor({ aadObjectId: coordinators[0]!.aadObjectId, displayName: coordinators[0]!.name });
      await inBatches(
        Array.from({ length: MAX_CONVERSATIONS }, (_, c) => c),
        2,
        async (c) => {
          const kase = await repos.cases.create(
            aNewCase({
              areaId: 'local-area',
              status: 'managed_l2',
              level: 2,
              category: 'cat2',
              leadAgencyId: 'probation',
              history: [{ ...aLevelDecision(2, { type: 'referral', id: `bench-referral-${c}` }), from: null }],
            }),
            { by },
          );
          recordSent(sent, 'case.created');
          const chair = { aadObjectId: coordinators[0]!.aadObjectId, displayName: coordinators[0]!.name };
          const now = new Date().toISOString();
          const meeting = unwrap(
            await repos.meetings.create(
              aNewMeeting({
                areaId: 'local-area',
                caseId: kase.id,
                scheduledStart: now,
                chair: { name: chair.displayName, aadObjectId: chair.aadObjectId },
                invitees: [{ agencyId: 'probation' }],
                status: 'in_progress',
                run: {
                  startedAt: now,
                  startedBy: chair,
                  attendance: [{ agencyId: 'probation', status: 'present', recordedBy: chair }],
                  previousActions: [],
                  round: { turn: 0, order: [{ agencyId: 'probation', state: 'current' }] },
                  plan: [],
                  views: [],
                },
              }),
              { by },
            ),
          );
          recordSent(sent, 'meeting.scheduled');
          meetingIds[c] = meeting.id;
          updateVersions[c] = '';
        },
      );
      await db.close();
    }
    connector.clear();
    console.log(
      `setup: ${practitioners.length + coordinators.length} users enrolled, ${pool.length} notifications, ${meetingIds.length} meetings, ${((performance.now() - setup) / 1000).toFixed(1)} s`,
    );

    // One notification stays undecided for the audited case view.
    const viewed = pool.shift() ?? '';
    let walk = 0;
    const scenarios: Scenario[] = [
      {
        name: 'echo (bare botbuilder)',
        bot: 'echo',
        turn: async (c, url) => (await post(url, message(sv, practitioners[c]!, 'hello'))).status === 200,
      },
      {
        name: 'help',
        bot: 'app',
        turn: async (c, url) => (await post(url, message(sv, practitioners[c]!, 'help'))).status === 200,
      },
      {
        name: 'referral answer',
        // Each practitioner's referral is left open; closed so that the next repeat's `help` is the
        // same turn as the first's (help inside an open referral also reminds the person of it).
        cleanup: (url) => inBatches(practitioners, 8, async (p) => void (await post(url, message(sv, p, 'cancel')))),
        bot: 'app',
        prepare: async (c, url) => {
          walk += 1;
          const res = await post(url, message(sv, practitioners[c]!, `refer new Some Name${walk}`));
          if (res.status === 200) recordSent(sent, 'referral.created');
        },
        turn: async (c, url) => (await post(url, message(sv, practitioners[c]!, 'Probation Officer'))).status === 200,
      },
      {
        name: 'decision',
        bot: 'app',
        // The decision, and the card it answers with shows the case's details: a read, audited too.
        audits: ['case.decision_recorded', 'notification.decided', 'case.viewed'],
        limit: levelLimit,
        turn: async (c, url) => {
          const id = pool.pop();
          if (!id) return false;
          const res = await post(
            url,
            cardAction(sv, coordinator(c), 'notification.level1', { notificationId: id }, inChannelExtra()),
          );
          return res.status === 200 && isCard(res.body) && res.body.includes('Level 1');
        },
      },
      {
        // A co-ordinator's view of a notification's details: a read of case content, audited as case.viewed.
        name: 'case view (audited)',
        bot: 'app',
        audits: ['case.viewed'],
        turn: async (c, url) => {
          const res = await post(
            url,
            cardAction(sv, coordinator(c), 'notification.refresh', { notificationId: viewed }, inChannelExtra()),
          );
          return res.status === 200 && res.body.includes('Benchmark');
        },
      },
      {
        // A probation practitioner confirms (or amends) its agency's update at its turn, from the form in
        // their personal chat: the conditional save, the shared card's update, and the detailed answer.
        name: 'submit an agency update',
        bot: 'app',
        audits: ['agency_update.saved', 'meeting.viewed'],
        turn: async (c, url) => {
          walk += 1;
          const res = await post(
            url,
            cardAction(sv, practitioners[c]!, 'meeting.update.save', {
              meetingId: meetingIds[c],
              agencyId: 'probation',
              kind: 'update',
              version: updateVersions[c],
              turn: '0',
              confirm: 'true',
              content: `Reporting weekly; all appointments kept (update ${walk}).`,
              changeInRisk: 'No change.',
            }),
          );
          const ok = res.status === 200 && res.body.includes('Update recorded for the meeting.');
          // The next save starts from the version this one wrote, as the card it answers with does.
          if (ok) updateVersions[c] = String(updateVersions[c] === '' ? 0 : Number(updateVersions[c]) + 1);
          return ok;
        },
      },
      {
        name: 'members (admin)',
        bot: 'app',
        turn: async (c, url) => (await post(url, message(sv, coordinator(c), 'members'))).status === 200,
      },
      {
        name: 'refused tenant',
        bot: 'app',
        audits: ['access.denied:tenant_not_allowed'],
        turn: async (c, url) => {
          const m = message(sv, outsiders[c]!, 'help', {
            conversation: { id: `a:foreign-${c}`, conversationType: 'personal', tenantId: FOREIGN_TENANT_ID },
            channelData: { tenant: { id: FOREIGN_TENANT_ID } },
          });
          return (await post(url, m)).status === 200;
        },
      },
    ];

    const rssByRepeat: string[] = [];
    let allOk = true;
    const nothingLost = async (): Promise<NothingLost> => {
      const db = new MongoClient(uri);
      try {
        return await checkNothingLost(db.db(dbName), 'local-area', sent);
      } finally {
        await db.close();
      }
    };
    for (let repeat = 1; repeat <= REPEAT; repeat++) {
      const rows: Row[] = [];
      const ops = new Map<string, { perTurn: number; by: string }>();
      const echoAt = (level: number) => rows.find((r) => r.scenario.startsWith('echo') && r.level === level);
      const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
      const cells = (r: Row): string[] => {
        const e = echoAt(r.level);
        return [
          r.scenario,
          String(r.level),
          String(r.turns),
          (r.turns / r.seconds).toFixed(1),
          fmt(r.p50),
          fmt(r.p95),
          fmt(r.p99),
          r.dbOpsPerTurn === null ? '' : r.dbOpsPerTurn.toFixed(1),
          r.botCpuMs.toFixed(2),
          r.dbCpuMs === null ? '' : r.dbCpuMs.toFixed(2),
          String(Math.round(r.rssMb)),
          e ? (r.p50 / e.p50).toFixed(2) : '',
          e ? (r.p99 / e.p99).toFixed(2) : '',
          String(r.failed) + (r.slow ? ` (${r.slow} >15 s)` : ''),
        ];
      };
      const header = [
        'scenario',
        'conv',
        'turns',
        'turns/s',
        'p50',
        'p95',
        'p99',
        'db ops/turn',
        'bot CPU ms/turn',
        'db CPU ms/turn',
        'RSS MB',
        'p50/echo',
        'p99/echo',
        'failed',
      ];
      for (const s of scenarios) {
        if (ONLY && !ONLY.some((o) => s.name.startsWith(o)) && s.bot !== 'echo') continue;
        const child = s.bot === 'app' ? app : echo;
        if (s.bot === 'app') ops.set(s.name, await dbOpsPerTurn(s, child, s.name === 'decision' ? 5 : 10));
        for (const level of LEVELS) {
          if (PROFILE) await child.profile();
          if (PROFILE && s.bot === 'app') void dbProfile();
          const r = await runLevel(s, child, level);
          if (PROFILE) {
            const name = `${s.name.split(' ')[0]}-${level}`;
            await child.profile(path.join(PROFILE_DIR, `${name}.cpuprofile`));
            if (s.bot === 'app') await dbProfile(name);
          }
          connector.clear();
          const { rss } = await child.stats();
          const row: Row = {
            ...r,
            rssMb: rss / 1024 / 1024,
            dbOpsPerTurn: s.bot === 'app' ? (ops.get(s.name)?.perTurn ?? null) : 0,
          };
          rows.push(row);
          // As it goes, so a run stopped half-way still shows what it measured.
          process.stderr.write(`  ${cells(row).join(' | ')}\n`);
        }
        await s.cleanup?.(child.url);
      }
      console.log(`| ${header.join(' | ')} |`);
      console.log(`|${header.map(() => ' --- ').join('|')}|`);
      for (const r of rows) console.log(`| ${cells(r).join(' | ')} |`);
      for (const [name, o] of ops) console.log(`db commands per ${name} turn: ${o.by || 'none'}`);
      const at = (name: string, level: number) => rows.find((r) => r.scenario.startsWith(name) && r.level === level);
      const help16 = at('help', 16);
      const e16 = echoAt(16);
      const audited16 = at('case view', 16);
      const top = Math.max(...LEVELS);
      const worst = rows.filter((r) => r.level === top).sort((a, b) => b.p99 - a.p99)[0];
      const failures = rows.reduce((a, r) => a + r.failed, 0);
      const lost = await nothingLost();
      allOk &&= lost.ok;
      const rssAfter = Math.round((await app.stats()).rss / 1024 / 1024);
      const heap = await app.heap();
      rssByRepeat.push(
        `${rssAfter} MB (${Math.round(heap.rss / 1024 / 1024)} MB after a full GC, ${Math.round(heap.heapUsed / 1024 / 1024)} MB of heap in use)`,
      );
      const parts = [
        help16 && e16
          ? `help at 16: p50 ${(help16.p50 / e16.p50).toFixed(2)}× / p99 ${(help16.p99 / e16.p99).toFixed(2)}× / bot CPU per turn ${(help16.botCpuMs / e16.botCpuMs).toFixed(2)}× echo`
          : '',
        help16 && audited16
          ? `audited case view at 16: ${Math.round((100 * audited16.turns * help16.seconds) / (audited16.seconds * help16.turns))}% of help's throughput`
          : '',
        worst ? `worst p99 at ${top}: ${fmt(worst.p99)} (${worst.scenario})` : '',
        `bot RSS ${rssAfter} MB`,
        `${failures} failed turns`,
        `database FerretDB on ${uri === process.env.MONGODB_URI ? 'MONGODB_URI' : BACKEND}, proxy ${process.env.FERRETDB_SERIALIZE ?? 'writes'}`,
        `load average ${os.loadavg()[0]!.toFixed(1)}`,
        `${((performance.now() - wall) / 1000).toFixed(0)} s`,
      ].filter(Boolean);
      console.log(lost.summary);
      console.log(`bench:turns${REPEAT > 1 ? ` (repeat ${repeat} of ${REPEAT})` : ''} — ${parts.join('; ')}`);
      if (REPEAT > 1) console.log(`RSS of the bot after each repeat: ${rssByRepeat.join('; ')}`);
    }
    if (!allOk) process.exitCode = 1;
  } finally {
    await app.stop().catch(() => undefined);
    await echo.stop().catch(() => undefined);
    await connector.close();
    await local?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

/** Card clicks come from the card in the co-ordinator channel. */
function inChannelExtra(): Record<string, unknown> {
  const channel = '19:coordinators@thread.tacv2';
  return {
    conversation: { id: `${channel};messageid=1`, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID }, team: { id: '19:team@thread.tacv2' }, channel: { id: channel } },
    recipient: { id: BOT_ID, name: 'MAPPA Assistant' },
  };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
