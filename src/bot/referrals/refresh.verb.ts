import { referralSummary } from '../../app/referrals';
import { can } from '../../domain/policy';
import type { ExecuteHandler, ViewHandler } from '../capability';
import { coordinatorUserIds } from '../proactive/coordinators';
import { channelReferralCard } from './channel';
import { decisionCardData } from './decision.card';

/** Teams refreshes the channel card for the co-ordinators listed on it: they get the detailed card. */
export const refreshVerb: ExecuteHandler<{ referralId: string }> = async (h, p) => {
  const deps = h.deps.referrals;
  const full = can(h.principal, 'referral.decide').allowed;
  if (!full) return channelReferralCard(h.deps.referralChannel, p.referralId, h.turn.activity.conversation?.id);
  const s = await referralSummary(deps, h.principal, p.referralId);
  if (!s.ok) return h.card('notice', { title: 'Referral not available', message: s.error.message, facts: [] });
  const refreshUserIds = await coordinatorUserIds(
    h.deps.members.members,
    h.deps.conversations,
    deps.areaId,
    h.principal.tenantId,
  );
  return h.card('referral-decision', decisionCardData(s.value, { refreshUserIds }));
};

/** What a refresh shows someone not entitled to more: the channel's own view. */
export const refreshView: ViewHandler<{ referralId: string }> = (h, p) =>
  channelReferralCard(h.deps.referralChannel, p?.referralId, h.turn.activity.conversation?.id);
