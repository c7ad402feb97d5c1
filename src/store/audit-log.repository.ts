import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Collection, Db, FindCursor } from 'mongodb';
import {
  AuditAppend,
  AuditEntry,
  type AuditEntityType,
  type AuditLog,
  type ChainBreak,
  type ChainVerification,
  type Clock,
} from '../app/ports';
import {
  AUDIT_CHECKPOINTS,
  AUDIT_EVENTS,
  AUDIT_QUEUE,
  chainHash,
  CheckpointDoc,
  fromLogDoc,
  fromQueueDoc,
  GENESIS_HASH,
  LogDoc,
  nextQueueOrder,
  QueueDoc,
} from './audit-chain';
import { AuditSequencer, SequencerLease } from './audit-sequencer';
import { newId, parseStored, type StoredDocument } from './repository-support';

export { AUDIT_CHECKPOINTS, AUDIT_EVENTS, AUDIT_QUEUE, AUDIT_SEQUENCER, chainHash, GENESIS_HASH } from './audit-chain';

export interface AuditLogOptions {
  /** Names this process in the sequencer lease; unique per running instance. */
  readonly instance?: string;
  /** How long the sequencer lease lasts without renewal: how soon another instance takes over. */
  readonly leaseMs?: number;
  /** Queued events older than this (by the app clock) make verification fail. */
  readonly staleAfterMs?: number;
  readonly batchSize?: number;
  /** The background loop checkpoints a chain after this many events or this long, whichever comes first. */
  readonly checkpointEvery?: number;
  readonly checkpointAfterMs?: number;
}

export interface RunningAuditSequencer {
  /** Finishes the pass in progress, integrates what is still queued, then hands the lease back. */
  stop(): Promise<void>;
}

const DEFAULT_LEASE_MS = 15_000;
const DEFAULT_STALE_AFTER_MS = 60_000;
const DEFAULT_GATHER_MS = 25;

/**
 * The audit trail as a hash chain per area, built the way Certificate Transparency logs are:
 * appenders write their event to a queue and return, and one sequencer at a time (a lease across
 * every bot instance) integrates the queue in batches into the chain and records a checkpoint every N events
 * or T seconds. No appender ever reads, retries or waits for another, so audited actions cost one insert
 * however many users act at once. See `AuditSequencer` for why integration survives a crash at any
 * point and never chains an event twice, even with two sequencers at once.
 */
export class MongoAuditLog implements AuditLog {
  private readonly queue: Collection<StoredDocument>;
  private readonly events: Collection<StoredDocument>;
  private readonly checkpoints: Collection<StoredDocument>;
  private readonly sequencer: AuditSequencer;
  private readonly lease: SequencerLease;
  private readonly staleAfterMs: number;
  private readonly leaseMs: number;
  /** Passes run one at a time per instance, whether from the loop, `integrateNow` or `verify`. */
  private passes: Promise<unknown> = Promise.resolve();
  private leaseWasHeld = false;
  private onAppend: (() => void) | undefined;

  constructor(
    db: Db,
    private readonly clock: Clock,
    opts: AuditLogOptions = {},
  ) {
    this.queue = db.collection(AUDIT_QUEUE.name);
    this.events = db.collection(AUDIT_EVENTS.name);
    this.checkpoints = db.collection(AUDIT_CHECKPOINTS.name);
    this.sequencer = new AuditSequencer(db, clock, {
      batchSize: opts.batchSize,
      checkpointEvery: opts.checkpointEvery,
      checkpointAfterMs: opts.checkpointAfterMs,
    });
    const instance = opts.instance ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.lease = new SequencerLease(db, instance, this.leaseMs);
    this.staleAfterMs = opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  }

  async append(input: AuditAppend): Promise<AuditEntry> {
    const event = AuditAppend.parse(input);
    const doc = QueueDoc.parse({ ...event, _id: newId(), at: this.clock.now(), order: nextQueueOrder() });
    await this.queue.insertOne(doc);
    this.onAppend?.();
    return AuditEntry.parse(fromQueueDoc(doc));
  }

  async listForEntity(entityType: AuditEntityType, id: string, opts: { limit?: number } = {}): Promise<AuditEntry[]> {
    const limit = opts.limit ?? 500;
    const filter = { 'entity.type': entityType, 'entity.id': id };
    // Queue first: an event chained between the two reads then shows up twice (and is kept once),
    // where the other order would miss it.
    const queued = await this.queue.find(filter).sort({ order: -1 }).limit(limit).toArray();
    const chained = (await this.events.find(filter).sort({ seq: -1 }).limit(limit).toArray()).map(fromLogDoc);
    const seen = new Set(chained.map((e) => e.id));
    const waiting = queued
      .map((raw) => fromQueueDoc(parseStored(QueueDoc, raw, AUDIT_QUEUE.name)))
      .filter((e) => !seen.has(e.id));
    // The sequencer chains in queue order, so whatever is still queued comes after everything chained.
    return [...chained.reverse(), ...waiting.reverse()].slice(-limit);
  }

  /**
   * Integrates everything queued so far, if this instance can hold the sequencer lease; false when
   * another instance holds it (that one integrates instead).
   */
  integrateNow(): Promise<boolean> {
    return this.integratePasses('all');
  }

  /** The background loop checkpoints only when due; anyone asking explicitly gets every head checkpointed. */
  private integratePasses(checkpoints: 'all' | 'due'): Promise<boolean> {
    return this.exclusively(async () => {
      for (let pass = 0; ; pass++) {
        if (!(await this.holdLease())) return false;
        const { integrated, again } = await this.sequencer.integrate({ checkpoints });
        // A pass that made no progress yet wants another is a conflict just resolved; two in a row
        // would mean something is stuck, which verification reports.
        if (!again || (integrated === 0 && pass > 0)) return true;
      }
    });
  }

  /**
   * Runs the sequencer in the background until stopped: immediately after a local append that finds it
   * idle, `gatherMs` after a pass during which more arrived, and every `idleMs` for events appended by
   * other instances. Failures go to `onError` and are retried.
   */
  startSequencer(
    opts: { idleMs?: number; gatherMs?: number; retryMs?: number; onError?: (error: unknown) => void } = {},
  ) {
    const idleMs = opts.idleMs ?? 200;
    // Under load appends arrive during every pass; without a pause each pass would chain a few events
    // for its three commands, and those commands compete with the turns' own. Queued events are
    // already durable and shown by `listForEntity`; `integrateNow` (verification) does not wait.
    const gatherMs = opts.gatherMs ?? DEFAULT_GATHER_MS;
    const retryMs = opts.retryMs ?? 1000;
    let stopped = false;
    let woken = false;
    let gathering = false;
    let wake = (): void => undefined;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    // Only the lease holder reacts to appends; the others would only be refused the lease again.
    this.onAppend = () => {
      if (!this.lease.held) return;
      woken = true;
      if (!gathering) wake();
    };
    const loop = (async () => {
      while (!stopped) {
        woken = false;
        let pause = idleMs;
        let failed = false;
        try {
          // Not the holder: try again well before the holder's lease could lapse.
          if (!(await this.integratePasses('due'))) pause = Math.max(idleMs, this.leaseMs / 3);
        } catch (error) {
          this.sequencer.forget();
          opts.onError?.(error);
          pause = retryMs;
          failed = true;
        }
        if (stopped) break;
        // Appends that arrived during the pass are left to gather for a moment, then integrated as one batch.
        gathering = woken && !failed;
        await sleep(gathering ? gatherMs : pause);
        gathering = false;
      }
    })();
    let stopping: Promise<void> | undefined;
    const running: RunningAuditSequencer = {
      stop: () =>
        (stopping ??= (async () => {
          stopped = true;
          wake();
          this.onAppend = undefined;
          await loop;
          try {
            await this.integrateNow();
            await this.releaseSequencer();
          } catch (error) {
            // Left queued, the events are integrated by the next instance to hold the lease.
            opts.onError?.(error);
          }
        })()),
    };
    return running;
  }

  /** Hands the sequencer lease back, if held, after any pass in progress. */
  releaseSequencer(): Promise<void> {
    return this.exclusively(async () => {
      this.leaseWasHeld = false;
      this.sequencer.forget();
      await this.lease.release();
    });
  }

  async verifyAuditChain(areaId: string): Promise<ChainVerification> {
    const broken = (brokenAtSeq: number, reason: ChainBreak): ChainVerification => ({ ok: false, brokenAtSeq, reason });
    await this.integrateNow();
    // Both streams in seq order, walked side by side: neither the log nor its checkpoints is ever
    // held in memory whole.
    const checkpoints = this.checkpoints.find({ areaId }).sort({ seq: 1 });
    const events = this.events.find({ areaId }).sort({ seq: 1 });
    try {
      let checkpoint = await this.nextCheckpoint(checkpoints);
      let expected = 1;
      let prevHash = GENESIS_HASH;
      for await (const raw of events) {
        const parsed = LogDoc.safeParse(raw);
        if (!parsed.success) return broken(typeof raw.seq === 'number' ? raw.seq : expected, 'malformed');
        const entry = fromLogDoc(parsed.data);
        if (entry.seq !== expected) return broken(expected, 'seq_gap');
        if (entry.prevHash !== prevHash) return broken(entry.seq, 'prev_hash_mismatch');
        if (chainHash(entry.prevHash, entry) !== entry.hash) return broken(entry.seq, 'hash_mismatch');
        // A checkpoint that no longer parses is a head record tampered with: reported where it is met.
        while (checkpoint === 'malformed' || checkpoint?.seq === entry.seq) {
          if (checkpoint === 'malformed' || checkpoint.hash !== entry.hash) return broken(entry.seq, 'head_mismatch');
          checkpoint = await this.nextCheckpoint(checkpoints);
        }
        prevHash = entry.hash;
        expected++;
      }
      const count = expected - 1;
      // A checkpoint beyond the last event: the chain once went further than it does now.
      if (checkpoint) return broken(count + 1, checkpoint === 'malformed' ? 'head_mismatch' : 'truncated');
      const staleBefore = new Date(this.clock.now().getTime() - this.staleAfterMs);
      if (await this.queue.findOne({ areaId, at: { $lt: staleBefore } }, { projection: { _id: 1 } })) {
        return broken(count + 1, 'stale_queue');
      }
      return { ok: true, count };
    } finally {
      await Promise.all([events.close(), checkpoints.close()]);
    }
  }

  private async nextCheckpoint(cursor: FindCursor<StoredDocument>): Promise<CheckpointDoc | 'malformed' | null> {
    const raw = await cursor.next();
    if (!raw) return null;
    const parsed = CheckpointDoc.safeParse(raw);
    return parsed.success ? parsed.data : 'malformed';
  }

  private async holdLease(): Promise<boolean> {
    const held = await this.lease.hold();
    // Whatever was cached may have moved on while another instance held the lease.
    if (held !== this.leaseWasHeld) this.sequencer.forget();
    this.leaseWasHeld = held;
    return held;
  }

  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = this.passes.then(work, work);
    this.passes = run.catch(() => undefined);
    return run;
  }
}
