import type { z } from 'zod';
import { answerInformationRequest, referralSummary } from '../../app/referrals';
import type { ReferralAnswerPayload } from './catalogue';
import { changed, notice, unchanged, type ReferralAction } from './outcome';
import { questionCard } from './question.card';

/** The referrer's answer: the answered card, or the same card with their answer kept and the reason. */
export const answerInfo: ReferralAction<z.output<typeof ReferralAnswerPayload>> = async (h, p) => {
  const deps = h.deps.referrals;
  const res = await answerInformationRequest(deps, h.principal, p.referralId, p.answer);
  if (!res.ok) {
    const s = await referralSummary(deps, h.principal, p.referralId);
    const open = s.ok ? s.value.questions.find((q) => q.answer === null) : undefined;
    if (!s.ok || !open) return notice(h, 'Nothing to answer', res.error.message);
    return unchanged(
      questionCard(
        h.card,
        s.value,
        { question: open.question, askedBy: 'the co-ordinator', answer: p.answer },
        res.error.message,
      ),
    );
  }
  return changed(
    questionCard(h.card, res.value.summary, {
      question: res.value.question.question,
      askedBy: res.value.question.askedBy.displayName,
      answer: p.answer.trim(),
    }),
  );
};
