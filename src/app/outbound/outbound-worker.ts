import { SlidingWindowLimiter, type InFlight } from '../../lib/sliding-window';
import {
  conversationKeyOf as conversationKey,
  type FailureReason,
  type OutboundMessage,
  type OutboundRequest,
  type PostedActivity,
} from '../ports/outbound-queue.port';
import { DirectCalls } from './direct-calls';
import { backoffMs, verdictFor } from './retry-policy';
import {
  DEFAULTS,
  OutboundNotDeliveredError,
  type OutboundWorkerDeps,
  type OutboundWorkerOptions,
  type SendOutcome,
} from './outbound-types';

type Settled = { ok: true; posted: PostedActivity } | { ok: false; reason: FailureReason; status?: number };

/**
 * Delivers the outbound queue: claims due messages with a lease, paces them through Teams' limits
 * (per conversation, and per tenant for this instance), retries what Teams asks to be retried and
 * records every outcome. Messages to a conversation that must wait do not hold up other conversations.
 */
export class OutboundWorker {
  private readonly opts: OutboundWorkerOptions;
  private readonly perConversation: SlidingWindowLimiter;
  private readonly perTenant: SlidingWindowLimiter;
  private readonly random: () => number;
  private readonly buffer: OutboundMessage[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Conversations with a send in flight: one at a time each, so a 429's Retry-After reaches the next send. */
  private readonly busy = new Set<string>();
  private readonly waiters = new Map<string, Array<(s: Settled) => void>>();
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  /** Set by a wake-up that came while a pass was running, so it is not lost. */
  private woken = false;
  private nextClaimAt = 0;
  private claiming: Promise<void> | undefined;
  /** Outcomes being written: sending goes on meanwhile, up to a bound. */
  private readonly recording = new Set<Promise<void>>();
  private nextSweepAt = 0;
  private readonly calls: DirectCalls;

  constructor(private readonly deps: OutboundWorkerDeps) {
    this.opts = { ...DEFAULTS, ...deps.options };
    const marginMs = deps.limits.marginMs ?? 0;
    this.perConversation = new SlidingWindowLimiter(deps.limits.conversation, { marginMs });
    this.perTenant = new SlidingWindowLimiter(deps.limits.tenant, { marginMs });
    this.random = deps.random ?? Math.random;
    this.calls = new DirectCalls({
      perConversation: this.perConversation,
      perTenant: this.perTenant,
      now: () => this.now(),
      backoff: (attempt) => this.backoff(attempt),
      updateWaitMs: this.opts.updateWaitMs,
      ...(deps.onError ? { onError: deps.onError } : {}),
    });
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets sends in flight finish, and hands back what it held so another instance sends it at once. */
  async stop(): Promise<void> {
    this.running = false;
    this.calls.close();
    this.kick();
    await this.loopDone;
    await this.claiming;
    await Promise.all([...this.inFlight]);
    await Promise.all([...this.recording]);
    const held = this.buffer.splice(0);
    await Promise.all(
      held.map((m) =>
        this.deps.queue
          .retryAt(m.id, this.deps.owner, new Date(this.now()), { attempted: false })
          .catch((e: unknown) => this.deps.onError?.(e, 'release')),
      ),
    );
  }

  /** What this instance holds right now (for benchmarks and diagnostics). */
  stats() {
    return {
      held: this.buffer.length,
      sending: this.inFlight.size,
      recording: this.recording.size,
      claiming: this.claiming !== undefined,
    };
  }

  /** Something was queued: claim now rather than at the next poll. */
  kick(): void {
    this.nextClaimAt = 0;
    this.wake();
  }

  /** Something changed here (a send finished, a message was claimed): run a pass. */
  private wake(): void {
    this.woken = true;
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  /** Queues a message without waiting for it (reminders, reports, invitations in bulk). */
  async enqueue(request: OutboundRequest): Promise<OutboundMessage> {
    const { message } = await this.deps.queue.enqueue(request, new Date(this.now()));
    this.kick();
    return message;
  }

  /**
   * Queues a message and waits for its delivery, for callers that need the activity id (a card they
   * update later). Resolves with where it landed; rejects with OutboundNotDeliveredError when given
   * up, or with reason 'pending' after `awaitMs` (it stays queued and is still sent).
   */
  async deliver(request: OutboundRequest): Promise<PostedActivity> {
    const { message } = await this.deps.queue.enqueue(request, new Date(this.now()));
    if (message.status === 'delivered' && message.delivered) {
      return { conversationId: message.delivered.conversationId, activityId: message.delivered.activityId };
    }
    const settled = this.awaitSettled(message.id);
    this.kick();
    const outcome = await settled;
    if (outcome.ok) return outcome.posted;
    throw new OutboundNotDeliveredError(outcome.reason, 'status' in outcome ? outcome.status : undefined);
  }

  private awaitSettled(id: string): Promise<Settled | { ok: false; reason: 'pending' }> {
    return new Promise((resolve) => {
      const finish = (s: Settled | { ok: false; reason: 'pending' }) => {
        clearTimeout(timer);
        clearInterval(poll);
        const left = (this.waiters.get(id) ?? []).filter((w) => w !== finish);
        if (left.length) this.waiters.set(id, left);
        else this.waiters.delete(id);
        resolve(s);
      };
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), finish]);
      const timer = setTimeout(() => finish({ ok: false, reason: 'pending' }), this.opts.awaitMs);
      // Another instance may have sent it: then its outcome is only in the database.
      const poll = setInterval(() => {
        void this.deps.queue.get(id).then(
          (m) => {
            if (m?.status === 'delivered' && m.delivered) {
              const { conversationId, activityId } = m.delivered;
              finish({ ok: true, posted: { conversationId, activityId } });
            } else if (m?.status === 'failed' && m.failure)
              finish({
                ok: false,
                reason: m.failure.reason,
                ...(m.failure.status ? { status: m.failure.status } : {}),
              });
          },
          () => undefined,
        );
      }, 1000);
    });
  }

  private settle(id: string, s: Settled): void {
    for (const w of this.waiters.get(id) ?? []) w(s);
    this.waiters.delete(id);
  }

  /** An in-place card update: sent now, or left to follow when the pace would keep the caller waiting (DirectCalls). */
  update(key: string, tenantId: string, activity: string, attempt: () => Promise<SendOutcome>) {
    return this.calls.update(key, tenantId, activity, attempt);
  }

  /** One call outside the queue, paced by the same limits, with the same retries (DirectCalls). */
  direct(key: string, tenantId: string, attempt: () => Promise<SendOutcome>, maxAttempts = 3): Promise<void> {
    return this.calls.direct(key, tenantId, attempt, maxAttempts);
  }

  private backoff(attempt: number): number {
    return backoffMs(attempt, { baseMs: this.opts.baseBackoffMs, maxMs: this.opts.maxBackoffMs }, this.random);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let wakeAt: number;
      try {
        wakeAt = await this.pass();
      } catch (e) {
        this.deps.onError?.(e, 'outbound pass');
        wakeAt = this.now() + this.opts.idlePollMs;
      }
      if (!this.running) break;
      const wait = Math.max(0, Math.min(wakeAt, this.now() + this.opts.idlePollMs) - this.now());
      // Always through a timer: a pass that found nothing to await must still let I/O run.
      await this.pause(wait);
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.woken) ms = 0;
    this.woken = false;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async refill(now: number): Promise<void> {
    try {
      const claimed = await this.deps.queue.claimDue(this.deps.owner, new Date(now), {
        limit: this.opts.batchSize - this.buffer.length,
        leaseMs: this.opts.leaseMs,
        // Conversations that must wait, or have messages here already, give way to the others.
        skipConversations: [
          ...new Set([
            ...this.perConversation.blockedKeys(now),
            ...this.busy,
            ...this.buffer.map((m) => conversationKey(m)),
          ]),
        ],
        perConversation: this.opts.claimPerConversation,
        onClaimed: (m) => {
          this.buffer.push(m);
          this.wake();
        },
      });
      if (claimed.length === 0) this.nextClaimAt = this.now() + this.opts.idlePollMs;
    } catch (e) {
      this.deps.onError?.(e, 'outbound claim');
      this.nextClaimAt = this.now() + this.opts.idlePollMs;
    }
  }

  /** Claims, dispatches what the limits allow now, and returns when it next has something to do. */
  private async pass(): Promise<number> {
    const now = this.now();
    if (now >= this.nextSweepAt) {
      this.nextSweepAt = now + this.opts.reportSweepMs;
      this.perConversation.prune(now);
      await this.sweepUnreported();
      await this.deps.queue.purgeDelivered(new Date(now - this.opts.keepDeliveredMs));
      await this.reportDepth();
    }
    let wakeAt = Infinity;
    // Claiming runs beside sending, so a slow database read never stalls the messages already held.
    if (!this.claiming && this.buffer.length < this.opts.batchSize / 2 && now >= this.nextClaimAt) {
      this.claiming = this.refill(now).finally(() => {
        this.claiming = undefined;
        this.wake();
      });
    }
    if (!this.claiming && this.buffer.length < this.opts.batchSize / 2) wakeAt = Math.min(wakeAt, this.nextClaimAt);
    const blocked = new Set<string>();
    for (
      let i = 0;
      i < this.buffer.length && this.inFlight.size < this.opts.concurrency && this.recording.size < this.opts.batchSize;
    ) {
      const m = this.buffer[i]!;
      const key = conversationKey(m);
      // One conversation's messages keep their order: once one must wait, the rest of it waits too.
      if (blocked.has(key) || this.busy.has(key)) {
        i++;
        continue;
      }
      const convAt = this.perConversation.nextAllowedAt(key, now);
      if (convAt > now) {
        blocked.add(key);
        wakeAt = Math.min(wakeAt, convAt);
        i++;
        continue;
      }
      const tenantAt = this.perTenant.nextAllowedAt(m.target.tenantId, now);
      if (tenantAt > now) {
        wakeAt = Math.min(wakeAt, tenantAt);
        break;
      }
      const counted = [this.perConversation.begin(key), this.perTenant.begin(m.target.tenantId)];
      this.buffer.splice(i, 1);
      this.busy.add(key);
      const p = this.process(m, counted).finally(() => {
        this.busy.delete(key);
        this.inFlight.delete(p);
        this.wake();
      });
      this.inFlight.add(p);
    }
    // Held too long (its conversation is throttled): back to the queue before the lease runs out.
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      const m = this.buffer[i]!;
      if (m.nextAttemptAt.getTime() - now > this.opts.leaseMs / 4) continue;
      this.buffer.splice(i, 1);
      // With the conversation's limit taken up by calls still under way (in-place card updates share
      // it) there is no known time yet (Infinity): look again when a held message would next be due.
      const allowed = this.perConversation.nextAllowedAt(conversationKey(m), now);
      const at = Number.isFinite(allowed) ? allowed : now + this.opts.leaseMs / 4;
      await this.deps.queue.retryAt(m.id, this.deps.owner, new Date(at), { attempted: false });
    }
    if (this.buffer.length > 0 && this.inFlight.size >= this.opts.concurrency) return Infinity;
    return wakeAt;
  }

  /** Sends, decides in memory, and hands the recording to the background so the slot frees at once. */
  private async process(m: OutboundMessage, counted: readonly InFlight[]): Promise<void> {
    let outcome: SendOutcome;
    try {
      outcome = await this.deps.transport.send(m);
    } catch (e) {
      this.deps.onError?.(e, 'outbound send');
      outcome = { ok: false };
    }
    const now = this.now();
    // Teams counted the call somewhere between sending and this answer: as of now is never too early.
    for (const c of counted) c.end(now);
    let retryWait: number | undefined;
    if (!outcome.ok && verdictFor(outcome.status).retry && m.attempts + 1 < this.opts.maxAttempts) {
      retryWait = Math.max(outcome.retryAfterMs ?? 0, this.backoff(m.attempts + 1));
      // Teams throttles per conversation: nothing more to it until the wait is over.
      if (outcome.status === 429) this.perConversation.blockUntil(conversationKey(m), now + retryWait);
    }
    const r = this.record(m, outcome, now, retryWait).finally(() => this.recording.delete(r));
    this.recording.add(r);
  }

  private async record(m: OutboundMessage, outcome: SendOutcome, now: number, retryWait: number | undefined) {
    const { queue, owner } = this.deps;
    const status = !outcome.ok && outcome.status !== undefined ? { status: outcome.status } : {};
    try {
      if (outcome.ok) {
        // A lost lease means another instance took it over: that one records the outcome.
        await queue.markDelivered(m.id, owner, outcome.posted, new Date(now));
        await this.deps.onDelivered?.(m, outcome.posted).catch((e: unknown) => this.deps.onError?.(e, 'on delivered'));
        this.settle(m.id, { ok: true, posted: outcome.posted });
        return;
      }
      if (retryWait !== undefined) {
        await queue.retryAt(m.id, owner, new Date(now + retryWait), { attempted: true, ...status });
        return;
      }
      const verdict = verdictFor(outcome.status);
      const reason: FailureReason = verdict.retry ? 'exhausted' : verdict.reason;
      const failed = await queue.markFailed(m.id, owner, { reason, ...status }, new Date(now));
      this.settle(m.id, { ok: false, reason, ...status });
      if (failed) await this.report(failed);
    } catch (e) {
      // The database is out: the lease runs out and the message is tried again (it may go twice).
      this.deps.onError?.(e, 'outbound record');
    }
  }

  private async report(failed: OutboundMessage): Promise<void> {
    if (!failed.reportFailure || !this.deps.onUndeliverable) return;
    try {
      await this.deps.onUndeliverable(failed);
      await this.deps.queue.markReported(failed.id, new Date(this.now()));
    } catch (e) {
      // Left unreported: the sweep tries again.
      this.deps.onError?.(e, 'outbound report');
    }
  }

  private async reportDepth(): Promise<void> {
    if (!this.deps.onQueueDepth) return;
    try {
      this.deps.onQueueDepth(await this.deps.queue.depth());
    } catch (e) {
      this.deps.onError?.(e, 'outbound depth');
    }
  }

  private async sweepUnreported(): Promise<void> {
    if (!this.deps.onUndeliverable) return;
    for (const m of await this.deps.queue.unreportedFailures(20)) await this.report(m);
  }
}
