import { referralSummaryForChannel, type ReferralSummary } from '../../app/referrals';
import type { AdaptiveCardJson } from '../cards/render';
import { cardRendererFor } from '../handler-context';
import type { ConversationTarget } from '../../app/ports/conversations.port';
import type { PostedCard } from '../../app/ports/card-posts.port';
import { coordinatorUserIds } from '../proactive/coordinators';
import { postKeys } from '../proactive/post-keys';
import { TeamsDeliveryError } from '../proactive/messenger';
import { OutboundNotDeliveredError } from '../../app/outbound';
import { decisionCardData } from './decision.card';
import type { ReferralChannelDeps } from './deps';

const postKey = postKeys.referral;

async function channelView(deps: ReferralChannelDeps, summary: ReferralSummary): Promise<AdaptiveCardJson> {
  const refreshUserIds = await coordinatorUserIds(
    deps.members,
    deps.conversations,
    deps.referrals.areaId,
    deps.tenantId,
  );
  return cardRendererFor(deps.marking)(
    'referral-decision',
    decisionCardData(summary, { forChannel: true, refreshUserIds }),
  );
}

/** A Teams conversation id without the `;messageid=` of a thread reply. */
const baseConversationId = (id: string | undefined) => (id ?? '').split(';')[0];

/**
 * The channel's view of a referral card, for readers not entitled to more (e.g. on refresh), and only
 * in the co-ordinator channel where that card lives. Asked from anywhere else (a referrer replaying the
 * verb with the id from their question card), it shows nothing, so it cannot name the case.
 */
export async function channelReferralCard(
  deps: ReferralChannelDeps,
  referralId: string | undefined,
  askedFromConversationId: string | undefined,
): Promise<AdaptiveCardJson> {
  const card = cardRendererFor(deps.marking);
  const channel = await deps.conversations.coordinatorChannel(deps.referrals.areaId);
  const inChannel =
    channel !== null && baseConversationId(channel.conversationId) === baseConversationId(askedFromConversationId);
  const summary =
    referralId === undefined || !inChannel ? null : await referralSummaryForChannel(deps.referrals, referralId);
  if (!summary?.ok) {
    return card('notice', { title: 'Referral not available', message: 'Please use the latest card.', facts: [] });
  }
  return card('referral-decision', decisionCardData(summary.value, { forChannel: true }));
}

/**
 * The thread of the latest notification card about the referral's case in this channel, so the
 * co-ordinator finds the referral under the notification it answers. Null when there is none (no
 * case yet, a notification from before the channel was set, or one whose card was never posted).
 */
async function notificationThread(
  deps: ReferralChannelDeps,
  channel: ConversationTarget,
  caseId: string | null,
): Promise<PostedCard | null> {
  if (!caseId) return null;
  const notifications = await deps.notifications.listForCase(caseId);
  for (const n of [...notifications].reverse()) {
    const post = await deps.cardPosts.get(postKeys.notification(n.id));
    if (post && post.targetConversationId === channel.conversationId && post.conversationId.includes(';messageid='))
      return post;
  }
  return null;
}

/**
 * Posts the co-ordinator's decision card (minimal identifying data) when a referral is submitted: in
 * the thread of the person's notification card when there is one, otherwise as a new thread.
 */
export async function postReferralToChannel(
  deps: ReferralChannelDeps,
  summary: ReferralSummary,
): Promise<'posted' | 'no_channel'> {
  const channel = await deps.conversations.coordinatorChannel(deps.referrals.areaId);
  if (!channel) return 'no_channel';
  const card = await channelView(deps, summary);
  const thread = await notificationThread(deps, channel, summary.caseId);
  // A thread that cannot take a reply (say, its first message was deleted) must not lose the referral.
  const key = postKey(summary.referralId);
  const asThread = { dedupeKey: `card:${key}`, recordAs: key, ...(summary.caseRef ? { about: summary.caseRef } : {}) };
  const posted = thread
    ? await deps.messenger
        .replyInThread(channel, thread.conversationId, card, 'the referral card', {
          ...asThread,
          dedupeKey: `card:${key}:reply`,
          reportFailure: false,
        })
        .catch((e: unknown) => {
          // Still queued (not refused): it will land in the thread, so no second card.
          if (stillQueued(e)) throw e;
          return deps.messenger.postCard(channel, card, 'the referral card', asThread);
        })
    : await deps.messenger.postCard(channel, card, 'the referral card', asThread);
  await deps.cardPosts.save({
    key: postKey(summary.referralId),
    ...posted,
    targetConversationId: channel.conversationId,
  });
  return 'posted';
}

const stillQueued = (e: unknown) =>
  e instanceof TeamsDeliveryError && e.cause instanceof OutboundNotDeliveredError && e.cause.reason === 'pending';

/** After a decision or an answer, the channel card changes for everyone, not just the clicker. */
export async function updateReferralInChannel(deps: ReferralChannelDeps, referralId: string): Promise<void> {
  const post = await deps.cardPosts.get(postKey(referralId));
  if (!post) return;
  const target = await deps.conversations.byConversationId(post.targetConversationId);
  const summary = await referralSummaryForChannel(deps.referrals, referralId);
  if (!target || !summary.ok) return;
  await deps.messenger.updateCard(target, post, await channelView(deps, summary.value), 'the referral card');
}
