import { referralSummary, type ReferralSummary } from '../../app/referrals';
import type { CardPostRepository } from '../../app/ports/card-posts.port';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import type { Principal } from '../../domain/policy';
import type { TeamsMessenger } from '../proactive/messenger';
import { renderReferralDecisionCard, type ReferralHandlerDeps } from './referral.handler';

export interface ReferralChannelDeps {
  readonly referrals: ReferralHandlerDeps;
  readonly messenger: TeamsMessenger;
  readonly cardPosts: CardPostRepository;
  readonly conversations: ConversationDirectory;
  readonly marking: string;
}

const postKey = (id: string) => `referral:${id}`;

/** Posts the co-ordinator's decision card (minimal identifying data) when a referral is submitted. */
export async function postReferralToChannel(
  deps: ReferralChannelDeps,
  summary: ReferralSummary,
): Promise<'posted' | 'no_channel'> {
  const channel = await deps.conversations.coordinatorChannel(deps.referrals.areaId);
  if (!channel) return 'no_channel';
  const posted = await deps.messenger.postCard(
    channel,
    renderReferralDecisionCard(summary, deps.marking),
    'the referral card',
  );
  await deps.cardPosts.save({
    key: postKey(summary.referralId),
    ...posted,
    targetConversationId: channel.conversationId,
  });
  return 'posted';
}

/** After a decision or an answer, the channel card changes for everyone, not just the clicker. */
export async function updateReferralInChannel(
  deps: ReferralChannelDeps,
  principal: Principal,
  referralId: string,
): Promise<void> {
  const post = await deps.cardPosts.get(postKey(referralId));
  if (!post) return;
  const target = await deps.conversations.byConversationId(post.targetConversationId);
  const summary = await referralSummary(deps.referrals, principal, referralId);
  if (!target || !summary.ok) return;
  await deps.messenger.updateCard(
    target,
    post,
    renderReferralDecisionCard(summary.value, deps.marking),
    'the referral card',
  );
}
