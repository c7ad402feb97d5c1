import type { SlidingWindowLimiter } from '../../lib/sliding-window';
import { OutboundNotDeliveredError, type SendOutcome } from './outbound-types';
import { verdictFor } from './retry-policy';

export interface DirectCallDeps {
  /** The worker's own limiters: queued sends and direct calls share Teams' budget. */
  readonly perConversation: SlidingWindowLimiter;
  readonly perTenant: SlidingWindowLimiter;
  readonly now: () => number;
  readonly backoff: (attempt: number) => number;
  readonly updateWaitMs: number;
  readonly onError?: (error: unknown, where: string) => void;
}

/** Calls to Teams outside the durable queue (in-place card updates), paced by the queue's limits. */
export class DirectCalls {
  /** In-place updates waiting for Teams' pace, by activity: the newest content replaces an older one. */
  private readonly pending = new Map<string, () => Promise<SendOutcome>>();
  private closed = false;

  constructor(private readonly d: DirectCallDeps) {}

  /** Updates still waiting for the pace are dropped: a card's next refresh shows its current state anyway. */
  close(): void {
    this.closed = true;
    this.pending.clear();
  }

  /**
   * An in-place update of `activity` (a posted card): sent now, with `direct`'s retries, when Teams' pace
   * allows it within `updateWaitMs`; otherwise left to follow in the background ('deferred') so the turn
   * does not wait seconds behind every other update in the same channel. While one waits, a newer
   * update of the same activity replaces its content: only the newest is worth sending. A deferred
   * update that fails goes to `onError`.
   */
  async update(
    key: string,
    tenantId: string,
    activity: string,
    attempt: () => Promise<SendOutcome>,
  ): Promise<'sent' | 'deferred'> {
    const giveUpAt = this.d.now() + this.d.updateWaitMs;
    for (;;) {
      if (this.pending.has(activity)) break;
      const at = this.nextAllowedAt(key, tenantId);
      if (at <= this.d.now()) {
        // No await between the check and `direct` recording its send: callers arriving together cannot
        // all take the same free slot and then queue behind one another inside `direct`.
        await this.direct(key, tenantId, attempt);
        return 'sent';
      }
      if (at > giveUpAt) break;
      await sleep(Math.min(at - this.d.now(), 250));
    }
    const waiting = this.pending.has(activity);
    this.pending.set(activity, attempt);
    if (!waiting)
      void this.sendWhenAllowed(key, tenantId, activity).catch((e: unknown) => this.d.onError?.(e, 'update'));
    return 'deferred';
  }

  private nextAllowedAt(key: string, tenantId: string): number {
    const now = this.d.now();
    return Math.max(this.d.perConversation.nextAllowedAt(key, now), this.d.perTenant.nextAllowedAt(tenantId, now));
  }

  private async sendWhenAllowed(key: string, tenantId: string, activity: string): Promise<void> {
    // Short naps, so a stopping instance does not sit out a 30 s window.
    for (let at = this.nextAllowedAt(key, tenantId); at > this.d.now(); at = this.nextAllowedAt(key, tenantId)) {
      await sleep(Math.min(at - this.d.now(), 250));
      if (this.closed) return;
    }
    let newest = this.pending.get(activity);
    this.pending.delete(activity);
    if (!newest || this.closed) return;
    // A retry after a failure sends whatever is newest by then.
    await this.direct(key, tenantId, () => {
      newest = this.pending.get(activity) ?? newest!;
      this.pending.delete(activity);
      return newest();
    });
  }

  /**
   * One call outside the queue (an in-place card update) paced by the same limits, with the same
   * retries; throws OutboundNotDeliveredError when it cannot be done.
   */
  async direct(key: string, tenantId: string, attempt: () => Promise<SendOutcome>, maxAttempts = 3): Promise<void> {
    for (let i = 1; ; i++) {
      for (;;) {
        const now = this.d.now();
        const at = this.nextAllowedAt(key, tenantId);
        if (at <= now) break;
        // Short naps: a call of this conversation under way leaves no known time to wait for (Infinity).
        await sleep(Math.min(at - now, 250));
      }
      const counted = [this.d.perConversation.begin(key), this.d.perTenant.begin(tenantId)];
      let outcome: SendOutcome;
      try {
        outcome = await attempt();
      } finally {
        // Teams counted the call somewhere between sending and its answer: as of now is never too early.
        const answered = this.d.now();
        for (const c of counted) c.end(answered);
      }
      if (outcome.ok) return;
      const verdict = verdictFor(outcome.status);
      if (!verdict.retry) throw new OutboundNotDeliveredError(verdict.reason, outcome.status);
      if (i >= maxAttempts) throw new OutboundNotDeliveredError('exhausted', outcome.status);
      const wait = Math.max(outcome.retryAfterMs ?? 0, this.d.backoff(i));
      if (outcome.status === 429) this.d.perConversation.blockUntil(key, this.d.now() + wait);
      await sleep(wait);
    }
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
