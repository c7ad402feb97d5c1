import { randomUUID } from 'node:crypto';
import type { OutboundWorker } from '../../app/outbound';
import type { ConversationTarget } from '../../app/ports/conversations.port';
import { conversationKeyOf, type OutboundContent, type OutboundRequest } from '../../app/ports/outbound-queue.port';
import type { AdaptiveCardJson } from '../cards/render';
import type { TeamsTransport } from './teams-transport';

export interface PostedMessage {
  readonly conversationId: string;
  readonly activityId: string;
}

/** Failure to reach Teams; the message says what to tell the user, never what was sent. */
export class TeamsDeliveryError extends Error {
  constructor(
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`Could not deliver ${what} to Teams`, options);
    this.name = 'TeamsDeliveryError';
  }
}

/** Optional extras for a queued message; without a dedupe key every call is a new message. */
export interface SendOptions {
  /** The same key is sent once, however often it is asked for (a retried turn, a repeated job). */
  readonly dedupeKey?: string;
  /** Remember the delivered message under this cardPosts key (done by whichever instance sends it). */
  readonly recordAs?: string;
  /** A case reference or agency for the co-ordinator's report if it cannot be delivered. */
  readonly about?: string;
  /** False when the caller itself deals with a failure (a fallback follows), so nobody is told twice. */
  readonly reportFailure?: boolean;
}

const cardContent = (card: AdaptiveCardJson): OutboundContent => ({
  type: 'card',
  card: card as unknown as Record<string, unknown>,
});

/**
 * Proactive messages: new channel threads, replies, personal messages and in-place card updates.
 * New messages go through the durable outbound queue (Teams' rate limits, retries, delivery status,
 * the co-ordinator told of what cannot be delivered); the methods wait for the delivery because
 * callers keep the activity id to update the card later. Updates are sent at once, paced by the same
 * limits: an update is only worth sending while its content is current, so one that would wait for the
 * pace follows in the background with the newest content (OutboundWorker.update).
 */
export class TeamsMessenger {
  constructor(
    private readonly transport: TeamsTransport,
    private readonly outbound: OutboundWorker,
  ) {}

  private async deliver(
    request: Omit<OutboundRequest, 'dedupeKey'>,
    opts: SendOptions | undefined,
  ): Promise<PostedMessage> {
    try {
      return await this.outbound.deliver({
        ...request,
        dedupeKey: opts?.dedupeKey ?? `msg:${randomUUID()}`,
        ...(opts?.recordAs ? { recordAs: opts.recordAs } : {}),
        ...(opts?.about ? { about: opts.about } : {}),
        ...(opts?.reportFailure === false ? { reportFailure: false } : {}),
      });
    } catch (err) {
      throw new TeamsDeliveryError(request.what, { cause: err });
    }
  }

  /** Starts a new thread in a channel (or posts in a chat) with the card. */
  postCard(
    target: ConversationTarget,
    card: AdaptiveCardJson,
    what: string,
    opts?: SendOptions,
  ): Promise<PostedMessage> {
    return this.deliver({ target, operation: 'post', content: cardContent(card), what }, opts);
  }

  /**
   * A reply in an existing channel thread: Teams addresses a thread as the conversation
   * "<channel>;messageid=<first message id>", so the reply is sent to that conversation.
   */
  replyInThread(
    target: ConversationTarget,
    threadConversationId: string,
    card: AdaptiveCardJson,
    what: string,
    opts?: SendOptions,
  ): Promise<PostedMessage> {
    return this.deliver({ target, operation: 'reply', threadConversationId, content: cardContent(card), what }, opts);
  }

  /**
   * Replaces a posted card for everyone (the refresh then personalises it for listed users). 'deferred':
   * Teams' pace for the conversation would have kept the caller waiting, so it follows shortly.
   */
  async updateCard(
    target: ConversationTarget,
    posted: PostedMessage,
    card: AdaptiveCardJson,
    what: string,
  ): Promise<'sent' | 'deferred'> {
    const key = conversationKeyOf({ target, operation: 'reply', threadConversationId: posted.conversationId });
    try {
      return await this.outbound.update(key, target.tenantId, `${posted.conversationId}|${posted.activityId}`, () =>
        this.transport.update(target, posted, card),
      );
    } catch (err) {
      throw new TeamsDeliveryError(what, { cause: err });
    }
  }

  /** A message in someone's personal chat with the bot (they must have it installed). */
  sendPersonal(
    target: ConversationTarget,
    content: string | AdaptiveCardJson,
    what: string,
    opts?: SendOptions,
  ): Promise<PostedMessage> {
    const body: OutboundContent = typeof content === 'string' ? { type: 'text', text: content } : cardContent(content);
    return this.deliver({ target, operation: 'personal', content: body, what }, opts);
  }
}
