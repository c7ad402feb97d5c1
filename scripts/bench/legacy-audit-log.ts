// The audit append as it was before the queue and sequencer (commit 6edbacb), kept verbatim in its
// logic as the 'before' reference for `npm run bench:audit`. Not used by the bot.
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { AuditAppend, type Clock } from '../../src/app/ports';
import { Id } from '../../src/domain';
import { chainHash, ChainedEntry, GENESIS_HASH, LogDoc, toLogDoc } from '../../src/store/audit-chain';
import type { CollectionSpec } from '../../src/store/mongo';
import { isDuplicateKeyError, newId, parseStored, type StoredDocument } from '../../src/store/repository-support';

export const LEGACY_AUDIT_HEADS: CollectionSpec = { name: 'auditHeads', indexes: [] };

const MAX_APPEND_ATTEMPTS = 50;

const HeadDoc = z.object({ _id: Id, seq: z.number().int().nonnegative(), lastHash: z.string(), updatedAt: z.date() });
type HeadDoc = z.infer<typeof HeadDoc>;
const LinkFields = z.object({ seq: z.number().int().positive(), hash: z.string() });

export class LegacyContentionError extends Error {
  constructor() {
    super(`no free sequence number after ${MAX_APPEND_ATTEMPTS} attempts`);
    this.name = 'AuditContentionError';
  }
}

const pause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));

/** Read the head, insert at seq + 1, move the head; on a lost race catch the head up, back off, retry. */
export class LegacyAuditLog {
  private readonly events: Collection<StoredDocument>;
  private readonly heads: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.events = db.collection('auditEvents');
    this.heads = db.collection(LEGACY_AUDIT_HEADS.name);
  }

  async append(input: AuditAppend): Promise<ChainedEntry> {
    const event = AuditAppend.parse(input);
    const id = newId();
    const at = this.clock.now().toISOString();
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const head = await this.readHead(event.areaId);
      const seq = (head?.seq ?? 0) + 1;
      const prevHash = head?.lastHash ?? GENESIS_HASH;
      const unhashed = { ...event, id, at, seq };
      const entry = ChainedEntry.parse({ ...unhashed, prevHash, hash: chainHash(prevHash, unhashed) });
      try {
        await this.events.insertOne(toLogDoc(entry));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await this.catchUpHead(event.areaId, head);
        await pause(attempt);
        continue;
      }
      await this.moveHead(event.areaId, head, entry.seq, entry.hash);
      return entry;
    }
    throw new LegacyContentionError();
  }

  /** The old verification: the chain in seq order, then its end against the head. */
  async verifyAuditChain(areaId: string): Promise<{ ok: boolean; count: number }> {
    const head = await this.readHead(areaId);
    let expected = 1;
    let prevHash = GENESIS_HASH;
    for await (const raw of this.events.find({ areaId }).sort({ seq: 1 })) {
      const parsed = LogDoc.safeParse(raw);
      if (!parsed.success) return { ok: false, count: expected - 1 };
      const { _id, at, ...rest } = parsed.data;
      const entry = { id: _id, at: at.toISOString(), ...rest };
      if (entry.seq !== expected || entry.prevHash !== prevHash || chainHash(entry.prevHash, entry) !== entry.hash) {
        return { ok: false, count: expected - 1 };
      }
      prevHash = entry.hash;
      expected++;
    }
    const count = expected - 1;
    return { ok: (head?.seq ?? 0) <= count && count - (head?.seq ?? 0) <= 1, count };
  }

  private async readHead(areaId: string): Promise<HeadDoc | null> {
    const raw = await this.heads.findOne({ _id: areaId });
    return raw ? parseStored(HeadDoc, raw, LEGACY_AUDIT_HEADS.name) : null;
  }

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

  private async catchUpHead(areaId: string, head: HeadDoc | null): Promise<void> {
    const last = await this.events.find({ areaId }).sort({ seq: -1 }).limit(1).next();
    const link = LinkFields.safeParse(last);
    if (!link.success || link.data.seq <= (head?.seq ?? 0)) return;
    await this.moveHead(areaId, head, link.data.seq, link.data.hash);
  }
}
