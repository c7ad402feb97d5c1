import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AuditEntry } from '../app/ports';
import { Id } from '../domain';
import { canonicalJson } from '../lib/canonical-json';
import type { CollectionSpec } from './mongo';
import { parseStored } from './repository-support';

/**
 * The chained log: one document per integrated event, `_id` the event's own id so the same event
 * can never be chained twice, and a unique (areaId, seq) so two sequencers can never fork a chain.
 */
export const AUDIT_EVENTS: CollectionSpec = {
  name: 'auditEvents',
  indexes: [
    { key: { areaId: 1, seq: 1 }, name: 'audit_area_seq_unique', unique: true },
    { key: { 'entity.type': 1, 'entity.id': 1, seq: 1 }, name: 'audit_entity_seq' },
  ],
};

/**
 * Appended events waiting for the sequencer. A collection of its own because a unique index over a
 * field that is missing on many documents clashes on MongoDB (they all index as null), and so the
 * sequencer reads a short queue rather than searching a log that only grows.
 */
export const AUDIT_QUEUE: CollectionSpec = {
  name: 'auditQueue',
  indexes: [
    { key: { order: 1 }, name: 'audit_queue_order' },
    { key: { 'entity.type': 1, 'entity.id': 1, order: 1 }, name: 'audit_queue_entity' },
    { key: { areaId: 1, at: 1 }, name: 'audit_queue_area_age' },
  ],
};

/** The chain's head as the sequencer recorded it after each batch: what truncation is measured against. */
export const AUDIT_CHECKPOINTS: CollectionSpec = {
  name: 'auditCheckpoints',
  indexes: [{ key: { areaId: 1, seq: 1 }, name: 'audit_checkpoint_area_seq' }],
};

/** One document: which bot instance may integrate the queue, and until when. */
export const AUDIT_SEQUENCER: CollectionSpec = { name: 'auditSequencer', indexes: [] };

/** The prevHash of the first event of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** An integrated event: the port's entry with its links present. */
export const ChainedEntry = AuditEntry.required({ seq: true, prevHash: true, hash: true });
export type ChainedEntry = z.infer<typeof ChainedEntry>;

export const LogDoc = ChainedEntry.omit({ id: true, at: true }).extend({ _id: Id, at: z.date() });
export type LogDoc = z.infer<typeof LogDoc>;

export const QueueDoc = AuditEntry.omit({ id: true, at: true, seq: true, prevHash: true, hash: true }).extend({
  _id: Id,
  at: z.date(),
  /** Append order: wall-clock milliseconds, then a per-process counter, then the process. */
  order: z.string().min(1),
});
export type QueueDoc = z.infer<typeof QueueDoc>;

export const CheckpointDoc = z.object({
  _id: z.string(),
  areaId: Id,
  seq: z.number().int().positive(),
  hash: z.string(),
  at: z.date(),
});
export type CheckpointDoc = z.infer<typeof CheckpointDoc>;

/** The end of a chain: the next event gets `seq + 1` and points at `hash`. */
export interface ChainLink {
  readonly seq: number;
  readonly hash: string;
}
export const START_OF_CHAIN: ChainLink = { seq: 0, hash: GENESIS_HASH };

export function toLogDoc(e: ChainedEntry): LogDoc {
  const { id, at, ...rest } = e;
  return LogDoc.parse({ _id: id, at: new Date(at), ...rest });
}

export function fromLogDoc(raw: unknown): ChainedEntry {
  const { _id, at, ...rest } = parseStored(LogDoc, raw, AUDIT_EVENTS.name);
  return { id: _id, at: at.toISOString(), ...rest };
}

export function fromQueueDoc(doc: QueueDoc): AuditEntry {
  const { _id, at, order: _order, ...rest } = doc;
  return { id: _id, at: at.toISOString(), ...rest };
}

/** Everything about an event except its hashes, in the form that is hashed. */
function hashedContent(e: Omit<ChainedEntry, 'prevHash' | 'hash'>): unknown {
  return {
    id: e.id,
    seq: e.seq,
    at: new Date(e.at).toISOString(),
    tenantId: e.tenantId,
    areaId: e.areaId,
    actorAadObjectId: e.actorAadObjectId,
    action: e.action,
    entity: e.entity,
    outcome: e.outcome,
    details: e.details,
  };
}

export function chainHash(prevHash: string, e: Omit<ChainedEntry, 'prevHash' | 'hash'>): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(hashedContent(e)))
    .digest('hex');
}

/** Chains `entries` onto `head`, in the order given. */
export function chainOnto(head: ChainLink, entries: readonly AuditEntry[]): ChainedEntry[] {
  let prev = head;
  return entries.map((entry) => {
    const unhashed = { ...entry, seq: prev.seq + 1 };
    const hash = chainHash(prev.hash, unhashed);
    const chained = { ...unhashed, prevHash: prev.hash, hash };
    prev = { seq: chained.seq, hash };
    return chained;
  });
}

const processToken = randomBytes(4).toString('hex');
let lastMs = 0;
let counter = 0;

/**
 * A queue position that sorts in this process's append order (the clock is never allowed to step
 * back, and the counter breaks ties) and roughly in wall-clock order across processes. No
 * coordination: appenders never ask anyone for a number.
 */
export function nextQueueOrder(now = Date.now()): string {
  lastMs = Math.max(lastMs, now);
  counter += 1;
  return `${lastMs.toString(36).padStart(9, '0')}.${counter.toString(36).padStart(9, '0')}.${processToken}`;
}
