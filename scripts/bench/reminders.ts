// Usage: npm run bench:reminders [-- --actions 1000000 --due 100 --batch 10000 --backend sqlite|postgresql]
//
// Finding due reminders and one owner's `my actions` among --actions stored actions (one reminder
// each), through the indexes of src/store, against a collection scan (hint {$natural: 1}) as the
// reference. Prints time and documents examined (the explain plan's executionStats.totalDocsExamined
// where the server gives it) as a table and a one-line summary. A benchmark, not a test.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Document, Filter } from 'mongodb';
import { ALL_COLLECTIONS } from '../../src/store';
import { ACTIONS } from '../../src/store/action.repository';
import { REMINDERS } from '../../src/store/reminder.repository';
import { startBenchServer } from './postgres';
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
const owner = (i: number) => `00000000-0000-4000-8000-${String(i % OWNERS).padStart(12, '0')}`;
const log = (s: string) => process.stdout.write(`${s}\n`);

interface Row {
  query: string;
  plan: 'index' | 'scan';
  ms: number;
  returned: number;
  examined: number | null;
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
  const mongo = await connectMongo({
    uri,
    dbName: `bench_reminders_${Date.now()}`,
    timeoutMs: 10_000,
    collections: ALL_COLLECTIONS,
  });
  try {
    const now = new Date('2026-05-18T09:00:00Z');
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
        // The first DUE open actions' reminders are due now; the rest later (or closed).
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
          nextAt:
            i < DUE * 2 && open
              ? new Date(now.getTime() - 60_000)
              : new Date(now.getTime() + (1 + (i % 500)) * 3_600_000),
          claimToken: null,
          lastSentAt: null,
          escalatedAt: null,
          sends: [],
          undelivered: 0,
          updatedAt: now,
        });
      }
      await actions.insertMany(a, { ordered: false });
      await reminders.insertMany(r, { ordered: false });
      if ((from / BATCH) % 10 === 0) log(`inserted ${from + n} actions and reminders`);
    }
    const dueCount = await reminders.countDocuments({ status: 'scheduled', nextAt: { $lte: now } });
    log(
      `loaded ${N} actions + ${N} reminders in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${dueCount} reminders due`,
    );

    const rows: Row[] = [];
    const measure = async (query: string, coll: typeof actions, filter: Filter<Document>, sort: Document) => {
      for (const plan of ['index', 'scan'] as const) {
        const cursor = () => {
          const c = coll.find(filter).sort(sort);
          return plan === 'scan' ? c.hint({ $natural: 1 }) : c;
        };
        await cursor().toArray(); // warm
        const start = performance.now();
        const docs = await cursor().toArray();
        const ms = performance.now() - start;
        let examined: number | null;
        try {
          const ex = (await cursor().explain('executionStats')) as { executionStats?: { totalDocsExamined?: number } };
          examined = ex.executionStats?.totalDocsExamined ?? null;
        } catch {
          examined = null;
        }
        rows.push({ query, plan, ms, returned: docs.length, examined });
      }
    };
    await measure('due reminders', reminders, { status: 'scheduled', nextAt: { $lte: now } }, { nextAt: 1 });
    await measure('my actions', actions, { ownerAadObjectId: owner(7), status: 'open' }, { dueDate: 1 });

    log('');
    log('| query | plan | ms | returned | docs examined |');
    log('| --- | --- | ---: | ---: | ---: |');
    for (const r of rows)
      log(
        `| ${r.query} | ${r.plan === 'index' ? 'index' : 'collection scan ($natural)'} | ${r.ms.toFixed(1)} | ${r.returned} | ${r.examined ?? 'not reported'} |`,
      );
    const ratio = (q: string) => {
      const i = rows.find((r) => r.query === q && r.plan === 'index')!;
      const s = rows.find((r) => r.query === q && r.plan === 'scan')!;
      return (s.ms / i.ms).toFixed(1);
    };
    log('');
    log(
      `summary: ${N} actions; due reminders ${ratio('due reminders')}x and my actions ${ratio('my actions')}x faster than a collection scan; ` +
        `docs examined ${rows.every((r) => r.examined === null) ? 'not reported by this server' : 'as above'}`,
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
