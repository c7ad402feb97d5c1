import type { RateWindow } from '../../lib/sliding-window';
import type { FailureReason, OutboundMessage, OutboundQueue, PostedActivity } from '../ports/outbound-queue.port';
import type { Clock } from '../ports/clock.port';

/** What one attempt to reach Teams came to. `status` absent on failure means no HTTP answer at all. */
export type SendOutcome =
  | { readonly ok: true; readonly posted: PostedActivity }
  | { readonly ok: false; readonly status?: number; readonly retryAfterMs?: number };

/** Sends one queued message to Teams, once (no retries of its own). */
export interface OutboundTransport {
  send(message: OutboundMessage): Promise<SendOutcome>;
}

/** A message that did not reach Teams: given up (`reason`), or still queued when the caller stopped waiting. */
export class OutboundNotDeliveredError extends Error {
  constructor(
    readonly reason: FailureReason | 'pending',
    readonly status?: number,
  ) {
    super(reason === 'pending' ? 'the message is still queued' : `the message could not be delivered (${reason})`);
    this.name = 'OutboundNotDeliveredError';
  }
}

export interface OutboundLimits {
  /** Per bot per conversation (Teams: 7/1 s, 8/2 s, 60/30 s, 1,800/h). */
  readonly conversation: readonly RateWindow[];
  /** Per app per tenant, for this instance. */
  readonly tenant: readonly RateWindow[];
  /**
   * Widens every window. Not needed for Teams: each call counts from its sending until its answer, and
   * Teams counts it in between; kept for a server whose clock may run ahead of its answers.
   */
  readonly marginMs?: number;
}

export interface OutboundWorkerOptions {
  /** How long a claim lasts: a sender that dies holding it delays its messages by at most this. */
  readonly leaseMs: number;
  readonly batchSize: number;
  /** Sends in flight at once (Teams answers in tens to hundreds of milliseconds). */
  readonly concurrency: number;
  /** How often an idle worker looks for messages queued by other instances or due for a retry. */
  readonly idlePollMs: number;
  readonly maxAttempts: number;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  /** How long a caller waiting for its message (to learn the activity id) waits before it is told "still queued". */
  readonly awaitMs: number;
  /** How often failures not yet reported (say, the instance died first) are looked for. */
  readonly reportSweepMs: number;
  /** At most this many of one conversation per claim, so a long run to one chat does not hold up the rest. */
  readonly claimPerConversation: number;
  /** How long the record of a delivered message is kept (what went out, for the co-ordinator). */
  readonly keepDeliveredMs: number;
  /**
   * The longest a caller waits for Teams' pace before an in-place card update is left to follow in the
   * background: a turn answers the person who clicked at once, the card catches up for everyone else.
   */
  readonly updateWaitMs: number;
}

export const DEFAULTS: OutboundWorkerOptions = {
  leaseMs: 120_000,
  batchSize: 200,
  concurrency: 8,
  idlePollMs: 1000,
  maxAttempts: 8,
  baseBackoffMs: 1000,
  maxBackoffMs: 5 * 60_000,
  awaitMs: 15_000,
  reportSweepMs: 60_000,
  claimPerConversation: 2,
  keepDeliveredMs: 30 * 24 * 3_600_000,
  updateWaitMs: 200,
};

export interface OutboundWorkerDeps {
  readonly queue: OutboundQueue;
  readonly transport: OutboundTransport;
  readonly clock: Clock;
  /** This instance, as recorded on its leases. */
  readonly owner: string;
  readonly limits: OutboundLimits;
  readonly options?: Partial<OutboundWorkerOptions>;
  readonly random?: () => number;
  /** After a delivery is recorded (e.g. remembering a card's activity id for later updates). */
  readonly onDelivered?: (message: OutboundMessage, posted: PostedActivity) => Promise<void>;
  /** Tells the co-ordinator about a message given up; must not throw away the report silently. */
  readonly onUndeliverable?: (message: OutboundMessage) => Promise<void>;
  /**
   * The queue's depth, counted once per sweep (every `reportSweepMs`), never per message: on a
   * server that scans to count, a count per send would cost more than the send.
   */
  readonly onQueueDepth?: (depth: number) => void;
  /** Errors in the worker's own bookkeeping (database outages): class and code only, never content. */
  readonly onError?: (error: unknown, where: string) => void;
}
