import { z } from 'zod';
import { can, type Principal } from '../../domain/policy';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { ReferralQuestion } from '../ports/referral-questions.port';
import { actorOf } from '../shared/actor';
import { loadArea, loadAreaReferral, referrerOf, validation, type ReferralDeps, type ReferralError } from './shared';
import { summarise, type ReferralSummary } from './summary';

const AnswerText = z
  .string({ error: 'Write your answer.' })
  .trim()
  .min(1, 'Write your answer.')
  .max(4000, 'Keep the answer under 4,000 characters.');

/** The referrer (or anyone the case is open to) answers the oldest open question on the referral. */
export async function answerInformationRequest(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  answer: unknown,
): Promise<Result<{ question: ReferralQuestion; summary: ReferralSummary }, ReferralError>> {
  const text = AnswerText.safeParse(answer);
  if (!text.success) return err(validation('answer', text.error.issues[0]!.message));
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  const r = loaded.value;
  const c = r.caseId ? await deps.cases.get(r.caseId) : null;
  const scope = {
    areaId: r.areaId,
    leadAgencyId: c?.ok ? c.value.leadAgencyId : (r.sections.referrer?.agencyId ?? ''),
    involvedAgencyIds: [],
    ...(referrerOf(r) ? { referrerAadObjectId: referrerOf(r)! } : {}),
  };
  if (!can(principal, 'referral.answerQuestion', { case: scope }).allowed)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  const open = (await deps.questions.listForReferral(r.id)).find((q) => q.answer === undefined);
  if (!open) return err(validation('answer', 'There is no open question on this referral.'));
  const actor = actorOf(principal);
  const answered = await deps.questions.answer(
    open.id,
    { text: text.data, by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName } },
    { by: actor },
  );
  if (!answered.ok)
    return err(
      answered.error.code === 'ALREADY_DECIDED'
        ? validation('answer', 'Someone has just answered that question.')
        : answered.error,
    );
  return ok({ question: answered.value, summary: await summarise(deps, r, await loadArea(deps)) });
}
