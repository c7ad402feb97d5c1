import { createRefusalAudit } from '../../../src/app/members/refusal-audit';
import type { AuditAppend } from '../../../src/app/ports/audit-log.port';

const AREA = 'cheshire';
const TENANT_A = '9d9d9d9d-0000-4000-8000-000000000001';
const TENANT_B = '9d9d9d9d-0000-4000-8000-000000000002';
const ACTOR = 'e5555555-5555-4555-8555-555555555555';

function setup(maxTenants = 100) {
  const appended: AuditAppend[] = [];
  const errors: unknown[] = [];
  let pending: Array<() => void> = [];
  let now = Date.parse('2026-03-02T09:00:00.000Z');
  let failing = false;
  const audit = createRefusalAudit({
    audit: {
      // An append that completes only when the test says so: the caller must not be waiting on it.
      append: (event) =>
        new Promise((resolve, reject) => {
          pending.push(() => {
            if (failing) return reject(new Error('database down'));
            appended.push(event);
            resolve(undefined as never);
          });
        }),
    },
    clock: { now: () => new Date(now) },
    areaId: AREA,
    maxTenants,
    onError: (e) => errors.push(e),
  });
  const release = async () => {
    const run = pending;
    pending = [];
    run.forEach((r) => r());
    await audit.settled();
  };
  return {
    audit,
    appended,
    errors,
    release,
    advance: (ms: number) => (now += ms),
    fail: () => (failing = true),
  };
}

describe('refusal audit (activities from tenants not on the allow-list)', () => {
  it('returns at once and audits the first refusal from a tenant in full', async () => {
    const s = setup();
    expect(s.audit.refused({ tenantId: TENANT_A, actorAadObjectId: ACTOR, activityType: 'message' })).toBeUndefined();
    expect(s.appended).toHaveLength(0);
    await s.release();
    expect(s.appended).toEqual([
      expect.objectContaining({
        tenantId: TENANT_A,
        areaId: AREA,
        actorAadObjectId: ACTOR,
        action: 'access.denied',
        outcome: 'denied',
        details: { reason: 'tenant_not_allowed', activityType: 'message' },
      }),
    ]);
  });

  it('only counts later refusals from the same tenant, then audits the count once per interval', async () => {
    const s = setup();
    for (let i = 0; i < 500; i++)
      s.audit.refused({ tenantId: TENANT_A, actorAadObjectId: ACTOR, activityType: 'message' });
    s.audit.refused({ tenantId: TENANT_B, actorAadObjectId: ACTOR, activityType: 'invoke' });
    await s.release();
    expect(s.appended).toHaveLength(2);
    s.advance(60_000);
    const flushed = s.audit.flush();
    await s.release();
    await flushed;
    // TENANT_B refused once: its full event says it all; TENANT_A gets one event with the count.
    expect(s.appended).toHaveLength(3);
    expect(s.appended[2]).toEqual(
      expect.objectContaining({
        tenantId: TENANT_A,
        action: 'access.denied',
        outcome: 'denied',
        details: expect.objectContaining({
          reason: 'tenant_not_allowed',
          aggregate: true,
          refused: 500,
          since: '2026-03-02T09:00:00.000Z',
          until: '2026-03-02T09:01:00.000Z',
        }),
      }),
    );
    // A new interval: the next refusal is audited in full again.
    s.audit.refused({ tenantId: TENANT_A, actorAadObjectId: ACTOR, activityType: 'message' });
    await s.release();
    expect(s.appended).toHaveLength(4);
  });

  it('keeps memory bounded: tenants past the cap are counted under one key', async () => {
    const s = setup(5);
    for (let i = 0; i < 2000; i++) {
      const tenantId = `9d9d9d9d-0000-4000-8000-${String(i).padStart(12, '0')}`;
      s.audit.refused({ tenantId, actorAadObjectId: ACTOR, activityType: 'message' });
    }
    await s.release();
    // Five tenants in full and the first overflowed one.
    expect(s.appended).toHaveLength(6);
    expect(s.audit.trackedTenants()).toBe(6);
    const flushed = s.audit.flush();
    await s.release();
    await flushed;
    const overflow = s.appended.find((e) => e.details?.aggregate === true);
    expect(overflow).toEqual(
      expect.objectContaining({ tenantId: 'other-tenants', details: expect.objectContaining({ refused: 1995 }) }),
    );
    expect(s.audit.trackedTenants()).toBe(0);
  });

  it('records unreadable or oversized ids as unknown rather than failing the audit', async () => {
    const s = setup();
    s.audit.refused({ tenantId: undefined, actorAadObjectId: 'x'.repeat(500), activityType: undefined });
    s.audit.refused({ tenantId: 'y'.repeat(500), actorAadObjectId: undefined, activityType: 'message' });
    await s.release();
    expect(s.appended.map((e) => [e.tenantId, e.actorAadObjectId])).toEqual([['unknown', 'unknown']]);
  });

  it('reports a failed append to onError and never throws to the caller', async () => {
    const s = setup();
    s.fail();
    s.audit.refused({ tenantId: TENANT_A, actorAadObjectId: ACTOR, activityType: 'message' });
    await s.release();
    expect(s.errors).toHaveLength(1);
  });
});
