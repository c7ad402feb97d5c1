import type { Collection, Document } from 'mongodb';
import { AuditWriteError, type AuditAppend, type AuditLog } from '../../../src/app/ports';
import { chainHash } from '../../../src/store/audit-log.repository';
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

  beforeAll(async () => {
    store = await openTestStore('audit');
    events = store.db.collection('auditEvents');
  });
  afterAll(() => store.close());

  async function freshChain(areaId: string, length: number): Promise<void> {
    for (let i = 1; i <= length; i++) await store.repos.audit.append(event(i, areaId));
  }

  it('chains events per area from seq 1, each pointing at the previous hash', async () => {
    const first = await store.repos.audit.append(event(1, 'area-chain'));
    const second = await store.repos.audit.append(event(2, 'area-chain'));
    const elsewhere = await store.repos.audit.append(event(1, 'area-other'));
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), areaId: 'area-chain', outcome: 'success' });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(elsewhere.seq).toBe(1);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.repos.audit.verifyAuditChain('area-chain')).toEqual({ ok: true, count: 2 });
    expect(await store.repos.audit.verifyAuditChain('area-none')).toEqual({ ok: true, count: 0 });
  });

  it('keeps one unbroken chain when many appends race', async () => {
    const appended = await Promise.all(
      Array.from({ length: 25 }, (_, i) => store.repos.audit.append(event(i, 'area-race'))),
    );
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(new Set(appended.map((e) => e.prevHash)).size).toBe(25);
    expect(await store.repos.audit.verifyAuditChain('area-race')).toEqual({ ok: true, count: 25 });
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

  it('repairs a head left behind by a crash between insert and head move', async () => {
    await freshChain('area-lag', 3);
    // Simulate the crash: the head still says 2 although event 3 is stored.
    const third = await events.findOne({ areaId: 'area-lag', seq: 3 });
    const second = await events.findOne({ areaId: 'area-lag', seq: 2 });
    await store.db
      .collection('auditHeads')
      .updateOne({ _id: 'area-lag' } as Document, { $set: { seq: 2, lastHash: second!.hash } });
    expect(third).not.toBeNull();
    expect(await store.repos.audit.verifyAuditChain('area-lag')).toEqual({ ok: true, count: 3 });
    const next = await store.repos.audit.append(event(4, 'area-lag'));
    expect(next).toMatchObject({ seq: 4, prevHash: third!.hash });
    expect(await store.repos.audit.verifyAuditChain('area-lag')).toEqual({ ok: true, count: 4 });
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
