/**
 * "Nothing lost" for the benchmarks: after a run, the audit chain verifies and holds exactly the audited
 * actions the bench sent, counted per kind so that one kind's surplus cannot hide another's loss.
 *
 * A kind is the audit action, and for `access.denied` also its reason: activities refused because their
 * tenant is not allowed are audited in aggregate (the first per tenant per interval in full, then one
 * event carrying the interval's count), so they are counted back from the events as
 * firsts + Σ(refused − 1); a tenant refused once in an interval has only its first event.
 */
import type { Db, Document } from 'mongodb';
import { systemClock } from '../../src/app/ports/clock.port';
import { MongoAuditLog } from '../../src/store/audit-log.repository';
import { chainedAuditEvents } from '../../tests/support/audit';

export type AuditLedger = Map<string, number>;

export function recordSent(ledger: AuditLedger, kind: string, n = 1): void {
  ledger.set(kind, (ledger.get(kind) ?? 0) + n);
}

const total = (ledger: ReadonlyMap<string, number>): number => [...ledger.values()].reduce((a, b) => a + b, 0);

/** An event's kind, and how many audited actions it stands for. */
function kindOf(e: Document): { kind: string; actions: number } {
  const details = (e.details ?? {}) as Record<string, unknown>;
  if (e.action !== 'access.denied') return { kind: String(e.action), actions: 1 };
  const kind = `access.denied:${String(details.reason ?? 'unknown')}`;
  if (details.aggregate === true && typeof details.refused === 'number') return { kind, actions: details.refused - 1 };
  return { kind, actions: 1 };
}

/** Audited actions in an area's chain, per kind (events still queued are not counted). */
export async function chainedActions(db: Db, areaId: string): Promise<AuditLedger> {
  const found: AuditLedger = new Map();
  const cursor = db.collection('auditEvents').find({ areaId }, { projection: { action: 1, details: 1 } });
  for await (const e of cursor) {
    const { kind, actions } = kindOf(e);
    recordSent(found, kind, actions);
  }
  return found;
}

export interface NothingLost {
  readonly ok: boolean;
  readonly sent: number;
  readonly chained: number;
  readonly verifies: boolean;
  /** Kinds whose counts differ: sent, then found in the chain. */
  readonly differences: ReadonlyArray<{ kind: string; sent: number; chained: number }>;
  readonly summary: string;
}

/**
 * Waits for the sequencer to integrate the queue (and, up to `timeoutMs`, for audits still on their way:
 * refusal counts are written when their interval ends), then verifies the chain and compares counts.
 */
export async function checkNothingLost(
  db: Db,
  areaId: string,
  sent: ReadonlyMap<string, number>,
  timeoutMs = 30_000,
): Promise<NothingLost> {
  const deadline = Date.now() + timeoutMs;
  let found: AuditLedger;
  for (;;) {
    await chainedAuditEvents(db, Math.max(1_000, deadline - Date.now()));
    found = await chainedActions(db, areaId);
    const short = [...sent].some(([kind, n]) => (found.get(kind) ?? 0) < n);
    if (!short || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const verification = await new MongoAuditLog(db, systemClock).verifyAuditChain(areaId);
  const kinds = [...new Set([...sent.keys(), ...found.keys()])].sort();
  const differences = kinds
    .map((kind) => ({ kind, sent: sent.get(kind) ?? 0, chained: found.get(kind) ?? 0 }))
    .filter((d) => d.sent !== d.chained);
  const sentTotal = total(sent);
  const chainedTotal = total(found);
  const ok = verification.ok && differences.length === 0;
  const verifies = verification.ok
    ? 'chain verifies'
    : `chain DOES NOT verify (${verification.reason} at seq ${verification.brokenAtSeq})`;
  const summary = ok
    ? `Nothing lost: ${sentTotal} audited actions sent, ${chainedTotal} in the chain, ${verifies}`
    : `LOST OR EXTRA: ${sentTotal} audited actions sent, ${chainedTotal} in the chain, ${verifies}` +
      (differences.length
        ? `; ${differences.map((d) => `${d.kind} sent ${d.sent}, chained ${d.chained}`).join('; ')}`
        : '');
  return { ok, sent: sentTotal, chained: chainedTotal, verifies: verification.ok, differences, summary };
}
