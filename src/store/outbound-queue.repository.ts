import { randomBytes } from 'node:crypto';
import type { AnyBulkWriteOperation, Collection, Db, Filter } from 'mongodb';
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
 * Every change of a queued message's state, one row per step, keyed by the message, its incarnation and
 * the step number. Whoever inserts a step's row owns that step (a unique `_id` is the one conditional
 * write FerretDB v1 does without scanning: it uses no index for a filter other than `_id` alone), then
 * writes the message by `_id` alone. The row holds the step's outcome, so a step whose writer died is
 * finished by whoever next finds the row taken.
 */
export const OUTBOUND_STEPS: CollectionSpec = {
  name: 'outboundSteps',
  indexes: [{ key: { at: 1 }, name: 'at' }],
};

/**
 * How long a newly queued message is held back while `enqueue` checks the log for an earlier delivery of
 * the same key; if the instance dies in between, the message goes out this much later rather than not at all.
 */
const ENQUEUE_HOLD_MS = 30_000;

/**
 * How old a step taken by another must be before it is taken as orphaned (its writer died between taking
 * and applying it) and finished by whoever finds it; a writer applies its step milliseconds after taking it.
 */
const ORPHANED_STEP_MS = 10_000;

/**
 * Stored as the message less its content, which is kept as JSON text: card templates carry keys such
 * as `$schema` that MongoDB does not accept as field names, and the text is dropped once done.
 */
type Doc = Omit<OutboundMessage, 'id' | 'content'> & {
  _id: string;
  conversationKey: string;
  contentJson?: string;
  /** This incarnation of the key (a failed key queued again is a new one) and its step number. */
  ver: string;
  seq: number;
};

type LogDoc = Omit<Doc, 'contentJson' | 'leaseOwner' | 'ver' | 'seq'> & { doneAt: Date; unreported?: true };

/** What a step does to the message: change fields, log the outcome and remove it, or just remove it. */
type Next =
  | { kind: 'set'; set: Partial<Doc>; unset?: Array<keyof Doc>; inc?: number }
  | { kind: 'done'; log: LogDoc }
  | { kind: 'drop' };
type StepDoc = { _id: string; at: Date; next: Next };
type Step = { readonly doc: Pick<Doc, '_id' | 'ver' | 'seq'>; readonly next: Next };

const stepIdOf = (doc: Pick<Doc, '_id' | 'ver' | 'seq'>) => `${doc._id}#${doc.ver}#${doc.seq}`;

/** The per-document errors of an unordered bulk write, or null for any other error. */
function writeErrorsOf(e: unknown): { index: number; code: number }[] | null {
  const errors = (e as { writeErrors?: unknown } | null)?.writeErrors;
  const list = (Array.isArray(errors) ? errors : errors ? [errors] : []) as { index: number; code: number }[];
  // None listed (a lost connection, say): nothing is known to be written or refused.
  return list.length > 0 ? list : null;
}

/**
 * Steps are taken and written in bulk writes of at most this many: FerretDB v1 closed the connection on
 * a bulk update of 100 (local probe, 2026-11-30), while 25 cost the same per write as single ones.
 */
const BULK_CHUNK = 25;

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += BULK_CHUNK) out.push(xs.slice(i, i + BULK_CHUNK));
  return out;
}

/** How many outcomes are written in one batch at most. */
const RECORD_BATCH = 100;

function fromDoc(raw: unknown): OutboundMessage {
  const d = raw as Doc & { doneAt?: Date; unreported?: true };
  const { _id, conversationKey: _key, contentJson, doneAt: _d, unreported: _u, ver: _v, seq: _s, ...rest } = d;
  return parseStored(
    OutboundMessage,
    { ...rest, id: _id, ...(contentJson ? { content: OutboundContent.parse(JSON.parse(contentJson)) } : {}) },
    OUTBOUND.name,
  );
}

export class MongoOutboundQueue implements OutboundQueue {
  private readonly col: Collection<Doc>;
  private readonly log: Collection<LogDoc>;
  private readonly steps: Collection<StepDoc>;
  /** What this instance has claimed and not yet recorded, as it stands after the claim, and when claimed. */
  private readonly leased = new Map<string, { doc: Doc; at: Date }>();
  private readonly pending: (Step & {
    now: Date;
    resolve: (won: boolean) => void;
    reject: (e: unknown) => void;
  })[] = [];
  private flushing: Promise<void> | undefined;
  constructor(db: Db) {
    this.col = db.collection<Doc>(OUTBOUND.name);
    this.log = db.collection<LogDoc>(OUTBOUND_LOG.name);
    this.steps = db.collection<StepDoc>(OUTBOUND_STEPS.name);
  }

  /**
   * Takes step `doc.seq` of the message and applies it; false when another took that step first (its
   * step is then finished here, in case its writer died before applying it).
   */
  private async step(doc: Pick<Doc, '_id' | 'ver' | 'seq'>, next: Next, now: Date): Promise<boolean> {
    const [won] = await this.steps_([{ doc, next }], now);
    return won === true;
  }

  /**
   * Takes several messages' steps at once: one insert of all step rows (unordered, so each is won or
   * lost alone), then the winners applied in bulk. The same rule as one step at a time, at a few
   * commands per batch instead of a few per message (each command waits its turn on a serialising server).
   */
  private async steps_(items: readonly Step[], now: Date): Promise<boolean[]> {
    const won: boolean[] = [];
    for (const part of chunks(items)) won.push(...(await this.stepChunk(part, now)));
    return won;
  }

  private async stepChunk(items: readonly Step[], now: Date): Promise<boolean[]> {
    const rows = items.map(({ doc, next }) => ({ _id: stepIdOf(doc), at: now, next }));
    const lost = new Set<number>();
    try {
      await this.steps.insertMany(rows, { ordered: false });
    } catch (e) {
      const errors = writeErrorsOf(e);
      if (!errors || errors.some((w) => w.code !== 11000)) throw e;
      for (const w of errors) lost.add(w.index);
    }
    const won = items.map((_, i) => !lost.has(i));
    await this.applyAll(items.filter((_, i) => won[i]));
    for (const i of lost) {
      const { doc } = items[i]!;
      const taken = await this.steps.findOne({ _id: rows[i]!._id });
      // Finished here only when its writer is presumed dead and the message is still at that step:
      // applying a live writer's step late would set the message back to a state it has since left.
      if (taken && now.getTime() - taken.at.getTime() >= ORPHANED_STEP_MS) {
        const current = await this.col.findOne({ _id: doc._id }, { projection: { ver: 1, seq: 1 } });
        if (current?.ver === doc.ver && current.seq === doc.seq) await this.applyAll([{ doc, next: taken.next }]);
      }
    }
    return won;
  }

  /**
   * Writes taken steps, every write by `_id` alone (cheap on any server); applying a step twice leaves
   * the same result. A finished message's log row is written before it leaves `outbound`, so a crash
   * in between loses nothing (the next claimer finishes it).
   */
  private async applyAll(items: readonly Step[]): Promise<void> {
    if (items.length === 0) return;
    const sets = items.flatMap(({ doc, next }): AnyBulkWriteOperation<Doc>[] =>
      next.kind === 'set'
        ? [
            {
              updateOne: {
                filter: { _id: doc._id },
                update: {
                  $set: { ...next.set, seq: doc.seq + 1 },
                  ...(next.unset?.length ? { $unset: Object.fromEntries(next.unset.map((k) => [k, ''])) } : {}),
                },
              },
            },
          ]
        : [],
    );
    if (sets.length) await this.col.bulkWrite(sets, { ordered: false });
    const done = items.flatMap(({ doc, next }) => (next.kind === 'done' ? [{ id: doc._id, log: next.log }] : []));
    if (done.length) {
      // Mostly the key's first outcome: one insert; a key already logged is looked at alone.
      let again: typeof done = [];
      try {
        await this.log.insertMany(
          done.map((d) => d.log),
          { ordered: false },
        );
      } catch (e) {
        const errors = writeErrorsOf(e);
        if (!errors || errors.some((w) => w.code !== 11000)) throw e;
        again = errors.map((w) => done[w.index]!);
      }
      for (const d of again) {
        const logged = await this.log.findOne({ _id: d.id }, { projection: { status: 1 } });
        // A delivered row is final; a failed one is replaced when the same key is later delivered or fails again.
        if (logged?.status !== 'delivered') await this.log.replaceOne({ _id: d.id }, d.log, { upsert: true });
      }
    }
    const removals = items.flatMap(({ doc, next }): AnyBulkWriteOperation<Doc>[] =>
      next.kind === 'set' ? [] : [{ deleteOne: { filter: { _id: doc._id } } }],
    );
    if (removals.length) await this.col.bulkWrite(removals, { ordered: false });
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
      ver: `${now.getTime().toString(36)}.${randomBytes(4).toString('hex')}`,
      seq: 0,
    });
    try {
      await this.col.insertOne(doc);
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      const existing = await this.col.findOne({ _id: doc._id });
      if (existing) return { message: fromDoc(existing), duplicate: true };
      // It left the queue between the insert and the read: its outcome is in the log now.
      return this.enqueue(input, now);
    }
    // Checked after the insert, while the message is held back from claims: a delivery of the same key
    // that finished before the insert is in the log by now (logged before it leaves `outbound`).
    const done = await this.log.findOne({ _id: doc._id });
    if (done?.status === 'delivered') {
      await this.step(doc, { kind: 'drop' }, now);
      return { message: fromDoc(done), duplicate: true };
    }
    // A failed message may be asked for again (the user pressed Send again): it goes out afresh.
    await this.step(doc, { kind: 'set', set: { nextAttemptAt: now } }, now);
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
    // One read finds a batch of candidates; each is then claimed by a step insert and a write by `_id`.
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
    const set = { status: 'sending' as const, leaseOwner: owner, nextAttemptAt: leaseUntil };
    const claimed: OutboundMessage[] = [];
    // A chunk at a time, each handed over as soon as it is claimed so sending starts before the rest.
    for (const part of chunks(chosen.slice(0, opts.limit))) {
      // Taken at the step that was read: if another instance moved it on in between, this one loses.
      const won = await this.steps_(
        part.map((doc) => ({ doc, next: { kind: 'set', set } })),
        now,
      );
      part.forEach((c, i) => {
        if (!won[i]) return;
        const leased: Doc = { ...c, ...set, seq: c.seq + 1 };
        this.leased.set(c._id, { doc: leased, at: now });
        const message = fromDoc(leased);
        claimed.push(message);
        opts.onClaimed?.(message);
      });
    }
    return claimed;
  }

  /**
   * The message as `owner` claimed it, if `owner` holds its lease. What this instance claimed is known
   * without a read: if anyone has moved the message on since, they took the step after the claim, so
   * this owner's next step (the same step number) is refused by its unique key just as a read would
   * have shown the lease lost. That holds while the step rows are kept, so the claim is trusted only
   * while its lease runs (steps are kept far longer) and not past a purge; otherwise, or for a claim
   * made by another process, the message is read.
   */
  private async held(id: string, owner: string, now: Date): Promise<Doc | null> {
    const mine = this.leased.get(id);
    this.leased.delete(id);
    if (mine?.doc.leaseOwner === owner && now < mine.doc.nextAttemptAt) return mine.doc;
    const doc = await this.col.findOne({ _id: id });
    return doc?.status === 'sending' && doc.leaseOwner === owner ? doc : null;
  }

  /**
   * Records the outcome in the log and removes the message from the queue, as one step under the lease:
   * the step's row carries the log row, so if this instance dies part-way the next claimer of the message
   * finds the step taken and finishes it (writes the row, removes the message) rather than sending again.
   */
  private async finish(
    id: string,
    owner: string,
    outcome: Pick<LogDoc, 'status' | 'delivered' | 'failure'>,
    now: Date,
  ): Promise<LogDoc | null> {
    const current = await this.held(id, owner, now);
    if (!current) return null;
    const { contentJson: _c, leaseOwner: _o, ver: _v, seq: _s, ...rest } = current;
    const row: LogDoc = stripUndefined({
      ...rest,
      ...outcome,
      attempts: current.attempts + 1,
      doneAt: now,
      ...(outcome.status === 'failed' && current.reportFailure ? { unreported: true as const } : {}),
    });
    return (await this.recordBatched(current, { kind: 'done', log: row }, now)) ? row : null;
  }

  /**
   * Outcomes are written together: each waits for the batch being written (if any) to finish, then
   * goes with everything that arrived meanwhile. Under load a batch per round trip; alone, at once.
   */
  private recordBatched(doc: Doc, next: Next, now: Date): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ doc, next, now, resolve, reject });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, RECORD_BATCH);
      try {
        // The step rows carry the time each outcome was decided; the batch is taken at the latest.
        const now = batch.reduce((t, b) => (b.now > t ? b.now : t), batch[0]!.now);
        const won = await this.steps_(batch, now);
        batch.forEach((b, i) => b.resolve(won[i] === true));
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    this.flushing = undefined;
  }

  async markDelivered(id: string, owner: string, posted: PostedActivity, now: Date): Promise<boolean> {
    return (
      (await this.finish(id, owner, { status: 'delivered', delivered: { ...posted, at: now, by: owner } }, now)) !==
      null
    );
  }

  async retryAt(id: string, owner: string, at: Date, opts: { attempted: boolean; status?: number }) {
    const current = await this.held(id, owner, new Date());
    if (!current) return false;
    return this.step(
      current,
      {
        kind: 'set',
        set: {
          status: 'queued',
          nextAttemptAt: at,
          attempts: current.attempts + (opts.attempted ? 1 : 0),
          ...(opts.status !== undefined ? { lastStatus: opts.status } : {}),
        },
        unset: ['leaseOwner'],
      },
      new Date(),
    );
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
    const row = await this.log.findOne({ _id: id });
    if (row?.status === 'failed')
      await this.log.updateOne({ _id: id }, { $set: { reportedAt: now }, $unset: { unreported: '' } });
  }

  async unreportedFailures(limit: number): Promise<OutboundMessage[]> {
    const raw = await this.log.find({ unreported: true }).limit(limit).toArray();
    return raw.map(fromDoc);
  }

  async depth(): Promise<number> {
    // `outbound` holds only what is still to send: its size is the depth (collection metadata on MongoDB).
    return this.col.estimatedDocumentCount();
  }

  async purgeDelivered(before: Date): Promise<number> {
    const res = await this.log.deleteMany({ status: 'delivered', doneAt: { $lt: before } });
    await this.steps.deleteMany({ at: { $lt: before } });
    // A claim older than the steps just forgotten can no longer be checked by its step: read it instead.
    for (const [id, claim] of this.leased) if (claim.at < before) this.leased.delete(id);
    return res.deletedCount;
  }

  /** Still queued or sending, or else what became of it. */
  async get(id: string): Promise<OutboundMessage | null> {
    const raw = (await this.col.findOne({ _id: id })) ?? (await this.log.findOne({ _id: id }));
    return raw ? fromDoc(raw) : null;
  }
}
