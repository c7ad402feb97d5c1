import type { Collection, Document } from 'mongodb';
import { AuditWriteError, type AuditAppend, type AuditLog } from '../../../src/app/ports';
import { chainHash, MongoAuditLog } from '../../../src/store/audit-log.repository';
import { MongoCaseRepository } from '../../../src/store/case.repository';
import { aNewAction, aNewCase, aNewNotification, aRequestActor, AREA_ID, TENANT_ID } from '../../fixtures/builders';
import { openTestStore, type TestStore } from '../../support/store';

const event = (n: number, areaId = AREA_ID): AuditAppend => ({
  tenantId: TENANT_ID,
  areaId,
  actorAadObjectId: '00000000-0000-4000-8000-000000000001',
  action: 'case.viewed',
  entity: { type: 'case', id: `case-${n}` },
  details: { n },
});

describe('MongoAuditLog on the real server', () => {
  let store: TestStore;
  let events: Collection<Document>;
  let audit: MongoAuditLog;

  beforeAll(async () => {
    store = await openTestStore('audit');
    events = store.db.collection('auditEvents');
    if (!(store.repos.audit instanceof MongoAuditLog)) throw new Error('the store should build a MongoAuditLog');
    audit = store.repos.audit;
  });
  afterAll(() => store.close());

  /** Appends, then integrates, so the events are in the chain for the tampering below. */
  async function freshChain(areaId: string, length: number): Promise<void> {
    for (let i = 1; i <= length; i++) await store.repos.audit.append(event(i, areaId));
    expect(await audit.integrateNow()).toBe(true);
  }

  const chained = (areaId: string) => events.find({ areaId }).sort({ seq: 1 }).toArray();

  it('chains events per area from seq 1, each pointing at the previous hash', async () => {
    const appended = [
      await store.repos.audit.append(event(1, 'area-chain')),
      await store.repos.audit.append(event(2, 'area-chain')),
      await store.repos.audit.append(event(1, 'area-other')),
    ];
    expect(appended[0]).toMatchObject({ areaId: 'area-chain', outcome: 'success' });
    await audit.integrateNow();
    const [first, second] = await chained('area-chain');
    const [elsewhere] = await chained('area-other');
    expect(first).toMatchObject({ _id: appended[0]!.id, seq: 1, prevHash: '0'.repeat(64) });
    expect(second).toMatchObject({ _id: appended[1]!.id, seq: 2, prevHash: first!.hash });
    expect(elsewhere).toMatchObject({ _id: appended[2]!.id, seq: 1 });
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.repos.audit.verifyAuditChain('area-chain')).toEqual({ ok: true, count: 2 });
    expect(await store.repos.audit.verifyAuditChain('area-none')).toEqual({ ok: true, count: 0 });
  });

  it('keeps one unbroken chain when many appends race', async () => {
    const appended = await Promise.all(
      Array.from({ length: 25 }, (_, i) => store.repos.audit.append(event(i, 'area-race'))),
    );
    expect(await store.repos.audit.verifyAuditChain('area-race')).toEqual({ ok: true, count: 25 });
    const stored = await chained('area-race');
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(stored.map((e) => e._id).sort()).toEqual(appended.map((e) => e.id).sort());
    expect(new Set(stored.map((e) => e.prevHash)).size).toBe(25);
  });

  it('chains writes from different repositories in one area into one unbroken chain', async () => {
    const by = aRequestActor();
    const areaId = 'area-mixed';
    await Promise.all([
      ...Array.from({ length: 4 }, () => store.repos.cases.create(aNewCase({ areaId }), { by })),
      ...Array.from({ length: 4 }, () => store.repos.notifications.create(aNewNotification({ areaId }), { by })),
      ...Array.from({ length: 4 }, () => store.repos.actions.create(aNewAction({ areaId }), { by })),
    ]);
    expect(await store.repos.audit.verifyAuditChain(areaId)).toEqual({ ok: true, count: 12 });
  });

  it('lists the trail of one record in order', async () => {
    await store.repos.audit.append({
      ...event(1, 'area-list'),
      entity: { type: 'case', id: 'case-listed' },
      action: 'case.created',
    });
    await store.repos.audit.append(event(2, 'area-list'));
    await store.repos.audit.append({ ...event(3, 'area-list'), entity: { type: 'case', id: 'case-listed' } });
    await audit.integrateNow();
    const trail = await store.repos.audit.listForEntity('case', 'case-listed');
    expect(trail.map((e) => [e.action, e.seq])).toEqual([
      ['case.created', 1],
      ['case.viewed', 3],
    ]);
    expect((await store.repos.audit.listForEntity('case', 'case-listed', { limit: 1 })).map((e) => e.seq)).toEqual([3]);
  });

  it('detects an edited event', async () => {
    await freshChain('area-edit', 5);
    await events.updateOne({ areaId: 'area-edit', seq: 3 }, { $set: { actorAadObjectId: 'someone-else' } });
    expect(await store.repos.audit.verifyAuditChain('area-edit')).toEqual({
      ok: false,
      brokenAtSeq: 3,
      reason: 'hash_mismatch',
    });
  });

  it('detects an edited event even when its hash is recomputed, because the next link no longer matches', async () => {
    await freshChain('area-rehash', 4);
    const doc = await events.findOne({ areaId: 'area-rehash', seq: 2 });
    const forged = {
      id: String(doc!._id),
      at: (doc!.at as Date).toISOString(),
      seq: 2,
      tenantId: TENANT_ID,
      areaId: 'area-rehash',
      actorAadObjectId: 'forger',
      action: doc!.action,
      entity: doc!.entity,
      outcome: doc!.outcome,
      details: doc!.details,
    };
    await events.updateOne(
      { _id: doc!._id },
      { $set: { actorAadObjectId: 'forger', hash: chainHash(doc!.prevHash as string, forged) } },
    );
    expect(await store.repos.audit.verifyAuditChain('area-rehash')).toEqual({
      ok: false,
      brokenAtSeq: 3,
      reason: 'prev_hash_mismatch',
    });
  });

  it('detects a deleted event in the middle', async () => {
    await freshChain('area-delete', 5);
    await events.deleteOne({ areaId: 'area-delete', seq: 2 });
    expect(await store.repos.audit.verifyAuditChain('area-delete')).toEqual({
      ok: false,
      brokenAtSeq: 2,
      reason: 'seq_gap',
    });
  });

  it('detects deleted newest events against the head', async () => {
    await freshChain('area-truncate', 5);
    await events.deleteMany({ areaId: 'area-truncate', seq: { $gte: 4 } });
    expect(await store.repos.audit.verifyAuditChain('area-truncate')).toEqual({
      ok: false,
      brokenAtSeq: 4,
      reason: 'truncated',
    });
  });

  it('detects two events swapped (reordered)', async () => {
    await freshChain('area-swap', 5);
    await events.updateOne({ areaId: 'area-swap', seq: 2 }, { $set: { seq: -2 } });
    await events.updateOne({ areaId: 'area-swap', seq: 3 }, { $set: { seq: 2 } });
    await events.updateOne({ areaId: 'area-swap', seq: -2 }, { $set: { seq: 3 } });
    expect(await store.repos.audit.verifyAuditChain('area-swap')).toEqual({
      ok: false,
      brokenAtSeq: 2,
      reason: 'prev_hash_mismatch',
    });
  });

  it('detects a stored event that no longer parses', async () => {
    await freshChain('area-malformed', 3);
    await events.updateOne({ areaId: 'area-malformed', seq: 2 }, { $unset: { hash: '' } });
    expect(await store.repos.audit.verifyAuditChain('area-malformed')).toEqual({
      ok: false,
      brokenAtSeq: 2,
      reason: 'malformed',
    });
  });

  it('detects an event inserted in the middle, even one chained onto its predecessor', async () => {
    await freshChain('area-insert', 4);
    const second = await events.findOne({ areaId: 'area-insert', seq: 2 });
    for (const seq of [4, 3]) await events.updateOne({ areaId: 'area-insert', seq }, { $set: { seq: seq + 1 } });
    const forged = {
      id: 'forged-event',
      at: '2026-03-02T09:00:00.000Z',
      seq: 3,
      tenantId: TENANT_ID,
      areaId: 'area-insert',
      actorAadObjectId: 'forger',
      action: 'case.viewed' as const,
      entity: { type: 'case' as const, id: 'case-9' },
      outcome: 'success' as const,
      details: {},
    };
    const { id, at, ...rest } = forged;
    await events.insertOne({
      _id: id,
      at: new Date(at),
      ...rest,
      prevHash: second!.hash,
      hash: chainHash(second!.hash as string, forged),
    } as unknown as Document);
    expect(await store.repos.audit.verifyAuditChain('area-insert')).toEqual({
      ok: false,
      brokenAtSeq: 4,
      reason: 'prev_hash_mismatch',
    });
  });

  it('still detects deleted newest events after later appends carry the chain on', async () => {
    await freshChain('area-truncate-more', 5);
    await events.deleteMany({ areaId: 'area-truncate-more', seq: { $gte: 4 } });
    await freshChain('area-truncate-more', 2);
    expect(await store.repos.audit.verifyAuditChain('area-truncate-more')).toEqual({
      ok: false,
      brokenAtSeq: 4,
      reason: 'seq_gap',
    });
  });

  it('detects a checkpoint that no longer matches the event it recorded', async () => {
    await freshChain('area-checkpoint', 3);
    await store.db
      .collection('auditCheckpoints')
      .updateOne({ areaId: 'area-checkpoint', seq: 3 }, { $set: { hash: 'f'.repeat(64) } });
    expect(await store.repos.audit.verifyAuditChain('area-checkpoint')).toEqual({
      ok: false,
      brokenAtSeq: 3,
      reason: 'head_mismatch',
    });
  });

  it('surfaces an audit failure after the write as AuditWriteError, and the write stands', async () => {
    const failing: AuditLog = {
      append: () => Promise.reject(new Error('audit store down')),
      listForEntity: () => Promise.resolve([]),
      verifyAuditChain: () => Promise.resolve({ ok: true, count: 0 }),
    };
    const cases = new MongoCaseRepository(store.db, store.clock, failing);
    const attempt = cases.create(aNewCase({ areaId: 'area-audit-down' }), { by: aRequestActor() });
    await expect(attempt).rejects.toBeInstanceOf(AuditWriteError);
    await expect(attempt).rejects.toMatchObject({
      action: 'case.created',
      entityWritten: true,
      entity: { type: 'case' },
    });
    expect(await store.db.collection('cases').countDocuments({ areaId: 'area-audit-down' })).toBe(1);
  });
});
