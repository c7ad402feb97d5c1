import { z } from 'zod';
import { ConversationTarget } from './conversations.port';

/** What is sent: plain text or an Adaptive Card (already framed with the protective marking). */
export const OutboundContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1) }),
  z.object({ type: z.literal('card'), card: z.record(z.string(), z.unknown()) }),
]);
export type OutboundContent = z.infer<typeof OutboundContent>;

/**
 * `post`: a new thread in a channel, or a message in a chat. `reply`: into an existing channel thread
 * (`threadConversationId`). `personal`: someone's personal chat with the bot.
 */
export const OutboundOperation = z.enum(['post', 'reply', 'personal']);

/** Why a message was given up: conversation or message gone (404), bot removed or blocked (403), refused otherwise, or retries used up. */
export const FailureReason = z.enum(['gone', 'forbidden', 'rejected', 'exhausted']);
export type FailureReason = z.infer<typeof FailureReason>;

export const DeliveryStatus = z.enum(['queued', 'sending', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One proactive message as a caller asks for it. */
export const OutboundRequest = z.object({
  /** The same key never sends twice while queued, sending or delivered; a failed one can be queued again. */
  dedupeKey: z.string().min(1).max(300),
  target: ConversationTarget,
  operation: OutboundOperation,
  threadConversationId: z.string().min(1).max(600).optional(),
  content: OutboundContent,
  /** What it is, in words that name nobody ("the notification card"): used in the undeliverable report. */
  what: z.string().min(1).max(120),
  /** A case reference or agency name for the report; never a person. */
  about: z.string().max(80).optional(),
  /** A cardPosts key to record the delivered message under, so later updates edit that message. */
  recordAs: z.string().max(200).optional(),
  /** False for messages whose failure someone already hears about (the reports themselves, fallbacks). */
  reportFailure: z.boolean().default(true),
});
export type OutboundRequest = z.input<typeof OutboundRequest>;

export const PostedActivity = z.object({ conversationId: z.string(), activityId: z.string() });
export type PostedActivity = z.infer<typeof PostedActivity>;

export const OutboundMessage = OutboundRequest.extend({
  id: z.string(),
  status: DeliveryStatus,
  attempts: z.number().int().min(0),
  /** When queued: when it may next be tried. When sending: when the sender's lease runs out. */
  nextAttemptAt: z.date(),
  createdAt: z.date(),
  leaseOwner: z.string().optional(),
  /** Cleared once delivered or given up: the queue keeps the record, not the text. */
  content: OutboundContent.optional(),
  lastStatus: z.number().int().optional(),
  failure: z.object({ reason: FailureReason, status: z.number().int().optional(), at: z.date() }).optional(),
  /** Where it landed, when, and which instance sent it. */
  delivered: PostedActivity.extend({ at: z.date(), by: z.string() }).optional(),
  reportedAt: z.date().optional(),
});
export type OutboundMessage = z.infer<typeof OutboundMessage>;

/** The conversation Teams' per-conversation limit counts a message against: a thread counts as its channel. */
export const conversationKeyOf = (m: Pick<OutboundMessage, 'target' | 'threadConversationId' | 'operation'>) =>
  ((m.operation === 'reply' ? m.threadConversationId : undefined) ?? m.target.conversationId).split(';')[0] ?? '';

/**
 * The durable outbound queue. Claims are conditional writes with a lease: only the instance holding
 * the lease may record the outcome, and a lease that runs out (its sender died) makes the message
 * claimable again.
 */
export interface OutboundQueue {
  /** Queues the message unless its dedupe key is already queued, sending or delivered. */
  enqueue(request: OutboundRequest, now: Date): Promise<{ message: OutboundMessage; duplicate: boolean }>;
  /**
   * Claims up to `limit` messages due at `now`, oldest due first, skipping the conversations listed
   * (those this instance may not send to yet) and taking at most `perConversation` of any one, each
   * leased to `owner` until `now + leaseMs`.
   */
  claimDue(
    owner: string,
    now: Date,
    opts: {
      limit: number;
      leaseMs: number;
      skipConversations?: readonly string[];
      perConversation?: number;
      /** Each message as soon as it is claimed, before the rest of the batch. */
      onClaimed?: (message: OutboundMessage) => void;
    },
  ): Promise<OutboundMessage[]>;
  markDelivered(id: string, owner: string, posted: PostedActivity, now: Date): Promise<boolean>;
  /** Back to the queue for another attempt at `at` (counted as an attempt when `attempted`). */
  retryAt(id: string, owner: string, at: Date, opts: { attempted: boolean; status?: number }): Promise<boolean>;
  markFailed(
    id: string,
    owner: string,
    failure: { reason: FailureReason; status?: number },
    now: Date,
  ): Promise<OutboundMessage | null>;
  markReported(id: string, now: Date): Promise<void>;
  /** Failed messages whose failure has not been reported yet (to report again after a crash). */
  unreportedFailures(limit: number): Promise<OutboundMessage[]>;
  get(id: string): Promise<OutboundMessage | null>;
  /** Forgets delivered messages older than `before` (the record of what went out is kept that long). */
  purgeDelivered(before: Date): Promise<number>;
  /** How many messages are still to send (queued, waiting for a retry or being sent): one count. */
  depth(): Promise<number>;
}
