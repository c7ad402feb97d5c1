import type { Collection, Db } from 'mongodb';
import type { Clock } from '../app/ports';
import {
  AUDIT_CHECKPOINTS,
  AUDIT_EVENTS,
  AUDIT_QUEUE,
  AUDIT_SEQUENCER,
  chainOnto,
  fromQueueDoc,
  QueueDoc,
  START_OF_CHAIN,
  toLogDoc,
  type ChainLink,
} from './audit-chain';
import { isDuplicateKeyError, type StoredDocument } from './repository-support';

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_CHECKPOINT_EVERY = 500;
const DEFAULT_CHECKPOINT_AFTER_MS = 5_000;

export interface IntegrationPass {
  /** Events moved from the queue into a chain (or found already there and dropped from the queue). */
  readonly integrated: number;
  /** Whether another pass now could find more work: the batch was full, or a conflict cut it short. */
  readonly again: boolean;
}

/**
 * Moves queued events into their area's hash chain, a batch at a time. Safe without the lease (the
 * lease only saves wasted work), and safe to stop at any point, because every step either repeats
 * harmlessly or fails loudly:
 *
 * 1. insert the batch into the log, ordered. The event's id is the `_id`, so an event already chained
 *    is refused, and the unique (areaId, seq) refuses a position another sequencer took. An ordered
 *    insert stops at the first refusal, so nothing is ever written after a link that failed.
 * 2. record a checkpoint (areaId, seq, hash, time) under a deterministic `_id`, when one is due: the
 *    area's first batch in this process, `checkpointEvery` events since the last, `checkpointAfterMs`
 *    since the last, or a caller asks for all (`integrateNow`, verification, shutdown). Under a light
 *    load every pass chains one or two events, and a checkpoint per pass doubled the chain's writes;
 *    the price is that deleting only the newest events chained in the last `checkpointAfterMs` goes
 *    unnoticed until the next checkpoint would have been written (each pass writes a due one even
 *    with nothing new to chain).
 * 3. delete the batch from the queue.
 *
 * A crash after 1 leaves events in both places; the next pass is refused on them, looks up which are
 * already chained, drops those from the queue and chains the rest. A missing checkpoint is covered
 * by the next batch's. The head of each chain is cached between passes and re-read after any
 * conflict: from the log's last event, or a later checkpoint if the log was cut short, so a
 * truncation stays visible as a gap rather than being papered over by new events.
 */
export class AuditSequencer {
  private readonly queue: Collection<StoredDocument>;
  private readonly log: Collection<StoredDocument>;
  private readonly checkpoints: Collection<StoredDocument>;
  private readonly batchSize: number;
  private readonly checkpointEvery: number;
  private readonly checkpointAfterMs: number;
  private readonly heads = new Map<string, ChainLink>();
  /** Per area, the last checkpoint this process wrote (seq, and when, by the machine's clock). */
  private readonly checkpointed = new Map<string, { readonly seq: number; readonly atMs: number }>();

  constructor(
    db: Db,
    private readonly clock: Clock,
    opts: { batchSize?: number; checkpointEvery?: number; checkpointAfterMs?: number } = {},
  ) {
    this.queue = db.collection(AUDIT_QUEUE.name);
    this.log = db.collection(AUDIT_EVENTS.name);
    this.checkpoints = db.collection(AUDIT_CHECKPOINTS.name);
    this.batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    this.checkpointEvery = opts.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    this.checkpointAfterMs = opts.checkpointAfterMs ?? DEFAULT_CHECKPOINT_AFTER_MS;
  }

  /** Drops every cached head, e.g. after the lease changed hands; the next pass reads them again. */
  forget(): void {
    this.heads.clear();
    this.checkpointed.clear();
  }

  /**
   * One pass. `checkpoints: 'all'` records every chained head not yet checkpointed (so the chain as
   * it now stands is covered); 'due' only those the interval calls for.
   */
  async integrate(opts: { checkpoints?: 'all' | 'due' } = {}): Promise<IntegrationPass> {
    const raw = await this.queue.find({}).sort({ order: 1, _id: 1 }).limit(this.batchSize).toArray();
    const byArea = new Map<string, QueueDoc[]>();
    for (const doc of raw) {
      // A queue document that no longer parses is left where it is, for verification to report as stale.
      const parsed = QueueDoc.safeParse(doc);
      if (!parsed.success) continue;
      const list = byArea.get(parsed.data.areaId) ?? [];
      list.push(parsed.data);
      byArea.set(parsed.data.areaId, list);
    }
    const done: string[] = [];
    let conflict = false;
    for (const [areaId, docs] of byArea) {
      const result = await this.integrateArea(areaId, docs);
      done.push(...result.done);
      conflict ||= result.conflict;
    }
    await this.writeCheckpoints(opts.checkpoints ?? 'all');
    if (done.length > 0) await this.queue.deleteMany({ _id: { $in: done } });
    return { integrated: done.length, again: raw.length === this.batchSize || conflict };
  }

  private async integrateArea(areaId: string, docs: QueueDoc[]): Promise<{ done: string[]; conflict: boolean }> {
    const head = this.heads.get(areaId) ?? (await this.readHead(areaId));
    const chained = chainOnto(head, docs.map(fromQueueDoc));
    try {
      await this.log.insertMany(chained.map(toLogDoc), { ordered: true });
    } catch (error) {
      this.heads.delete(areaId);
      if (!isDuplicateKeyError(error)) throw error;
      return { done: await this.alreadyChained(docs), conflict: true };
    }
    const last = chained[chained.length - 1]!;
    this.heads.set(areaId, { seq: last.seq, hash: last.hash });
    return { done: docs.map((d) => d._id), conflict: false };
  }

  /** Before the queue is emptied, so a crash in between leaves the events queued, not uncovered. */
  private async writeCheckpoints(which: 'all' | 'due'): Promise<void> {
    const nowMs = Date.now();
    for (const [areaId, head] of this.heads) {
      const last = this.checkpointed.get(areaId);
      if (last && last.seq >= head.seq) continue;
      const due =
        which === 'all' ||
        !last ||
        head.seq - last.seq >= this.checkpointEvery ||
        nowMs - last.atMs >= this.checkpointAfterMs;
      if (!due) continue;
      try {
        await this.checkpoints.insertOne({
          _id: `${areaId}:${head.seq}`,
          areaId,
          seq: head.seq,
          hash: head.hash,
          at: this.clock.now(),
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      this.checkpointed.set(areaId, { seq: head.seq, atMs: nowMs });
    }
  }

  /** After a refused insert: which of these queued events are in the log already (so done). */
  private async alreadyChained(docs: readonly QueueDoc[]): Promise<string[]> {
    const found = await this.log.find({ _id: { $in: docs.map((d) => d._id) } }, { projection: { _id: 1 } }).toArray();
    return found.map((d) => d._id);
  }

  private async readHead(areaId: string): Promise<ChainLink> {
    const [tail] = await this.log
      .find({ areaId, seq: { $gte: 1 } }, { projection: { seq: 1, hash: 1 } })
      .sort({ seq: -1 })
      .limit(1)
      .toArray();
    const [checkpoint] = await this.checkpoints
      .find({ areaId }, { projection: { seq: 1, hash: 1 } })
      .sort({ seq: -1 })
      .limit(1)
      .toArray();
    const link = (doc: StoredDocument | undefined): ChainLink =>
      doc && typeof doc.seq === 'number'
        ? // A tampered tail still fixes the next position; verification reports the break itself.
          { seq: doc.seq, hash: typeof doc.hash === 'string' ? doc.hash : START_OF_CHAIN.hash }
        : START_OF_CHAIN;
    const fromLog = link(tail);
    const fromCheckpoint = link(checkpoint);
    const head = fromCheckpoint.seq > fromLog.seq ? fromCheckpoint : fromLog;
    this.heads.set(areaId, head);
    // What is already there needs no new checkpoint; the next batch's is due at once (time 0).
    this.checkpointed.set(areaId, { seq: head.seq, atMs: 0 });
    return head;
  }
}

interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

const LEASE_ID = 'audit-sequencer';

/**
 * Which instance integrates the queue: a conditional upsert that succeeds for the holder or once the
 * lease has expired. Uses the machine's clock, not the app's, because it measures whether a process
 * is alive; clocks across instances need only agree to well within the lease's length.
 */
export class SequencerLease {
  private readonly col: Collection<LeaseDoc>;
  private heldUntil = 0;

  constructor(
    db: Db,
    private readonly instance: string,
    private readonly ttlMs: number,
  ) {
    this.col = db.collection<LeaseDoc>(AUDIT_SEQUENCER.name);
  }

  get held(): boolean {
    return this.heldUntil > Date.now();
  }

  /** True while this instance holds the lease; renews it once a third of its length has passed. */
  async hold(): Promise<boolean> {
    const now = Date.now();
    if (this.heldUntil - now > (this.ttlMs * 2) / 3) return true;
    try {
      const doc = await this.col.findOneAndUpdate(
        { _id: LEASE_ID, $or: [{ holder: this.instance }, { expiresAt: { $lt: new Date(now) } }] },
        { $set: { holder: this.instance, expiresAt: new Date(now + this.ttlMs) } },
        { upsert: true, returnDocument: 'after' },
      );
      if (doc?.holder === this.instance) {
        this.heldUntil = now + this.ttlMs;
        return true;
      }
    } catch (error) {
      // Someone else holds it: the upsert tried to create a second lease document.
      if (!isDuplicateKeyError(error)) throw error;
    }
    this.heldUntil = 0;
    return false;
  }

  /** Hands the lease back at once (on shutdown), so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    if (this.heldUntil === 0) return;
    this.heldUntil = 0;
    await this.col.updateOne({ _id: LEASE_ID, holder: this.instance }, { $set: { expiresAt: new Date(0) } });
  }
}
