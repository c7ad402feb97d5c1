import type { AuditAppend } from '../../../src/app/ports';
import { MongoAuditLog } from '../../../src/store/audit-log.repository';
import { checkNothingLost, recordSent, type AuditLedger } from '../../../scripts/bench/nothing-lost';
import { openTestStore, type TestStore } from '../../support/store';

const AREA = 'bench-area';
const TENANT = '11111111-1111-4111-8111-111111111111';
const ACTOR = '22222222-2222-4222-8222-222222222222';
const viewed = (n: number): AuditAppend => ({
  tenantId: TENANT,
  areaId: AREA,
  actorAadObjectId: ACTOR,
  action: 'case.viewed',
  entity: { type: 'case', id: `case-${n}` },
});
const refused = (details: Record<string, string | number | boolean>): AuditAppend => ({
  tenantId: '33333333-3333-4333-8333-333333333333',
  areaId: AREA,
  actorAadObjectId: 'unknown',
  action: 'access.denied',
  entity: { type: 'area', id: AREA },
  outcome: 'denied',
  details: { reason: 'tenant_not_allowed', ...details },
});

describe("the benchmarks' nothing-lost check", () => {
  let store: TestStore;
  let log: MongoAuditLog;
  beforeEach(async () => {
    store = await openTestStore('bench_lost');
    log = new MongoAuditLog(store.db, store.clock);
  });
  afterEach(() => store.close());

  async function appendAll(events: AuditAppend[]): Promise<void> {
    for (const e of events) await log.append(e);
    // Left queued on purpose: the check itself must wait for the sequencer, here this instance's.
    void log.integrateNow();
  }

  it('passes when the chain verifies and holds every audited action sent, refusals counted back from their aggregates', async () => {
    // Seven refused activities in one interval: the first in full, then one event carrying the count.
    await appendAll([
      viewed(1),
      viewed(2),
      viewed(3),
      refused({ activityType: 'message' }),
      refused({ aggregate: true, refused: 7 }),
    ]);
    const sent: AuditLedger = new Map();
    recordSent(sent, 'case.viewed', 3);
    recordSent(sent, 'access.denied:tenant_not_allowed', 7);

    const result = await checkNothingLost(store.db, AREA, sent, 5_000);

    expect(result).toMatchObject({ ok: true, sent: 10, chained: 10, verifies: true, differences: [] });
    expect(result.summary).toBe('Nothing lost: 10 audited actions sent, 10 in the chain, chain verifies');
  });

  it('fails, naming the kind, when an audited action is missing even if another kind has one too many', async () => {
    await appendAll([viewed(1), viewed(2), refused({ activityType: 'message' })]);
    const sent: AuditLedger = new Map();
    recordSent(sent, 'case.viewed', 3);

    const result = await checkNothingLost(store.db, AREA, sent, 1_000);

    expect(result.ok).toBe(false);
    expect(result.differences).toEqual([
      { kind: 'access.denied:tenant_not_allowed', sent: 0, chained: 1 },
      { kind: 'case.viewed', sent: 3, chained: 2 },
    ]);
    expect(result.summary).toMatch(/^LOST OR EXTRA: 3 audited actions sent, 3 in the chain, chain verifies; /);
  });

  it('fails when the counts match but the chain does not verify', async () => {
    await appendAll([viewed(1), viewed(2), viewed(3)]);
    await log.integrateNow();
    await store.db.collection('auditEvents').updateOne({ areaId: AREA, seq: 2 }, { $set: { 'entity.id': 'case-9' } });
    const sent: AuditLedger = new Map([['case.viewed', 3]]);

    const result = await checkNothingLost(store.db, AREA, sent, 1_000);

    expect(result).toMatchObject({ ok: false, verifies: false, sent: 3, chained: 3 });
    expect(result.summary).toMatch(/chain DOES NOT verify/);
  });
});
