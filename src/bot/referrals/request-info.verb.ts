import { requestMoreInformation } from '../../app/referrals';
import type { ReferralDecisionPayload } from './catalogue';
import { decisionCardData } from './decision.card';
import { changed, sameCardWith, type ReferralAction } from './outcome';
import { questionCard } from './question.card';

/** The co-ordinator's question, sent to the referrer's personal chat as a card they can answer. */
export const requestInfo: ReferralAction<ReferralDecisionPayload> = async (h, p) => {
  const deps = h.deps.referrals;
  const res = await requestMoreInformation(deps, h.principal, p.referralId, p.question);
  if (!res.ok) return sameCardWith(h, p, res.error);
  if (res.value.referrerAadObjectId && deps.notifyReferrer) {
    await deps.notifyReferrer(
      res.value.referrerAadObjectId,
      questionCard(h.card, res.value.summary, {
        question: res.value.question.question,
        askedBy: res.value.question.askedBy.displayName,
      }),
    );
  }
  return changed(
    h.card('referral-decision', decisionCardData(res.value.summary, { formError: 'Question sent to the referrer.' })),
  );
};
