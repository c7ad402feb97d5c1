// Usage: npm run bench:reminders [-- --actions 1000000 --due 100 --batch 10000 --backend sqlite|postgresql]
//
// Finding due reminders and one owner's `my actions` among --actions stored actions (one reminder
// each). The due reminders are read exactly as the sweep reads them (MongoReminderRepository.findDue:
// one hour slot at a time from the area's low-water mark) and, for comparison, with the query the
// sweep used before due slots (status equality, nextAt range); `my actions` with the repository's
// filter. Each is set against a collection scan of the same predicate: wrapped in `$and`, which no
// FerretDB backend pushes down, and hinted `{$natural: 1}` for MongoDB. Documents examined come from
// the explain plan's executionStats where the server gives it (MongoDB), else, on `--backend
// postgresql`, from PostgreSQL's own counters for the collection's table (seq_tup_read +
// idx_tup_fetch, before and after). A benchmark, not a test.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Collection, Document, Filter, FindCursor } from 'mongodb';
import { ALL_COLLECTIONS } from '../../src/store';
import { ACTIONS } from '../../src/store/action.repository';
import {
  dueFilter,
  dueSlotOf,
  MongoReminderRepository,
  REMINDER_MARKS,
  REMINDERS,
} from '../../src/store/reminder.repository';
import { notHeld } from '../../src/store/transfer-hold';
import { startBenchServer, type LocalPostgres } from './postgres';
import { connectMongo } from '../../src/store/mongo';

const { values } = parseArgs({
  options: {
    actions: { type: 'string', default: '1000000' },
    due: { type: 'string', default: '100' },
    batch: { type: 'string', default: '10000' },
    uri: { type: 'string' },
    backend: { type: 'string', default: 'sqlite' },
  },
});
const N = Number(values.actions);
const DUE = Number(values.due);
const BATCH = Number(values.batch);
const AREA = 'bench-area';
const OWNERS = 10_000; // a person has about N / OWNERS actions
const HOUR = 3_600_000;
const owner = (i: number) => `00000000-0000-4000-8000-${String(i % OWNERS).padStart(12, '0')}`;
const log = (s: string) => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Plan = 'index' | 'previous' | 'scan';
interface Row {
  query: string;
  plan: Plan;
  ms: number;
  returned: number;
  examined: number | null;
}
const planLabel = (query: string, plan: Plan): string =>
  plan === 'scan'
    ? 'collection scan ($and, $natural)'
    : plan === 'previous'
      ? 'before due slots: status + nextAt range'
      : query === 'due reminders'
        ? 'sweep: slot by slot from the mark (findDue)'
        : 'index (owner, status, dueDate)';

/**
 * Rows PostgreSQL read from a collection's table (sequentially, or fetched through an index), from its
 * statistics. FerretDB's connections flush theirs to shared memory when idle, at most once a second, so
 * the count is read once it has stopped moving.
 */
function pgRowsRead(pg: LocalPostgres, schema: string, collection: string): () => Promise<number> {
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const table = pg.sql(
    `SELECT _jsonb->>'table' FROM "${schema.replace(/"/g, '""')}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = ${lit(collection)}`,
  );
  if (!table) throw new Error(`no FerretDB table for ${collection}`);
  const read = () =>
    Number(
      pg
        .sql(
          `SELECT pg_stat_force_next_flush(); SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables WHERE schemaname = ${lit(schema)} AND relname = ${lit(table)}`,
        )
        .split('\n')
        .pop(),
    );
  return async () => {
    let last = read();
    for (let i = 0; i < 30; i += 1) {
      await sleep(1_200);
      const now = read();
      if (now === last) return now;
      last = now;
    }
    return last;
  };
}

async function main(): Promise<void> {
  let dataDir: string | undefined;
  let server: Awaited<ReturnType<typeof startBenchServer>> | undefined;
  let uri = values.uri;
  if (!uri) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mappa-bench-reminders-'));
    server = await startBenchServer({ dataDir, backend: values.backend });
    uri = server.uri;
  }
  const dbName = `bench_reminders_${Date.now()}`;
  const mongo = await connectMongo({ uri, dbName, timeoutMs: 10_000, collections: ALL_COLLECTIONS });
  try {
    const now = new Date('2026-05-18T09:00:00Z');
    // Reminders are scheduled ahead of their time, so each sits in the slot of its own nextAt.
    const writtenAt = new Date(now.getTime() - 7 * 24 * HOUR);
    const actions = mongo.db.collection(ACTIONS.name);
    const reminders = mongo.db.collection(REMINDERS.name);
    const t0 = performance.now();
    for (let from = 0; from < N; from += BATCH) {
      const n = Math.min(BATCH, N - from);
      const a: Document[] = [];
      const r: Document[] = [];
      for (let i = from; i < from + n; i += 1) {
        const open = i % 4 !== 0; // a quarter are closed
        const dueDate = `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
        a.push({
          _id: `a${i}`,
          areaId: AREA,
          caseId: `c${i % 50_000}`,
          meetingId: `m${i % 100_000}`,
          text: 'Bench action',
          ownerAadObjectId: owner(i),
          ownerName: 'Bench owner',
          ownerAgencyId: 'police',
          dueDate,
          pillar: 'supervision',
          status: open ? 'open' : 'done',
          updateAtNextMeeting: true,
          history: [],
          createdAt: now,
          version: 0,
        });
        // The first DUE * 2 open actions' reminders fell due over the last three hours; the rest later (or closed).
        const nextAt =
          i < DUE * 2 && open
            ? new Date(now.getTime() - 60_000 - (i % 6) * 30 * 60_000)
            : new Date(now.getTime() + (1 + (i % 500)) * HOUR);
        r.push({
          _id: `action:a${i}`,
          areaId: AREA,
          kind: 'action',
          subjectId: `a${i}`,
          caseId: `c${i % 50_000}`,
          caseRef: 'MAPPA-2026-0001',
          agencyId: 'police',
          due: dueDate,
          status: open ? 'scheduled' : 'closed',
          nextAt,
          dueSlot: dueSlotOf(nextAt, writtenAt),
          claimToken: null,
          lastSentAt: null,
          escalatedAt: null,
          sends: [],
          undelivered: 0,
          updatedAt: writtenAt,
        });
      }
      await actions.insertMany(a, { ordered: false });
      await reminders.insertMany(r, { ordered: false });
      if ((from / BATCH) % 10 === 0) log(`inserted ${from + n} actions and reminders`);
    }
    const previousDue: Filter<Document> = { status: 'scheduled', nextAt: { $lte: now }, areaId: AREA, ...notHeld };
    const dueCount = await reminders.countDocuments(previousDue);
    log(
      `loaded ${N} actions + ${N} reminders in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${dueCount} reminders due`,
    );

    const pg = server?.postgres;
    const rowsRead = pg
      ? { reminders: pgRowsRead(pg, dbName, REMINDERS.name), actions: pgRowsRead(pg, dbName, ACTIONS.name) }
      : undefined;
    const explained = async (c: { explain(v: 'executionStats'): Promise<Document> }): Promise<number | null> => {
      try {
        const ex = (await c.explain('executionStats')) as { executionStats?: { totalDocsExamined?: number } };
        return ex.executionStats?.totalDocsExamined ?? null;
      } catch {
        return null;
      }
    };
    const rows: Row[] = [];
    const measure = async (
      query: string,
      plan: Plan,
      run: () => Promise<number>,
      explain: () => Promise<number | null>,
      counter: (() => Promise<number>) | undefined,
    ) => {
      await run(); // warm; for the sweep also its first pass: the area's mark and the start-up backfill
      const before = counter ? await counter() : 0;
      const start = performance.now();
      const returned = await run();
      const ms = performance.now() - start;
      const examined = counter ? (await counter()) - before : await explain();
      rows.push({ query, plan, ms, returned, examined });
    };
    const scanOf = (coll: Collection, filter: Filter<Document>, sort: Document) =>
      coll
        .find({ $and: [filter] })
        .sort(sort)
        .hint({ $natural: 1 });

    const repo = new MongoReminderRepository(mongo.db, { now: () => now });
    const marks = mongo.db.collection<{ _id: string; slot: string }>(REMINDER_MARKS.name);
    await measure(
      'due reminders',
      'index',
      async () => (await repo.findDue(AREA, now, 100_000)).length,
      async () => {
        // The same reads as findDue: each slot from the area's mark to now's.
        const mark = (await marks.findOne({ _id: AREA }))?.slot;
        if (!mark) return null;
        let total = 0;
        for (let t = Date.parse(`${mark}:00:00.000Z`); t <= now.getTime(); t += HOUR) {
          const n = await explained(
            reminders.find(dueFilter(AREA, dueSlotOf(new Date(t), new Date(0)), now) as Filter<Document>),
          );
          if (n === null) return null;
          total += n;
        }
        return total;
      },
      rowsRead?.reminders,
    );
    // A plain query: what it returns, and what the server read for it.
    const measureCursor = (
      query: string,
      plan: Plan,
      cursor: () => FindCursor<Document>,
      counter: (() => Promise<number>) | undefined,
    ) =>
      measure(
        query,
        plan,
        async () => (await cursor().toArray()).length,
        () => explained(cursor()),
        counter,
      );
    await measureCursor(
      'due reminders',
      'previous',
      () => reminders.find(previousDue).sort({ nextAt: 1 }),
      rowsRead?.reminders,
    );
    await measureCursor(
      'due reminders',
      'scan',
      () => scanOf(reminders, previousDue, { nextAt: 1 }),
      rowsRead?.reminders,
    );
    const mine: Filter<Document> = { ownerAadObjectId: owner(7), status: 'open' };
    await measureCursor('my actions', 'index', () => actions.find(mine).sort({ dueDate: 1 }), rowsRead?.actions);
    await measureCursor('my actions', 'scan', () => scanOf(actions, mine, { dueDate: 1 }), rowsRead?.actions);

    const examinedBy = pg
      ? 'PostgreSQL rows read from the table (seq_tup_read + idx_tup_fetch)'
      : 'executionStats.totalDocsExamined';
    log('');
    log(`| query | plan | ms | returned | docs examined (${examinedBy}) |`);
    log('| --- | --- | ---: | ---: | ---: |');
    for (const r of rows)
      log(
        `| ${r.query} | ${planLabel(r.query, r.plan)} | ${r.ms.toFixed(1)} | ${r.returned} | ${r.examined ?? 'not reported'} |`,
      );
    const row = (q: string, p: Plan) => rows.find((r) => r.query === q && r.plan === p)!;
    const verdict = (q: string) => {
      const i = row(q, 'index');
      const s = row(q, 'scan');
      const faster = s.ms / i.ms;
      const proportional = i.examined === null ? null : i.examined <= 2 * Math.max(i.returned, 1);
      const met = proportional === null ? 'examined not reported' : proportional && faster >= 100 ? 'met' : 'not met';
      return {
        text: `${q}: ${faster.toFixed(1)}x faster than the scan, ${i.examined ?? '?'} examined for ${i.returned} returned (target ${met})`,
        met,
      };
    };
    const due = verdict('due reminders');
    const my = verdict('my actions');
    const before = row('due reminders', 'previous');
    log('');
    log(
      `summary: ${N} actions on ${pg ? 'FerretDB/PostgreSQL' : values.uri ? 'the given server' : 'FerretDB/SQLite'}; ${due.text}; ` +
        `before due slots ${(row('due reminders', 'scan').ms / before.ms).toFixed(1)}x, ${before.examined ?? '?'} examined; ${my.text}. ` +
        `Target (examined proportional to due, >= 100x faster than a scan): ${due.met === 'met' && my.met === 'met' ? 'holds' : 'does not hold'}.`,
    );
  } finally {
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
