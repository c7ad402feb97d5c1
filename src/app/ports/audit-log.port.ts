import { z } from 'zod';
import { AuditAction, AuditEvent } from '../../domain';

/**
 * The domain's audit vocabulary plus the routine writes the store records (creation, edits, draft
 * saves). Kept here until the domain's `AuditAction` carries them, because the repositories audit
 * every write and the domain list names only the notable ones.
 */
export const RecordedAuditAction = z.enum([
  ...AuditAction.options,
  'subject.created',
  'subject.updated',
  'case.created',
  'case.updated',
  'notification.decided',
  'notification.updated',
  'referral.created',
  'referral.updated',
  'referral.withdrawn',
  'meeting.updated',
  'meeting.cancelled',
  'meeting.started',
  'meeting.run_updated',
  'meeting.ended',
  /** A member read a meeting's record (its updates, risk, plan): every such read is audited. */
  'meeting.viewed',
  'agency_update.saved',
  'minutes.created',
  'minutes.updated',
  'minutes.circulated',
  /** Approved minutes reopened as a new revision, with a reason. */
  'minutes.corrected',
  'action.created',
  /** A `find`: the kind of search, a keyed hash of its terms (never the terms) and the case refs shown. */
  'case.searched',
  /*
   * Retention: an admin's erasure of a case's personal data. Each erased record gets its own event
   * (ids only); 'case.erased' closes the run with the counts.
   */
  'case.erasure_started',
  'case.erased',
  'subject.erased',
  'notification.erased',
  'referral.erased',
  'meeting.erased',
  'agency_update.erased',
  'minutes.erased',
  'action.erased',
  /** A co-ordinator read or downloaded the area's statistics (the period and output only). */
  'stats.viewed',
  /*
   * Transfer between areas: each step is recorded in both areas' chains (ids and counts only), so
   * either side can show how far a hand-over got.
   */
  'case.transfer_requested',
  'case.transfer_imported',
  'case.transfer_accepting',
  'case.transfer_record_moved',
  'case.transfer_accepted',
  'case.transfer_declined',
  /** The sending co-ordinator took back a hand-over nobody had answered. */
  'case.transfer_withdrawn',
]);
export type RecordedAuditAction = z.infer<typeof RecordedAuditAction>;

export const AuditEntityType = AuditEvent.shape.entity.shape.type;
export type AuditEntityType = z.infer<typeof AuditEntityType>;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** What a caller hands to `AuditLog.append`; the log assigns id, time, sequence and hashes. */
export const AuditAppend = AuditEvent.omit({ id: true, at: true }).extend({ action: RecordedAuditAction });
export type AuditAppend = z.input<typeof AuditAppend>;

/**
 * An event as the log holds it. Appends are queued and a single sequencer integrates them into the
 * area's chain shortly after, so `seq`, `prevHash` and `hash` are absent until then. Once chained,
 * `seq` counts from 1 per area with no gaps and
 * `hash = sha256(prevHash + canonicalJson(event without the hashes))`, so editing, deleting or
 * reordering any stored event breaks every later link.
 */
export const AuditEntry = AuditEvent.extend({
  action: RecordedAuditAction,
  seq: z.number().int().positive().optional(),
  prevHash: Sha256Hex.optional(),
  hash: Sha256Hex.optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ChainBreak = z.enum([
  /** A sequence number is missing or out of place: an event was deleted or its seq edited. */
  'seq_gap',
  /** An event does not point at its predecessor's hash: events were swapped or re-chained. */
  'prev_hash_mismatch',
  /** An event's content no longer matches its own hash: it was edited. */
  'hash_mismatch',
  /** A stored event no longer parses as an audit entry. */
  'malformed',
  /** The chain ends before a recorded checkpoint: the newest events were deleted. */
  'truncated',
  /** A checkpoint (the chain's head as recorded at the time) points at an event whose hash differs. */
  'head_mismatch',
  /** An event has waited to be chained for longer than the bound: nothing is integrating the queue. */
  'stale_queue',
]);
export type ChainBreak = z.infer<typeof ChainBreak>;

export type ChainVerification =
  | { readonly ok: true; readonly count: number }
  | { readonly ok: false; readonly brokenAtSeq: number; readonly reason: ChainBreak };

/**
 * Append-only, hash-chained audit trail, one chain per area. Repositories append in the same code
 * path as each write and each read of personal data; use cases append directly only for events
 * with no write behind them (e.g. 'access.denied', 'document.redacted_view').
 */
export interface AuditLog {
  /**
   * Records one event with a single write that never waits for other appenders; the sequencer then
   * chains it (the returned entry has no `seq` yet). Throws when the event cannot be stored; callers
   * must not carry on as if it had been.
   */
  append(event: AuditAppend): Promise<AuditEntry>;
  /**
   * The trail of one record, oldest first, including events not chained yet; with `limit`, only the
   * most recent events (the `audit <case ref>` command).
   */
  listForEntity(entityType: AuditEntityType, id: string, opts?: { limit?: number }): Promise<AuditEntry[]>;
  /**
   * Walks an area's chain in sequence order and reports the first break, if any; `count` is the
   * number of chained events. Events queued for longer than the log's bound count as a break.
   */
  verifyAuditChain(areaId: string): Promise<ChainVerification>;
}

/**
 * Thrown when an audit event could not be appended. `entityWritten` says whether the change it
 * describes was already stored (it then stands without its audit record, and someone must look);
 * for an audited read it is false and the data was not returned.
 */
export class AuditWriteError extends Error {
  readonly code = 'AUDIT_WRITE_FAILED';
  constructor(
    readonly action: RecordedAuditAction,
    readonly entity: { readonly type: AuditEntityType; readonly id: string },
    readonly entityWritten: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      `Audit event ${action} for ${entity.type} ${entity.id} was not recorded${entityWritten ? ' although the change was saved' : ''}`,
      options,
    );
    this.name = 'AuditWriteError';
  }
}
