import { referralSummaryForChannel, type ReferralSummary } from '../../app/referrals';
import type { MemberRepository } from '../../app/ports/member-repository.port';
import { renderCard, type AdaptiveCardJson } from '../cards/render';
import { coordinatorUserIds } from './coordinators';
import type { CardPostRepository } from '../../app/ports/card-posts.port';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import { z } from 'zod';
import type { TeamsMessenger } from '../proactive/messenger';
import { decisionCardData, renderReferralDecisionCard, type ReferralHandlerDeps } from './referral.handler';

export interface ReferralChannelDeps {
  readonly referrals: ReferralHandlerDeps;
  readonly messenger: TeamsMessenger;
  readonly cardPosts: CardPostRepository;
  readonly conversations: ConversationDirectory;
  readonly marking: string;
  readonly members: Pick<MemberRepository, 'listMembers'>;
  readonly tenantId: string;
}

async function channelView(deps: ReferralChannelDeps, summary: ReferralSummary): Promise<AdaptiveCardJson> {
  const refreshUserIds = await coordinatorUserIds(
    deps.members,
    deps.conversations,
    deps.referrals.areaId,
    deps.tenantId,
  );
  return renderReferralDecisionCard(summary, deps.marking, { forChannel: true, refreshUserIds });
}

/** The channel's view of a referral card, for readers not entitled to more (e.g. on refresh). */
export async function channelReferralCard(
  deps: ReferralChannelDeps,
  data: Record<string, unknown>,
): Promise<AdaptiveCardJson> {
  const id = z.object({ referralId: z.string().min(1).max(128) }).safeParse(data);
  const summary = id.success ? await referralSummaryForChannel(deps.referrals, id.data.referralId) : null;
  if (!summary?.ok) {
    return renderCard(
      'notice',
      { title: 'Referral not available', message: 'Please use the latest card.', facts: [] },
      deps.marking,
    );
  }
  return renderCard('referral-decision', decisionCardData(summary.value, { forChannel: true }), deps.marking);
}

const postKey = (id: string) => `referral:${id}`;

/** Posts the co-ordinator's decision card (minimal identifying data) when a referral is submitted. */
export async function postReferralToChannel(
  deps: ReferralChannelDeps,
  summary: ReferralSummary,
): Promise<'posted' | 'no_channel'> {
  const channel = await deps.conversations.coordinatorChannel(deps.referrals.areaId);
  if (!channel) return 'no_channel';
  const posted = await deps.messenger.postCard(channel, await channelView(deps, summary), 'the referral card');
  await deps.cardPosts.save({
    key: postKey(summary.referralId),
    ...posted,
    targetConversationId: channel.conversationId,
  });
  return 'posted';
}

/** After a decision or an answer, the channel card changes for everyone, not just the clicker. */
export async function updateReferralInChannel(deps: ReferralChannelDeps, referralId: string): Promise<void> {
  const post = await deps.cardPosts.get(postKey(referralId));
  if (!post) return;
  const target = await deps.conversations.byConversationId(post.targetConversationId);
  const summary = await referralSummaryForChannel(deps.referrals, referralId);
  if (!target || !summary.ok) return;
  await deps.messenger.updateCard(target, post, await channelView(deps, summary.value), 'the referral card');
}
