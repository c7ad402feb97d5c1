import {
  MessageFactory,
  TeamsInfo,
  type Activity,
  type CloudAdapter,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { ConversationTarget } from '../../app/ports/conversations.port';
import { cardAttachment, type AdaptiveCardJson } from '../cards/render';
import { withTeamsRetry } from './retry';

export interface PostedMessage {
  readonly conversationId: string;
  readonly activityId: string;
}

/** Failure to reach Teams after retries; the message says what to tell the user, never what was sent. */
export class TeamsDeliveryError extends Error {
  constructor(
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`Could not deliver ${what} to Teams`, options);
    this.name = 'TeamsDeliveryError';
  }
}

/**
 * Proactive messages: new channel threads, in-place card updates and personal messages. Everything
 * goes through the adapter's connector with the Teams retry policy.
 */
export class TeamsMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  private reference(
    target: ConversationTarget,
    conversationId = target.conversationId,
  ): Partial<ConversationReference> {
    return {
      channelId: target.channelId,
      serviceUrl: target.serviceUrl,
      bot: { id: target.botId, name: 'MAPPA Assistant' },
      conversation: {
        id: conversationId,
        conversationType: target.conversationType,
        tenantId: target.tenantId,
        isGroup: target.conversationType !== 'personal',
        name: '',
      },
      ...(target.userId ? { user: { id: target.userId, name: '' } } : {}),
    };
  }

  private async withContext<T>(
    target: ConversationTarget,
    conversationId: string,
    logic: (ctx: TurnContext) => Promise<T>,
  ): Promise<T> {
    let out: T | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, this.reference(target, conversationId), async (ctx) => {
      out = await logic(ctx);
    });
    return out as T;
  }

  /** Starts a new thread in a channel (or posts in a chat) with the card. */
  async postCard(target: ConversationTarget, card: AdaptiveCardJson, what: string): Promise<PostedMessage> {
    try {
      return await withTeamsRetry(() =>
        this.withContext(target, target.conversationId, async (ctx) => {
          // The SDK types this parameter as a full Activity though it only reads type and attachments.
          const activity = MessageFactory.attachment(cardAttachment(card)) as Activity;
          if (target.conversationType === 'channel') {
            const [ref, activityId] = await TeamsInfo.sendMessageToTeamsChannel(
              ctx,
              activity,
              target.teamsChannelId ?? target.conversationId,
              this.botAppId,
            );
            return { conversationId: ref.conversation?.id ?? target.conversationId, activityId };
          }
          const res = await ctx.sendActivity(activity);
          return { conversationId: target.conversationId, activityId: res?.id ?? '' };
        }),
      );
    } catch (err) {
      throw new TeamsDeliveryError(what, { cause: err });
    }
  }

  /** Replaces a posted card for everyone (the refresh then personalises it for listed users). */
  async updateCard(
    target: ConversationTarget,
    posted: PostedMessage,
    card: AdaptiveCardJson,
    what: string,
  ): Promise<void> {
    try {
      await withTeamsRetry(() =>
        this.withContext(target, posted.conversationId, async (ctx) => {
          const activity = { ...MessageFactory.attachment(cardAttachment(card)), id: posted.activityId };
          await ctx.updateActivity(activity);
        }),
      );
    } catch (err) {
      throw new TeamsDeliveryError(what, { cause: err });
    }
  }

  /** A message in someone's personal chat with the bot (they must have it installed). */
  async sendPersonal(
    target: ConversationTarget,
    content: string | AdaptiveCardJson,
    what: string,
  ): Promise<PostedMessage> {
    try {
      return await withTeamsRetry(() =>
        this.withContext(target, target.conversationId, async (ctx) => {
          const activity =
            typeof content === 'string'
              ? MessageFactory.text(content)
              : MessageFactory.attachment(cardAttachment(content));
          const res = await ctx.sendActivity(activity);
          return { conversationId: target.conversationId, activityId: res?.id ?? '' };
        }),
      );
    } catch (err) {
      throw new TeamsDeliveryError(what, { cause: err });
    }
  }
}
