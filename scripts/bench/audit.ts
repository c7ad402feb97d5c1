// Usage: npm run bench:audit [-- --writers 1,16,64 --appends 2000 --budget 30 --verify-events 1000000]
//
// Appends per second at each writer count, the audit append as it was (read the head, insert at
// seq + 1, retry on a lost race: scripts/bench/legacy-audit-log.ts) against the queue and sequencer
// of src/store, in the same run on one local FerretDB; then the time to verify a chain of
// --verify-events events, bulk-loaded directly. A benchmark, not a test: it prints a table and a
// one-line summary and is not part of CI.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Db } from 'mongodb';
import type { AuditAppend } from '../../src/app/ports';
import { systemClock } from '../../src/app/ports/clock.port';
import {
  AUDIT_CHECKPOINTS,
  AUDIT_EVENTS,
  AUDIT_QUEUE,
  AUDIT_SEQUENCER,
  chainOnto,
  toLogDoc,
  START_OF_CHAIN,
} from '../../src/store/audit-chain';
import { MongoAuditLog } from '../../src/store/audit-log.repository';
import { startLocalMongo, type LocalMongo } from '../../src/store/local-server';
import { connectMongo, type MongoHandle } from '../../src/store/mongo';
import { LEGACY_AUDIT_HEADS, LegacyAuditLog } from './legacy-audit-log';
import { checkNothingLost } from './nothing-lost';

const AREA = 'bench-area';
const TENANT = '11111111-1111-4111-8111-111111111111';
const ACTOR = '22222222-2222-4222-8222-222222222222';

type Algorithm = 'before' | 'after';

interface AppendRow {
  writers: number;
  algorithm: Algorithm;
  appended: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** after only: appended events chained per second, from the first append to an empty queue. */
  chainedPerSecond?: number;
  chainOk: boolean;
}

interface VerifyRow {
  algorithm: Algorithm;
  events: number;
  seconds: number;
  perSecond: number;
  ok: boolean;
  benchRssMb: number;
}

const event = (n: number): AuditAppend => ({
  tenantId: TENANT,
  areaId: AREA,
  actorAadObjectId: ACTOR,
  action: 'case.viewed',
  entity: { type: 'case', id: `case-${n % 100}` },
  details: { n },
});

async function openDb(uri: string, label: string, timeoutMs = 10_000): Promise<MongoHandle> {
  return connectMongo({
    uri,
    dbName: `bench_${label}_${randomBytes(3).toString('hex')}`,
    timeoutMs,
    collections: [AUDIT_EVENTS, AUDIT_QUEUE, AUDIT_CHECKPOINTS, AUDIT_SEQUENCER, LEGACY_AUDIT_HEADS],
  });
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function waitForEmptyQueue(db: Db): Promise<void> {
  while ((await db.collection(AUDIT_QUEUE.name).countDocuments({})) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function runAppends(
  uri: string,
  algorithm: Algorithm,
  writers: number,
  total: number,
  budgetMs: number,
): Promise<AppendRow> {
  const handle = await openDb(uri, `${algorithm}_${writers}`);
  const legacy = new LegacyAuditLog(handle.db, systemClock);
  const log = new MongoAuditLog(handle.db, systemClock);
  // As in the bot: the sequencer runs alongside the appenders, in the same process.
  const sequencer = algorithm === 'after' ? log.startSequencer() : undefined;
  const append = algorithm === 'after' ? (e: AuditAppend) => log.append(e) : (e: AuditAppend) => legacy.append(e);
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  try {
    const started = performance.now();
    const deadline = started + budgetMs;
    const writer = async () => {
      while (next < total && performance.now() < deadline) {
        const n = next++;
        const t0 = performance.now();
        try {
          await append(event(n));
          latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, writer));
    const seconds = (performance.now() - started) / 1000;
    let chainedPerSecond: number | undefined;
    if (algorithm === 'after') {
      await waitForEmptyQueue(handle.db);
      chainedPerSecond = latencies.length / ((performance.now() - started) / 1000);
    }
    await sequencer?.stop();
    // Nothing lost: the chain verifies and holds exactly the appends that returned (every one a case.viewed).
    const chainOk =
      algorithm === 'after'
        ? (await checkNothingLost(handle.db, AREA, new Map([['case.viewed', latencies.length]]))).ok
        : await legacy.verifyAuditChain(AREA).then((v) => v.ok && v.count === latencies.length);
    latencies.sort((a, b) => a - b);
    return {
      writers,
      algorithm,
      appended: latencies.length,
      failed,
      seconds,
      perSecond: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      chainedPerSecond,
      chainOk,
    };
  } finally {
    await sequencer?.stop();
    await handle.db.dropDatabase();
    await handle.close();
  }
}

function serverRssMb(server: LocalMongo): number {
  try {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** Writes a valid chain of `count` events straight into the log, with a checkpoint every 500 as the sequencer would. */
async function bulkLoad(db: Db, count: number, log: (line: string) => void): Promise<void> {
  const events = db.collection(AUDIT_EVENTS.name);
  const checkpoints = db.collection(AUDIT_CHECKPOINTS.name);
  const at = new Date().toISOString();
  let head = START_OF_CHAIN;
  const batch = 10_000;
  const started = performance.now();
  for (let from = 0; from < count; from += batch) {
    const entries = chainOnto(
      head,
      Array.from({ length: Math.min(batch, count - from) }, (_, i) => ({
        ...event(from + i),
        id: `e${from + i}`,
        at,
        outcome: 'success' as const,
        details: { n: from + i },
      })),
    );
    await events.insertMany(entries.map(toLogDoc) as never[], { ordered: false });
    const marks = entries.filter((e) => e.seq % 500 === 0 || e.seq === count);
    await checkpoints.insertMany(
      marks.map((e) => ({
        _id: `${AREA}:${e.seq}`,
        areaId: AREA,
        seq: e.seq,
        hash: e.hash,
        at: new Date(),
      })) as never[],
    );
    const last = entries[entries.length - 1]!;
    head = { seq: last.seq, hash: last.hash };
    if ((from / batch) % 10 === 9)
      log(`  loaded ${from + batch} events (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  // The old verification measures truncation against its head document instead.
  await db
    .collection(LEGACY_AUDIT_HEADS.name)
    .insertOne({ _id: AREA, seq: head.seq, lastHash: head.hash, updatedAt: new Date() } as never);
}

async function timeVerify(algorithm: Algorithm, db: Db, count: number): Promise<VerifyRow> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const started = performance.now();
  try {
    const result =
      algorithm === 'after'
        ? await new MongoAuditLog(db, systemClock).verifyAuditChain(AREA)
        : await new LegacyAuditLog(db, systemClock).verifyAuditChain(AREA);
    const seconds = (performance.now() - started) / 1000;
    return {
      algorithm,
      events: count,
      seconds,
      perSecond: count / seconds,
      ok: result.ok && result.count === count,
      benchRssMb: Math.round(peakRss / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
  }
}

const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || Number.isNaN(n)
    ? '–'
    : n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      writers: { type: 'string', default: '1,16,64' },
      appends: { type: 'string', default: '2000' },
      budget: { type: 'string', default: '30' },
      'verify-events': { type: 'string', default: '1000000' },
    },
  });
  const writerCounts = values.writers.split(',').map(Number);
  const appends = Number(values.appends);
  const budgetMs = Number(values.budget) * 1000;
  const verifyEvents = Number(values['verify-events']);
  if (
    writerCounts.some((w) => !Number.isInteger(w) || w < 1) ||
    !(appends > 0) ||
    !(budgetMs > 0) ||
    !(verifyEvents >= 0)
  ) {
    throw new Error(
      '--writers takes positive integers separated by commas; --appends, --budget and --verify-events numbers',
    );
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mappa-bench-audit-'));
  const server = await startLocalMongo({ dataDir });
  log(`FerretDB pid ${server.pid} at ${server.uri} (data in ${dataDir}); ${os.cpus().length} CPUs`);
  try {
    const rows: AppendRow[] = [];
    for (const writers of writerCounts) {
      for (const algorithm of ['before', 'after'] as const) {
        log(`appending: ${algorithm}, ${writers} writer(s), up to ${appends} events or ${values.budget} s…`);
        rows.push(await runAppends(server.uri, algorithm, writers, appends, budgetMs));
      }
    }

    const byKey = new Map(rows.map((r) => [`${r.algorithm}:${r.writers}`, r]));
    console.log('\nAudit appends (one area, all writers in one process, local FerretDB)\n');
    console.log(
      table(
        [
          'writers',
          'algorithm',
          'appended',
          'failed',
          'appends/s',
          'p50 ms',
          'p99 ms',
          'chained/s',
          'chain verifies, none lost',
        ],
        rows.map((r) => [
          String(r.writers),
          r.algorithm,
          String(r.appended),
          String(r.failed),
          fmt(r.perSecond),
          fmt(r.p50, 1),
          fmt(r.p99, 1),
          fmt(r.chainedPerSecond),
          r.chainOk ? 'yes' : 'NO',
        ]),
      ),
    );
    console.log('\nAfter / before\n');
    console.log(
      table(
        ['writers', 'appends/s ratio', 'p99 ratio'],
        writerCounts.map((w) => {
          const before = byKey.get(`before:${w}`)!;
          const after = byKey.get(`after:${w}`)!;
          return [
            String(w),
            `${fmt(after.perSecond / before.perSecond, 1)}×`,
            `${(after.p99 / before.p99).toPrecision(2)}×`,
          ];
        }),
      ),
    );
    const verifyRows: VerifyRow[] = [];
    if (verifyEvents > 0) {
      // FerretDB v1 cannot sort from an index: it reads and sorts the whole chain before the first
      // batch, and its serialising proxy holds every other command (the driver's heartbeat too)
      // meanwhile, so this connection must wait far longer than the bot's 10 s.
      const handle = await openDb(server.uri, 'verify', 30 * 60_000);
      try {
        log(`bulk-loading ${verifyEvents} events…`);
        const loadStarted = performance.now();
        await bulkLoad(handle.db, verifyEvents, log);
        log(`loaded in ${Math.round((performance.now() - loadStarted) / 1000)} s; verifying…`);
        for (const algorithm of ['before', 'after'] as const) {
          verifyRows.push(await timeVerify(algorithm, handle.db, verifyEvents));
          log(`verified (${algorithm}) in ${fmt(verifyRows.at(-1)!.seconds, 1)} s`);
        }
      } finally {
        await handle.db.dropDatabase().catch(() => undefined);
        await handle.close();
      }
    }

    if (verifyRows.length > 0) {
      console.log(`\nVerify a chain of ${verifyEvents.toLocaleString('en-GB')} events (streamed)\n`);
      console.log(
        table(
          ['algorithm', 'seconds', 'events/s', 'ok', 'bench process peak RSS MB'],
          verifyRows.map((r) => [
            r.algorithm,
            fmt(r.seconds, 1),
            fmt(r.perSecond),
            r.ok ? 'yes' : 'NO',
            String(r.benchRssMb),
          ]),
        ),
      );
      console.log(`FerretDB peak RSS over the whole run: ${serverRssMb(server)} MB`);
    }
    const top = Math.max(...writerCounts);
    const before = byKey.get(`before:${top}`)!;
    const after = byKey.get(`after:${top}`)!;
    const verifyAfter = verifyRows.find((r) => r.algorithm === 'after');
    console.log(
      `\nSummary: at ${top} writers, ${fmt(after.perSecond)} appends/s after vs ${fmt(before.perSecond)} before ` +
        `(${fmt(after.perSecond / before.perSecond, 1)}×; p99 ${fmt(after.p99, 1)} ms vs ${fmt(before.p99, 1)} ms, ` +
        `${before.failed} failed before, ${after.failed} after)` +
        (verifyAfter ? `; verify ${fmt(verifyAfter.events)} events in ${fmt(verifyAfter.seconds, 1)} s` : '') +
        `; every chain ${rows.every((r) => r.chainOk) && verifyRows.every((r) => r.ok) ? 'verified with nothing lost' : 'DID NOT verify'}.`,
    );
    const appended = rows.reduce((a, r) => a + r.appended, 0);
    console.log(
      rows.every((r) => r.chainOk)
        ? `Nothing lost: ${appended} audited appends sent, ${appended} in the chains, every chain verifies`
        : `LOST OR EXTRA: in ${rows
            .filter((r) => !r.chainOk)
            .map((r) => `${r.algorithm} at ${r.writers} writers`)
            .join(', ')}`,
    );
    if (!rows.every((r) => r.chainOk) || !verifyRows.every((r) => r.ok)) process.exitCode = 1;
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
