import { MongoClient, type Collection, type CommandStartedEvent, type Document } from 'mongodb';
import type { AuditAppend } from '../../../src/app/ports';
import { MongoAuditLog } from '../../../src/store/audit-log.repository';
import { AuditSequencer } from '../../../src/store/audit-sequencer';
import { AREA_ID, TENANT_ID } from '../../fixtures/builders';
import { testMongoUri } from '../../support/mongo';
import { openTestStore, type TestStore } from '../../support/store';

const event = (n: number, areaId = AREA_ID, caseId = `case-${n}`): AuditAppend => ({
  tenantId: TENANT_ID,
  areaId,
  actorAadObjectId: '00000000-0000-4000-8000-000000000001',
  action: 'case.viewed',
  entity: { type: 'case', id: caseId },
  details: { n },
});

describe('the audit log: queued appends, one sequencer, checkpoints', () => {
  let store: TestStore;
  let events: Collection<Document>;
  let queue: Collection<Document>;
  let checkpoints: Collection<Document>;
  const logs: MongoAuditLog[] = [];

  /** Another bot instance on the same database: its own log object and its own sequencer identity. */
  function instance(
    name: string,
    opts: { staleAfterMs?: number; checkpointEvery?: number; checkpointAfterMs?: number } = {},
  ): MongoAuditLog {
    const log = new MongoAuditLog(store.db, store.clock, { instance: name, ...opts });
    logs.push(log);
    return log;
  }

  beforeAll(async () => {
    store = await openTestStore('audit_seq');
    events = store.db.collection('auditEvents');
    queue = store.db.collection('auditQueue');
    checkpoints = store.db.collection('auditCheckpoints');
  });
  // The lease is per database and outlives a test: hand it back so the next test's instance can take it.
  afterEach(async () => {
    for (const log of logs) await log.releaseSequencer();
  });
  afterAll(() => store.close());

  const ids = async (col: Collection<Document>, areaId: string) =>
    (await col.find({ areaId }, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)).sort();

  it('appends with one insert each and no reads, however many writers append at once', async () => {
    const client = await new MongoClient(testMongoUri(), { monitorCommands: true, retryWrites: false }).connect();
    try {
      const log = new MongoAuditLog(client.db(store.db.databaseName), store.clock, { instance: 'watched' });
      const commands: string[] = [];
      client.on('commandStarted', (e: CommandStartedEvent) => commands.push(e.commandName));
      const appended = await Promise.all(Array.from({ length: 64 }, (_, i) => log.append(event(i, 'area-64'))));
      expect(commands).toEqual(Array.from({ length: 64 }, () => 'insert'));
      expect(appended.every((e) => e.seq === undefined && e.hash === undefined)).toBe(true);
      expect(new Set(appended.map((e) => e.id)).size).toBe(64);
      await log.releaseSequencer();
    } finally {
      await client.close();
    }
  });

  it('integrates 64 concurrent appends exactly once into a chain that verifies, then empties the queue', async () => {
    const log = instance('a');
    const appended = await Promise.all(Array.from({ length: 64 }, (_, i) => log.append(event(i, 'area-many'))));
    expect(await log.integrateNow()).toBe(true);
    expect(await log.verifyAuditChain('area-many')).toEqual({ ok: true, count: 64 });
    expect(await ids(events, 'area-many')).toEqual(appended.map((e) => e.id).sort());
    expect(await queue.countDocuments({ areaId: 'area-many' })).toBe(0);
    const last = await checkpoints.find({ areaId: 'area-many' }).sort({ seq: -1 }).limit(1).next();
    expect(last).toMatchObject({ seq: 64, hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: store.clock.now() });
  });

  it('keeps the order of one writer’s appends in the chain', async () => {
    const log = instance('order');
    for (let i = 1; i <= 30; i++) await log.append(event(i, 'area-order'));
    await log.integrateNow();
    const stored = await events.find({ areaId: 'area-order' }).sort({ seq: 1 }).toArray();
    expect(stored.map((e) => (e.details as { n: number }).n)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('lists a case’s events in order, the ones still queued after the integrated ones', async () => {
    const log = instance('list');
    await log.append({ ...event(1, 'area-trail', 'case-trail'), action: 'case.created' });
    await log.append(event(2, 'area-trail', 'case-trail'));
    await log.integrateNow();
    await log.append({ ...event(3, 'area-trail', 'case-trail'), action: 'case.updated' });
    await log.append(event(4, 'area-trail', 'case-elsewhere'));
    const trail = await log.listForEntity('case', 'case-trail');
    expect(trail.map((e) => [e.action, e.seq])).toEqual([
      ['case.created', 1],
      ['case.viewed', 2],
      ['case.updated', undefined],
    ]);
    expect((await log.listForEntity('case', 'case-trail', { limit: 2 })).map((e) => e.action)).toEqual([
      'case.viewed',
      'case.updated',
    ]);
  });

  it('lets one instance at a time hold the sequencer lease', async () => {
    const first = instance('lease-1');
    const second = instance('lease-2');
    await first.append(event(1, 'area-lease'));
    expect(await first.integrateNow()).toBe(true);
    await second.append(event(2, 'area-lease'));
    expect(await second.integrateNow()).toBe(false);
    expect(await queue.countDocuments({ areaId: 'area-lease' })).toBe(1);
    await first.releaseSequencer();
    expect(await second.integrateNow()).toBe(true);
    expect(await second.verifyAuditChain('area-lease')).toEqual({ ok: true, count: 2 });
  });

  it('never integrates an event twice or forks the chain when two sequencers run at once', async () => {
    const log = instance('writer');
    const one = new AuditSequencer(store.db, store.clock, { batchSize: 7 });
    const two = new AuditSequencer(store.db, store.clock, { batchSize: 5 });
    const appended: string[] = [];
    const writing = (async () => {
      for (let round = 0; round < 10; round++) {
        const batch = await Promise.all(
          Array.from({ length: 12 }, (_, i) => log.append(event(round * 12 + i, 'area-two'))),
        );
        appended.push(...batch.map((e) => e.id));
      }
    })();
    const drain = async (s: AuditSequencer) => {
      let total = 0;
      for (
        let i = 0;
        i < 200 && ((await queue.countDocuments({ areaId: 'area-two' })) > 0 || appended.length < 120);
        i++
      ) {
        total += (await s.integrate()).integrated;
      }
      return total;
    };
    const [, byOne, byTwo] = await Promise.all([writing, drain(one), drain(two)]);
    expect(byOne).toBeGreaterThan(0);
    expect(byTwo).toBeGreaterThan(0);
    await one.integrate();
    await two.integrate();
    expect(await queue.countDocuments({ areaId: 'area-two' })).toBe(0);
    expect(await ids(events, 'area-two')).toEqual([...appended].sort());
    expect(await log.verifyAuditChain('area-two')).toEqual({ ok: true, count: 120 });
  });

  it('resumes cleanly after a crash between writing the chain and emptying the queue', async () => {
    const log = instance('crash');
    for (let i = 1; i <= 6; i++) await log.append(event(i, 'area-crash'));
    const queued = await queue.find({ areaId: 'area-crash' }).toArray();
    await new AuditSequencer(store.db, store.clock).integrate();
    // The crash: the chain and its checkpoint were written, the queue was not emptied.
    await queue.insertMany(queued);
    await log.append(event(7, 'area-crash'));
    const restarted = new AuditSequencer(store.db, store.clock);
    while ((await restarted.integrate()).again);
    expect(await queue.countDocuments({ areaId: 'area-crash' })).toBe(0);
    expect(await events.countDocuments({ areaId: 'area-crash' })).toBe(7);
    expect(await log.verifyAuditChain('area-crash')).toEqual({ ok: true, count: 7 });
  });

  it('resumes cleanly after a crash part-way through writing a batch, before its checkpoint', async () => {
    const log = instance('crash-mid');
    for (let i = 1; i <= 8; i++) await log.append(event(i, 'area-crash-mid'));
    const queued = await queue.find({ areaId: 'area-crash-mid' }).toArray();
    await new AuditSequencer(store.db, store.clock).integrate();
    // The crash: only the first three events of the batch reached the chain, and no checkpoint.
    await events.deleteMany({ areaId: 'area-crash-mid', seq: { $gt: 3 } });
    await checkpoints.deleteMany({ areaId: 'area-crash-mid' });
    await queue.insertMany(queued);
    const restarted = new AuditSequencer(store.db, store.clock);
    while ((await restarted.integrate()).again);
    expect(await queue.countDocuments({ areaId: 'area-crash-mid' })).toBe(0);
    expect((await ids(events, 'area-crash-mid')).length).toBe(8);
    expect(await log.verifyAuditChain('area-crash-mid')).toEqual({ ok: true, count: 8 });
  });

  it('catches up when another sequencer moved the chain on behind its back', async () => {
    const log = instance('stale-head');
    const one = new AuditSequencer(store.db, store.clock);
    const two = new AuditSequencer(store.db, store.clock);
    await log.append(event(1, 'area-behind'));
    await one.integrate();
    await log.append(event(2, 'area-behind'));
    await two.integrate();
    await log.append(event(3, 'area-behind'));
    while ((await one.integrate()).again);
    expect(await log.verifyAuditChain('area-behind')).toEqual({ ok: true, count: 3 });
  });

  it('reports events left queued longer than the bound as a failure', async () => {
    const stuck = instance('stuck');
    const log = instance('reader', { staleAfterMs: 60_000 });
    await stuck.append(event(1, 'area-stale'));
    // The instance holding the lease integrates once, then stops (hung, partitioned): nothing moves the queue.
    expect(await stuck.integrateNow()).toBe(true);
    await log.append(event(2, 'area-stale'));
    store.clock.advance(30_000);
    expect(await log.verifyAuditChain('area-stale')).toEqual({ ok: true, count: 1 });
    store.clock.advance(31_000);
    expect(await log.verifyAuditChain('area-stale')).toEqual({ ok: false, brokenAtSeq: 2, reason: 'stale_queue' });
    await stuck.releaseSequencer();
    expect(await log.verifyAuditChain('area-stale')).toEqual({ ok: true, count: 2 });
  });

  it('integrates in the background once started, and stops cleanly', async () => {
    const log = instance('loop');
    const running = log.startSequencer({ idleMs: 50 });
    try {
      await Promise.all(Array.from({ length: 16 }, (_, i) => log.append(event(i, 'area-loop'))));
      const deadline = Date.now() + 10_000;
      while ((await queue.countDocuments({ areaId: 'area-loop' })) > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await events.countDocuments({ areaId: 'area-loop' })).toBe(16);
    } finally {
      await running.stop();
    }
    expect(await log.verifyAuditChain('area-loop')).toEqual({ ok: true, count: 16 });
  });

  it('lets appends that arrive while it works gather into one batch instead of a pass each', async () => {
    const client = await new MongoClient(testMongoUri(), { monitorCommands: true, retryWrites: false }).connect();
    const log = new MongoAuditLog(client.db(store.db.databaseName), store.clock, { instance: 'gather' });
    const batches: number[] = [];
    client.on('commandStarted', (e: CommandStartedEvent) => {
      if (e.commandName === 'insert' && e.command.insert === 'auditEvents')
        batches.push((e.command.documents as unknown[]).length);
    });
    const running = log.startSequencer({ idleMs: 60_000, gatherMs: 1_000 });
    try {
      // Two at once: the first wakes the idle sequencer, the second lands during that pass.
      await Promise.all([log.append(event(0, 'area-gather')), log.append(event(1, 'area-gather'))]);
      // One writer after another, as a busy meeting's turns: each would have woken a pass of its own.
      for (let i = 2; i < 22; i++) await log.append(event(i, 'area-gather'));
      const deadline = Date.now() + 10_000;
      while ((await queue.countDocuments({ areaId: 'area-gather' })) > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(batches.reduce((a, b) => a + b, 0)).toBe(22);
      // The first pass, then everything that gathered meanwhile (a third only if the second append
      // landed after the first pass had already finished).
      expect(batches.length).toBeLessThanOrEqual(3);
      await running.stop();
      expect(await log.verifyAuditChain('area-gather')).toEqual({ ok: true, count: 22 });
    } finally {
      await running.stop();
      // Verification took the lease again; the next test's instance needs it.
      await log.releaseSequencer();
      await client.close();
    }
  });

  it('checkpoints in the background every N events or T, not on every pass, and covers the head on stop', async () => {
    const log = instance('sparse', { checkpointEvery: 3, checkpointAfterMs: 60_000 });
    const running = log.startSequencer({ idleMs: 20 });
    const drained = async () => {
      const deadline = Date.now() + 10_000;
      while ((await queue.countDocuments({ areaId: 'area-sparse' })) > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
    };
    const seqs = async () =>
      (await checkpoints.find({ areaId: 'area-sparse' }).sort({ seq: 1 }).toArray()).map((c) => c.seq as number);
    try {
      // One event per pass, as a quiet bot's turns arrive.
      for (let i = 1; i <= 5; i++) {
        await log.append(event(i, 'area-sparse'));
        await drained();
      }
      expect(await events.countDocuments({ areaId: 'area-sparse' })).toBe(5);
      // The area's first batch, then three events on.
      expect(await seqs()).toEqual([1, 4]);
    } finally {
      await running.stop();
    }
    expect(await seqs()).toEqual([1, 4, 5]);
    expect(await log.verifyAuditChain('area-sparse')).toEqual({ ok: true, count: 5 });
  });
});
