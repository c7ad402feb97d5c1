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
 * Stored as the message less its content, which is kept as JSON text: card templates carry keys such
 * as `$schema` that MongoDB does not accept as field names, and the text is dropped once done.
 */
type Doc = Omit<OutboundMessage, 'id' | 'content'> & {
  _id: string;
  conversationKey: string;
  contentJson?: string;
};

function fromDoc(raw: unknown): OutboundMessage {
  const d = raw as Doc;
  const { _id, conversationKey: _key, contentJson, ...rest } = d;
  return parseStored(
    OutboundMessage,
    { ...rest, id: _id, ...(contentJson ? { content: OutboundContent.parse(JSON.parse(contentJson)) } : {}) },
    OUTBOUND.name,
  );
}

export class MongoOutboundQueue implements OutboundQueue {
  private readonly col: Collection<Doc>;
  constructor(db: Db) {
    this.col = db.collection<Doc>(OUTBOUND.name);
  }

  async enqueue(input: OutboundRequest, now: Date) {
    const request = OutboundRequest.parse(input);
    const { content, ...rest } = request;
    const doc: Doc = stripUndefined({
      ...rest,
      _id: request.dedupeKey,
      conversationKey: conversationKeyOf(request),
      contentJson: JSON.stringify(content),
      status: 'queued' as const,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    });
    try {
      await this.col.insertOne(doc);
      return { message: fromDoc(doc), duplicate: false };
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    // A failed message may be asked for again (the user pressed Send again): queue it afresh.
    const { _id, createdAt: _c, ...again } = doc;
    const requeued = await this.col.findOneAndUpdate(
      { _id, status: 'failed' },
      { $set: again, $unset: { failure: '', reportedAt: '', leaseOwner: '', lastStatus: '', delivered: '' } },
      { returnDocument: 'after' },
    );
    if (requeued) return { message: fromDoc(requeued), duplicate: false };
    const existing = await this.col.findOne({ _id });
    if (!existing) throw new Error('an outbound message vanished while being queued');
    return { message: fromDoc(existing), duplicate: true };
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
    // Read ahead of the limit so one conversation's long run of messages cannot fill the batch.
    const candidates = await this.col
      .find(skip.length ? { ...due, conversationKey: { $nin: [...skip] } } : due)
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
      const res = await this.col.updateOne(
        { _id: c._id, status: c.status, nextAttemptAt: c.nextAttemptAt },
        { $set: { status: 'sending', leaseOwner: owner, nextAttemptAt: leaseUntil } },
      );
      if (res.modifiedCount !== 1) continue;
      const message = fromDoc({ ...c, status: 'sending', leaseOwner: owner, nextAttemptAt: leaseUntil });
      claimed.push(message);
      opts.onClaimed?.(message);
    }
    return claimed;
  }

  async markDelivered(id: string, owner: string, posted: PostedActivity, now: Date): Promise<boolean> {
    const res = await this.col.updateOne(
      { _id: id, status: 'sending', leaseOwner: owner },
      {
        $set: { status: 'delivered', delivered: { ...posted, at: now, by: owner } },
        $inc: { attempts: 1 },
        $unset: { contentJson: '', leaseOwner: '' },
      },
    );
    return res.modifiedCount === 1;
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
    const done = await this.col.findOneAndUpdate(
      { _id: id, status: 'sending', leaseOwner: owner },
      {
        $set: { status: 'failed', failure: stripUndefined({ ...failure, at: now }) },
        $inc: { attempts: 1 },
        $unset: { contentJson: '', leaseOwner: '' },
      },
      { returnDocument: 'after' },
    );
    return done ? fromDoc(done) : null;
  }

  async markReported(id: string, now: Date): Promise<void> {
    await this.col.updateOne({ _id: id, status: 'failed' }, { $set: { reportedAt: now } });
  }

  async unreportedFailures(limit: number): Promise<OutboundMessage[]> {
    const raw = await this.col
      .find({ status: 'failed', reportFailure: true, reportedAt: { $exists: false } })
      .limit(limit)
      .toArray();
    return raw.map(fromDoc);
  }

  async purgeDelivered(before: Date): Promise<number> {
    const res = await this.col.deleteMany({ status: 'delivered', 'delivered.at': { $lt: before } });
    return res.deletedCount;
  }

  async get(id: string): Promise<OutboundMessage | null> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? fromDoc(raw) : null;
  }
}
