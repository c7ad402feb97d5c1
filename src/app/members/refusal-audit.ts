import type { AuditAppend, AuditLog } from '../ports/audit-log.port';
import type { Clock } from '../ports/clock.port';
import { BoundedTally } from '../../lib/bounded-tally';

/** An activity refused because its tenant is not on the allow-list, as the router saw it. */
export interface RefusedActivity {
  readonly tenantId: string | undefined;
  readonly actorAadObjectId: string | undefined;
  readonly activityType: string | undefined;
}

export interface RefusalAudit {
  /** Notes one refusal and returns at once: the caller never waits on the audit log. */
  refused(activity: RefusedActivity): void;
  /**
   * Audits the counts of the interval that ends now (one event per tenant refused more than once)
   * and says how many tenants and refusals it covered.
   */
  flush(): Promise<{ tenants: number; refused: number }>;
  /** Resolves once every append started so far has finished (for shutdown and tests). */
  settled(): Promise<void>;
  /** Tenants counted in the current interval, overflow included. */
  trackedTenants(): number;
}

export interface RefusalAuditDeps {
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  readonly areaId: string;
  /** Distinct tenants tracked per interval; the rest are counted together as OVERFLOW_TENANT. */
  readonly maxTenants?: number;
  /** A failed append: logged by the caller (class and code only). The refusal itself stands. */
  readonly onError: (e: unknown) => void;
}

export const OVERFLOW_TENANT = 'other-tenants';
const UNKNOWN = 'unknown';

/** Ids as the audit schema takes them; anything else is recorded as unknown rather than lost. */
const idOrUnknown = (v: string | undefined): string => {
  const s = v?.trim();
  return s && s.length <= 64 ? s : UNKNOWN;
};

/**
 * Audits refusals of other tenants' activities without letting them cost a database write each:
 * the first refusal from a tenant in an interval is audited in full, later ones only counted, and
 * each interval's counts are audited as one event per tenant when `flush` is called. Anyone who can
 * reach the endpoint from another tenant could otherwise slow every real user down by being refused.
 */
export function createRefusalAudit(deps: RefusalAuditDeps): RefusalAudit {
  const tally = new BoundedTally(deps.maxTenants ?? 1000, OVERFLOW_TENANT);
  const inFlight = new Set<Promise<unknown>>();
  let since = deps.clock.now();

  const append = (event: AuditAppend): Promise<void> => {
    const p = deps.audit.append(event).then(
      () => undefined,
      (e: unknown) => deps.onError(e),
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  const base = (tenantId: string, actorAadObjectId: string) => ({
    tenantId,
    areaId: deps.areaId,
    actorAadObjectId,
    action: 'access.denied' as const,
    entity: { type: 'area' as const, id: deps.areaId },
    outcome: 'denied' as const,
  });

  return {
    refused(activity) {
      const counted = tally.add(idOrUnknown(activity.tenantId));
      if (!counted.first) return;
      void append({
        ...base(counted.key, idOrUnknown(activity.actorAadObjectId)),
        details: {
          reason: 'tenant_not_allowed',
          activityType: (activity.activityType ?? UNKNOWN).slice(0, 40),
        },
      });
    },
    async flush() {
      const until = deps.clock.now();
      const from = since;
      since = until;
      const drained = tally.drain();
      await Promise.all(
        drained
          .filter((c) => c.count > 1)
          .map((c) =>
            append({
              ...base(c.key, UNKNOWN),
              details: {
                reason: 'tenant_not_allowed',
                aggregate: true,
                refused: c.count,
                since: from.toISOString(),
                until: until.toISOString(),
              },
            }),
          ),
      );
      return { tenants: drained.length, refused: drained.reduce((a, c) => a + c.count, 0) };
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    trackedTenants: () => tally.size,
  };
}
