import type { ReferralSummary } from '../../app/referrals';
import type { AdaptiveCardJson } from '../cards/render';
import type { CardRenderer } from '../handler-context';

/** The co-ordinator's question, in the referrer's personal chat, with the answer box or the answer. */
export function questionCard(
  card: CardRenderer,
  summary: ReferralSummary,
  question: { question: string; askedBy: string; answer?: string },
  formError = '',
): AdaptiveCardJson {
  return card('referral-question', {
    referralId: summary.referralId,
    // The referrer's copy: a case they did not start from is not named (it may be one they cannot see).
    caseRef: summary.caseRefForReferrer ?? 'Confirmed by the co-ordinator',
    initials: summary.initials,
    askedBy: question.askedBy,
    question: question.question,
    answer: question.answer ?? '',
    answered: question.answer !== undefined && formError === '',
    formError,
  });
}
