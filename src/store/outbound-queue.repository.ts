import type { Collection, Db, Filter } from 'mongodb';
import {
  conversationKeyOf,
  OutboundContent,
  OutboundMessage,
  OutboundRequest,
  type FailureReason,
  type OutboundQueue,
  type PostedActivity,
} from '../app/ports/outbound-queue.port';
import type { CollectionSpec } from './mongo';
import { isDuplicateKeyError, parseStored, stripUndefined } from './repository-support';

export const OUTBOUND: CollectionSpec = {
  name: 'outbound',
  // The claim query: due messages by status and time, so its cost follows what is due, not what is stored.
  indexes: [{ key: { status: 1, nextAttemptAt: 1 }, name: 'status_nextAttemptAt' }],
};

/**
 * What became of each message once it left `outbound`, one row per dedupe key: `outbound` holds only
 * what is still to send, so claiming stays cheap on a server that scans for every non-`_id` filter
 * (FerretDB v1) however much has gone out.
 */
export const OUTBOUND_LOG: CollectionSpec = {
  name: 'outboundLog',
  indexes: [
    // Failures not yet reported to the co-ordinator (the field exists only until reported).
    { key: { unreported: 1 }, name: 'unreported' },
    { key: { doneAt: 1 }, name: 'doneAt' },
  ],
};

/**
 * How long a newly queued message is held back while `enqueue` checks the log for an earlier delivery of
 * the same key; if the instance dies in between, the message goes out this much later rather than not at all.
 */
const ENQUEUE_HOLD_MS = 30_000;

/**
 * Stored as the message less its content, which is kept as JSON text: card templates carry keys such
 * as `$schema` that MongoDB does not accept as field names, and the text is dropped once done.
 */
type Doc = Omit<OutboundMessage, 'id' | 'content'> & {
  _id: string;
  conversationKey: string;
  contentJson?: string;
};

type LogDoc = Omit<Doc, 'contentJson' | 'leaseOwner'> & { doneAt: Date; unreported?: true };

function fromDoc(raw: unknown): OutboundMessage {
  const d = raw as Doc & { doneAt?: Date; unreported?: true };
  const { _id, conversationKey: _key, contentJson, doneAt: _d, unreported: _u, ...rest } = d;
  return parseStored(
    OutboundMessage,
    { ...rest, id: _id, ...(contentJson ? { content: OutboundContent.parse(JSON.parse(contentJson)) } : {}) },
    OUTBOUND.name,
  );
}

export class MongoOutboundQueue implements OutboundQueue {
  private readonly col: Collection<Doc>;
  private readonly log: Collection<LogDoc>;
  constructor(db: Db) {
    this.col = db.collection<Doc>(OUTBOUND.name);
    this.log = db.collection<LogDoc>(OUTBOUND_LOG.name);
  }

  async enqueue(input: OutboundRequest, now: Date): Promise<{ message: OutboundMessage; duplicate: boolean }> {
    const request = OutboundRequest.parse(input);
    const { content, ...rest } = request;
    const held = new Date(now.getTime() + ENQUEUE_HOLD_MS);
    const doc: Doc = stripUndefined({
      ...rest,
      _id: request.dedupeKey,
      conversationKey: conversationKeyOf(request),
      contentJson: JSON.stringify(content),
      status: 'queued' as const,
      attempts: 0,
      nextAttemptAt: held,
      createdAt: now,
    });
    try {
      await this.col.insertOne(doc);
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      const existing = await this.col.findOne({ _id: doc._id });
      if (existing) return { message: fromDoc(existing), duplicate: true };
      // It left the queue between the insert and the read: its outcome is in the log, or it is gone.
      return this.enqueue(input, now);
    }
    // Checked after the insert, while the message is held back from claims: a delivery of the same key
    // that finished before the insert is in the log by now (logged before it leaves `outbound`).
    const done = await this.log.findOne({ _id: doc._id });
    if (done?.status === 'delivered') {
      await this.col.deleteOne({ _id: doc._id, status: 'queued', nextAttemptAt: held });
      return { message: fromDoc(done), duplicate: true };
    }
    // A failed message may be asked for again (the user pressed Send again): it goes out afresh.
    await this.col.updateOne({ _id: doc._id, status: 'queued', nextAttemptAt: held }, { $set: { nextAttemptAt: now } });
    return { message: fromDoc({ ...doc, nextAttemptAt: now }), duplicate: false };
  }

  async claimDue(
    owner: string,
    now: Date,
    opts: {
      limit: number;
      leaseMs: number;
      skipConversations?: readonly string[];
      perConversation?: number;
      onClaimed?: (message: OutboundMessage) => void;
    },
  ): Promise<OutboundMessage[]> {
    // "sending" with a lease run out is due too: its sender died or hung, so another may take it.
    const due: Filter<Doc> = { status: { $in: ['queued', 'sending'] }, nextAttemptAt: { $lte: now } };
    const skip = opts.skipConversations ?? [];
    const perConversation = opts.perConversation ?? opts.limit;
    // One read finds a batch of candidates; each is then claimed by `_id`, which is cheap on any server.
    // Read ahead of the limit so one conversation's long run of messages cannot fill the batch.
    const candidates = await this.col
      .find(skip.length ? { ...due, conversationKey: { $nin: [...skip] } } : due, { projection: { contentJson: 0 } })
      .sort({ nextAttemptAt: 1 })
      .limit(perConversation < opts.limit ? opts.limit * 5 : opts.limit)
      .toArray();
    const taken = new Map<string, number>();
    const chosen = candidates.filter((c) => {
      const n = taken.get(c.conversationKey) ?? 0;
      if (n >= perConversation) return false;
      taken.set(c.conversationKey, n + 1);
      return true;
    });
    const leaseUntil = new Date(now.getTime() + opts.leaseMs);
    const claimed: OutboundMessage[] = [];
    for (const c of chosen.slice(0, opts.limit)) {
      // Conditional on what was read: if another instance claimed it in between, this matches nothing.
      const doc = await this.col.findOneAndUpdate(
        { _id: c._id, status: c.status, nextAttemptAt: c.nextAttemptAt },
        { $set: { status: 'sending', leaseOwner: owner, nextAttemptAt: leaseUntil } },
        { returnDocument: 'after' },
      );
      if (!doc) continue;
      // Taken over from a sender whose lease ran out: it may have died after logging the outcome but
      // before removing the message, and then the outcome stands (no second send).
      if (c.status === 'sending' && (await this.finishIfLogged(doc, owner))) continue;
      const message = fromDoc(doc);
      claimed.push(message);
      opts.onClaimed?.(message);
    }
    return claimed;
  }

  private async finishIfLogged(doc: Doc, owner: string): Promise<boolean> {
    const logged = await this.log.findOne({ _id: doc._id });
    if (!logged || logged.doneAt < doc.createdAt) return false;
    await this.col.deleteOne({ _id: doc._id, status: 'sending', leaseOwner: owner });
    return true;
  }

  /**
   * Records the outcome in the log, then removes the message from the queue under the lease. The log
   * row comes first so a crash in between loses no record: the row is keyed by the dedupe key and
   * written idempotently, and whoever takes the expired lease over sees it and only removes the message.
   * The other order would lose the record (and a failure's report) on such a crash.
   */
  private async finish(
    id: string,
    owner: string,
    outcome: Pick<LogDoc, 'status' | 'delivered' | 'failure'>,
    now: Date,
  ): Promise<LogDoc | null> {
    const current = await this.col.findOne(
      { _id: id, status: 'sending', leaseOwner: owner },
      { projection: { contentJson: 0 } },
    );
    if (!current) return null;
    const { contentJson: _c, leaseOwner: _o, lastStatus, ...rest } = current;
    const row: LogDoc = stripUndefined({
      ...rest,
      ...outcome,
      ...(lastStatus !== undefined ? { lastStatus } : {}),
      attempts: current.attempts + 1,
      doneAt: now,
      ...(outcome.status === 'failed' && current.reportFailure ? { unreported: true as const } : {}),
    });
    try {
      // A delivered row is final; a failed one is replaced when the same key is later delivered or fails again.
      await this.log.replaceOne({ _id: id, status: { $ne: 'delivered' } }, row, { upsert: true });
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    const res = await this.col.deleteOne({ _id: id, status: 'sending', leaseOwner: owner });
    // The lease was lost in between (this instance stalled past it): the row stands, and whoever holds the
    // lease now finds it on taking the message over.
    return res.deletedCount === 1 ? row : null;
  }

  async markDelivered(id: string, owner: string, posted: PostedActivity, now: Date): Promise<boolean> {
    return (
      (await this.finish(id, owner, { status: 'delivered', delivered: { ...posted, at: now, by: owner } }, now)) !==
      null
    );
  }

  async retryAt(id: string, owner: string, at: Date, opts: { attempted: boolean; status?: number }) {
    const res = await this.col.updateOne(
      { _id: id, status: 'sending', leaseOwner: owner },
      {
        $set: {
          status: 'queued',
          nextAttemptAt: at,
          ...(opts.status !== undefined ? { lastStatus: opts.status } : {}),
        },
        $inc: { attempts: opts.attempted ? 1 : 0 },
        $unset: { leaseOwner: '' },
      },
    );
    return res.modifiedCount === 1;
  }

  async markFailed(id: string, owner: string, failure: { reason: FailureReason; status?: number }, now: Date) {
    const row = await this.finish(
      id,
      owner,
      { status: 'failed', failure: stripUndefined({ ...failure, at: now }) },
      now,
    );
    return row ? fromDoc(row) : null;
  }

  async markReported(id: string, now: Date): Promise<void> {
    await this.log.updateOne({ _id: id, status: 'failed' }, { $set: { reportedAt: now }, $unset: { unreported: '' } });
  }

  async unreportedFailures(limit: number): Promise<OutboundMessage[]> {
    const raw = await this.log.find({ unreported: true }).limit(limit).toArray();
    return raw.map(fromDoc);
  }

  async purgeDelivered(before: Date): Promise<number> {
    const res = await this.log.deleteMany({ status: 'delivered', doneAt: { $lt: before } });
    return res.deletedCount;
  }

  /** Still queued or sending, or else what became of it. */
  async get(id: string): Promise<OutboundMessage | null> {
    const raw = (await this.col.findOne({ _id: id })) ?? (await this.log.findOne({ _id: id }));
    return raw ? fromDoc(raw) : null;
  }
}
