import {
  MessageFactory,
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
    // The adapter hands errors inside a turn to onTurnError and carries on; capture them here so the
    // caller learns the send failed (and the retry policy can act on the status code).
    let out: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, this.reference(target, conversationId), async (ctx) => {
      try {
        out = { ok: true, value: await logic(ctx) };
      } catch (error) {
        out = { ok: false, error };
      }
    });
    if (!out) throw new Error('the proactive turn did not run');
    if (!out.ok) throw out.error;
    return out.value;
  }

  /** Starts a new thread in a channel (or posts in a chat) with the card. */
  async postCard(target: ConversationTarget, card: AdaptiveCardJson, what: string): Promise<PostedMessage> {
    try {
      return await withTeamsRetry(async () => {
        const activity = MessageFactory.attachment(cardAttachment(card)) as Activity;
        if (target.conversationType === 'channel') return this.newChannelThread(target, activity);
        return this.withContext(target, target.conversationId, async (ctx) => {
          const res = await ctx.sendActivity(activity);
          return { conversationId: target.conversationId, activityId: res?.id ?? '' };
        });
      });
    } catch (err) {
      throw new TeamsDeliveryError(what, { cause: err });
    }
  }

  /**
   * A reply in an existing channel thread: Teams addresses a thread as the conversation
   * "<channel>;messageid=<first message id>", so the reply is sent to that conversation.
   */
  async replyInThread(
    target: ConversationTarget,
    threadConversationId: string,
    card: AdaptiveCardJson,
    what: string,
  ): Promise<PostedMessage> {
    try {
      return await withTeamsRetry(() =>
        this.withContext(target, threadConversationId, async (ctx) => {
          const res = await ctx.sendActivity(MessageFactory.attachment(cardAttachment(card)));
          return { conversationId: threadConversationId, activityId: res?.id ?? '' };
        }),
      );
    } catch (err) {
      throw new TeamsDeliveryError(what, { cause: err });
    }
  }

  /**
   * A new channel thread is a new conversation whose first message is the card. Done on the
   * CloudAdapter directly: TeamsInfo only takes that route when the bot has an app id, which the
   * local (anonymous) set-up does not.
   */
  private async newChannelThread(target: ConversationTarget, activity: Activity): Promise<PostedMessage> {
    const channelId = target.teamsChannelId ?? target.conversationId;
    let posted: PostedMessage | undefined;
    await this.adapter.createConversationAsync(
      this.botAppId,
      target.channelId,
      target.serviceUrl,
      '',
      {
        isGroup: true,
        bot: { id: target.botId, name: 'MAPPA Assistant' },
        members: [],
        topicName: '',
        tenantId: target.tenantId,
        channelData: { channel: { id: channelId }, ...(target.teamId ? { team: { id: target.teamId } } : {}) },
        activity,
      },
      async (ctx) => {
        // The SDK drops the activityId Teams returns and reports the conversation id instead; for a
        // channel thread Teams encodes the first message's id in it as "<channel>;messageid=<id>".
        const conversationId = ctx.activity.conversation.id;
        const messageId = /;messageid=(\d+)$/.exec(conversationId)?.[1];
        posted = { conversationId, activityId: messageId ?? ctx.activity.id ?? '' };
      },
    );
    if (!posted) throw new Error('the channel post returned no conversation');
    return posted;
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
