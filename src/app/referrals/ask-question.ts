import { z } from 'zod';
import type { Principal } from '../../domain/policy';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { ReferralQuestion } from '../ports/referral-questions.port';
import {
  authorise,
  loadArea,
  loadAreaReferral,
  referrerOf,
  validation,
  type ReferralDeps,
  type ReferralError,
} from './shared';
import { summarise, type ReferralSummary } from './summary';

const QuestionText = z
  .string({ error: 'Write the question for the referrer.' })
  .trim()
  .min(1, 'Write the question for the referrer.')
  .max(2000, 'Keep the question under 2,000 characters.');

/**
 * The co-ordinator asks the referrer for more before deciding. Returns the question and who to tell,
 * so the caller can post it to the referrer's chat.
 */
export async function requestMoreInformation(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  question: unknown,
): Promise<
  Result<{ question: ReferralQuestion; referrerAadObjectId: string | null; summary: ReferralSummary }, ReferralError>
> {
  const actor = authorise(principal, 'referral.decide', 'Only the MAPPA co-ordinator can ask about a referral.');
  if (!actor.ok) return actor;
  const text = QuestionText.safeParse(question);
  if (!text.success) return err(validation('question', text.error.issues[0]!.message));
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  if (loaded.value.status !== 'submitted')
    return err(
      appError('ILLEGAL_TRANSITION', `The referral is ${loaded.value.status}; questions are for submitted referrals.`),
    );
  const asked = await deps.questions.ask(
    {
      referralId: loaded.value.id,
      areaId: loaded.value.areaId,
      question: text.data,
      askedBy: { aadObjectId: actor.value.aadObjectId, displayName: actor.value.displayName },
    },
    { by: actor.value },
  );
  const area = await loadArea(deps);
  return ok({
    question: asked,
    referrerAadObjectId: referrerOf(loaded.value) ?? null,
    summary: await summarise(deps, loaded.value, area),
  });
}
