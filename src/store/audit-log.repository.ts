import { createHash } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import {
  AuditAppend,
  AuditEntry,
  type AuditEntityType,
  type AuditLog,
  type ChainBreak,
  type ChainVerification,
  type Clock,
} from '../app/ports';
import { Id } from '../domain';
import { canonicalJson } from './canonical-json';
import type { CollectionSpec } from './mongo';
import { isDuplicateKeyError, newId, parseStored, type StoredDocument } from './repository-support';

export const AUDIT_EVENTS: CollectionSpec = {
  name: 'auditEvents',
  indexes: [
    // The chain's backbone: at most one event per position, whoever tries to write it.
    { key: { areaId: 1, seq: 1 }, name: 'audit_area_seq_unique', unique: true },
    { key: { 'entity.type': 1, 'entity.id': 1, seq: 1 }, name: 'audit_entity_seq' },
  ],
};
/** One head per area: the last sequence number and hash, moved forward only by conditional writes. */
export const AUDIT_HEADS: CollectionSpec = { name: 'auditHeads', indexes: [] };

/** The prevHash of the first event of every chain. */
export const GENESIS_HASH = '0'.repeat(64);
/** Enough for dozens of simultaneous writers in one area; beyond that something is wrong. */
const MAX_APPEND_ATTEMPTS = 50;

const AuditDoc = AuditEntry.omit({ id: true, at: true }).extend({ _id: Id, at: z.date() });
type AuditDoc = z.infer<typeof AuditDoc>;

const HeadDoc = z.object({ _id: Id, seq: z.number().int().nonnegative(), lastHash: z.string(), updatedAt: z.date() });
type HeadDoc = z.infer<typeof HeadDoc>;

/** Only the link fields, for catching up a head; tolerant so a tampered body cannot stop appends. */
const LinkFields = z.object({ seq: z.number().int().positive(), hash: z.string() });

function toDoc(e: AuditEntry): AuditDoc {
  const { id, at, ...rest } = e;
  return AuditDoc.parse({ _id: id, at: new Date(at), ...rest });
}

function fromDoc(raw: unknown): AuditEntry {
  const { _id, at, ...rest } = parseStored(AuditDoc, raw, AUDIT_EVENTS.name);
  return { id: _id, at: at.toISOString(), ...rest };
}

/** Everything about an event except its hashes, in the form that is hashed. */
function hashedContent(e: Omit<AuditEntry, 'prevHash' | 'hash'>): unknown {
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

export function chainHash(prevHash: string, e: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(hashedContent(e)))
    .digest('hex');
}

/** Raised when appends in one area keep losing races; an infrastructure problem, not an expected failure. */
export class AuditContentionError extends Error {
  constructor(areaId: string) {
    super(`Audit chain for area ${areaId}: no free sequence number after ${MAX_APPEND_ATTEMPTS} attempts`);
    this.name = 'AuditContentionError';
  }
}

const pause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));

/**
 * The audit trail as a hash chain per area.
 *
 * Append inserts the event at `head.seq + 1` first and then moves the head on with a conditional
 * write ({ _id: area, seq: n } → n + 1). The unique (areaId, seq) index is what stops a fork: of two
 * appenders that read the same head, one insert wins and the other gets a duplicate key, helps the
 * head forward and retries. Inserting before advancing (rather than claiming the head first) means a
 * crash between the two steps leaves a head one behind, which the next append repairs, instead of a
 * claimed number with no event, which would look exactly like a deleted event for ever after.
 */
export class MongoAuditLog implements AuditLog {
  private readonly events: Collection<StoredDocument>;
  private readonly heads: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.events = db.collection(AUDIT_EVENTS.name);
    this.heads = db.collection(AUDIT_HEADS.name);
  }

  async append(input: AuditAppend): Promise<AuditEntry> {
    const event = AuditAppend.parse(input);
    const id = newId();
    const at = this.clock.now().toISOString();
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const head = await this.readHead(event.areaId);
      const seq = (head?.seq ?? 0) + 1;
      const prevHash = head?.lastHash ?? GENESIS_HASH;
      const unhashed = { ...event, id, at, seq };
      const entry = AuditEntry.parse({ ...unhashed, prevHash, hash: chainHash(prevHash, unhashed) });
      try {
        await this.events.insertOne(toDoc(entry));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await this.catchUpHead(event.areaId, head);
        await pause(attempt);
        continue;
      }
      await this.moveHead(event.areaId, head, entry.seq, entry.hash);
      return entry;
    }
    throw new AuditContentionError(event.areaId);
  }

  async listForEntity(entityType: AuditEntityType, id: string, opts: { limit?: number } = {}): Promise<AuditEntry[]> {
    // Newest first to apply the limit, then back to chronological order for the caller.
    const docs = await this.events
      .find({ 'entity.type': entityType, 'entity.id': id })
      .sort({ seq: -1 })
      .limit(opts.limit ?? 500)
      .toArray();
    return docs.map(fromDoc).reverse();
  }

  async verifyAuditChain(areaId: string): Promise<ChainVerification> {
    const broken = (brokenAtSeq: number, reason: ChainBreak): ChainVerification => ({ ok: false, brokenAtSeq, reason });
    const head = await this.readHead(areaId);
    let expected = 1;
    let prevHash = GENESIS_HASH;
    let hashAtHead: string | undefined;
    for await (const raw of this.events.find({ areaId }).sort({ seq: 1 })) {
      const parsed = AuditDoc.safeParse(raw);
      if (!parsed.success) return broken(typeof raw.seq === 'number' ? raw.seq : expected, 'malformed');
      const entry = fromDoc(parsed.data);
      if (entry.seq !== expected) return broken(expected, 'seq_gap');
      if (entry.prevHash !== prevHash) return broken(entry.seq, 'prev_hash_mismatch');
      if (chainHash(entry.prevHash, entry) !== entry.hash) return broken(entry.seq, 'hash_mismatch');
      if (entry.seq === head?.seq) hashAtHead = entry.hash;
      prevHash = entry.hash;
      expected++;
    }
    const count = expected - 1;
    const headSeq = head?.seq ?? 0;
    if (headSeq > count) return broken(count + 1, 'truncated');
    // A crash between insert and head move leaves the head one behind; more than that is not ours.
    if (count - headSeq > 1) return broken(headSeq + 1, 'head_mismatch');
    if (head && headSeq > 0 && hashAtHead !== head.lastHash) return broken(headSeq, 'head_mismatch');
    return { ok: true, count };
  }

  private async readHead(areaId: string): Promise<HeadDoc | null> {
    const raw = await this.heads.findOne({ _id: areaId });
    return raw ? parseStored(HeadDoc, raw, AUDIT_HEADS.name) : null;
  }

  /** Moves the head from where we read it; losing means someone already moved it, which is fine. */
  private async moveHead(areaId: string, from: HeadDoc | null, seq: number, lastHash: string): Promise<void> {
    const updatedAt = this.clock.now();
    if (from) {
      await this.heads.findOneAndUpdate({ _id: from._id, seq: from.seq }, { $set: { seq, lastHash, updatedAt } });
      return;
    }
    try {
      await this.heads.insertOne({ _id: areaId, seq, lastHash, updatedAt });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Our seq was taken: bring the head up to the newest stored event before trying again. */
  private async catchUpHead(areaId: string, head: HeadDoc | null): Promise<void> {
    const last = await this.events.find({ areaId }).sort({ seq: -1 }).limit(1).next();
    const link = LinkFields.safeParse(last);
    if (!link.success || link.data.seq <= (head?.seq ?? 0)) return;
    await this.moveHead(areaId, head, link.data.seq, link.data.hash);
  }
}
