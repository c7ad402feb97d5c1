import {
  MessageFactory,
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { OutboundTransport, SendOutcome } from '../../app/outbound';
import type { ConversationTarget } from '../../app/ports/conversations.port';
import type { OutboundContent, OutboundMessage, PostedActivity } from '../../app/ports/outbound-queue.port';
import { cardAttachment, type AdaptiveCardJson } from '../cards/render';

/** The part of the SDK's connector client used here (the package itself is the SDK's, not ours to import). */
interface ConnectorClient {
  readonly conversations: {
    createConversation(params: ConversationParameters): Promise<{ id?: string; activityId?: string }>;
  };
}

export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e?.statusCode, e?.status, e?.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

/** Retry-After in milliseconds: seconds or an HTTP date, as the header allows. */
export function retryAfterMsOf(err: unknown, nowMs: number): number | undefined {
  const headers = (err as { response?: { headers?: unknown } })?.response?.headers as
    { get?: (name: string) => string | undefined } | Record<string, unknown> | undefined;
  if (!headers) return undefined;
  const raw =
    typeof headers.get === 'function'
      ? (headers.get as (n: string) => string | undefined)('retry-after')
      : (headers as Record<string, unknown>)['retry-after'];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export function activityFor(content: OutboundContent | AdaptiveCardJson | string): Partial<Activity> {
  if (typeof content === 'string') return MessageFactory.text(content);
  if ('type' in content && content.type === 'text' && typeof content.text === 'string')
    return MessageFactory.text(content.text);
  const card = ('type' in content && content.type === 'card' ? content.card : content) as AdaptiveCardJson;
  return MessageFactory.attachment(cardAttachment(card));
}

/**
 * One attempt per call at Teams through the Bot Connector, no retries: the outbound worker owns
 * retrying and pacing. The SDK's own retry policy (which retries 5xx and, with Retry-After, 429 on
 * its own schedule) is taken out of each connector client so every request is one the limits counted.
 */
export class TeamsTransport implements OutboundTransport {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  private reference(target: ConversationTarget, conversationId: string): Partial<ConversationReference> {
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

  private connector(ctx: TurnContext): ConnectorClient {
    const client = ctx.turnState.get<ConnectorClient>(this.adapter.ConnectorClientKey) as ConnectorClient;
    const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } } })
      .client?.pipeline;
    pipeline?.removePolicy({ phase: 'Retry' });
    return client;
  }

  /** Runs `logic` in a proactive turn and turns its error, if any, into a status and Retry-After. */
  async attempt(
    target: ConversationTarget,
    conversationId: string,
    logic: (ctx: TurnContext, connector: ConnectorClient) => Promise<PostedActivity>,
  ): Promise<SendOutcome> {
    // The adapter hands errors inside a turn to onTurnError and carries on: capture them here.
    let out: SendOutcome | undefined;
    try {
      await this.adapter.continueConversationAsync(
        this.botAppId,
        this.reference(target, conversationId),
        async (ctx) => {
          try {
            out = { ok: true, posted: await logic(ctx, this.connector(ctx)) };
          } catch (error) {
            out = failure(error);
          }
        },
      );
    } catch (error) {
      out = failure(error);
    }
    return out ?? { ok: false };
  }

  send(m: OutboundMessage): Promise<SendOutcome> {
    if (!m.content) return Promise.resolve({ ok: false, status: 400 });
    const activity = activityFor(m.content);
    const target = m.target;
    if (m.operation === 'post' && target.conversationType === 'channel') {
      return this.attempt(target, target.conversationId, (_ctx, connector) => newThread(connector, target, activity));
    }
    const conversationId =
      m.operation === 'reply' && m.threadConversationId ? m.threadConversationId : target.conversationId;
    return this.attempt(target, conversationId, async (ctx) => {
      const res = await ctx.sendActivity(activity);
      return { conversationId, activityId: res?.id ?? '' };
    });
  }

  /** Replaces a posted message's card in place. */
  update(target: ConversationTarget, posted: PostedActivity, card: AdaptiveCardJson): Promise<SendOutcome> {
    return this.attempt(target, posted.conversationId, async (ctx) => {
      this.connector(ctx);
      await ctx.updateActivity({ ...MessageFactory.attachment(cardAttachment(card)), id: posted.activityId });
      return posted;
    });
  }
}

function failure(error: unknown): SendOutcome {
  const status = statusOf(error);
  const retryAfterMs = retryAfterMsOf(error, Date.now());
  return {
    ok: false,
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/**
 * A new channel thread is a new conversation whose first message is the card; Teams answers with the
 * thread's conversation id ("<channel>;messageid=<id>") and the message id.
 */
async function newThread(
  connector: ConnectorClient,
  target: ConversationTarget,
  activity: Partial<Activity>,
): Promise<PostedActivity> {
  const channelId = target.teamsChannelId ?? target.conversationId;
  const res = await connector.conversations.createConversation({
    isGroup: true,
    bot: { id: target.botId, name: 'MAPPA Assistant' },
    members: [],
    topicName: '',
    tenantId: target.tenantId,
    channelData: { channel: { id: channelId }, ...(target.teamId ? { team: { id: target.teamId } } : {}) },
    activity: activity as Activity,
  });
  const conversationId = res.id ?? '';
  const messageId = /;messageid=(\d+)$/.exec(conversationId)?.[1];
  return { conversationId, activityId: res.activityId ?? messageId ?? '' };
}
