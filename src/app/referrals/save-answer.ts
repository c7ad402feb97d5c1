import { z } from 'zod';
import type { Principal } from '../../domain/policy';
import type { Referral } from '../../domain/referral.schema';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { applyAnswer, findQuestion, withDerivedValues } from './referral-form';
import {
  authorise,
  DRAFT_REFUSAL,
  formContext,
  loadArea,
  loadOwnReferral,
  validation,
  type ReferralDeps,
  type ReferralError,
} from './shared';

export interface SavedAnswer {
  readonly referral: Referral;
  /** Feedback to show after the answer, e.g. which category the eligibility answers support. */
  readonly notes: readonly string[];
}

const RawAnswer = z.union([z.string(), z.number(), z.boolean()]).transform(String).pipe(z.string().max(20_000));

/**
 * Saves one answer to a draft: parsed and checked against the domain section schema, stored at once
 * with a versioned update (retried on a concurrent save, since each answer touches one field). A bad
 * answer comes back as a field error with the input as typed, so nothing the person wrote is lost.
 */
export async function saveSectionAnswer(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  sectionId: string,
  field: string,
  rawValue: unknown,
): Promise<Result<SavedAnswer, ReferralError>> {
  const actor = authorise(principal, 'referral.draft', DRAFT_REFUSAL);
  if (!actor.ok) return actor;
  const raw = RawAnswer.safeParse(rawValue);
  if (!raw.success) return err(validation(field, 'Please type an answer.'));
  const question = findQuestion(sectionId, field);
  if (!question) return err(validation(field, 'That question is not part of the referral.', raw.data));
  const area = await loadArea(deps);
  for (let attempt = 0; ; attempt += 1) {
    const loaded = await loadOwnReferral(deps, principal, referralId);
    if (!loaded.ok) return loaded;
    const referral = loaded.value;
    if (referral.status !== 'draft')
      return err(
        appError('ILLEGAL_TRANSITION', `The referral is already ${referral.status}; it can no longer be edited.`),
      );
    const ctx = formContext(area, referral.sections, principal);
    const applied = applyAnswer(question, raw.data, ctx);
    if (!applied.ok) return err(validation(field, applied.error, raw.data));
    const sections = withDerivedValues(
      { ...referral.sections, [question.section]: applied.value.section },
      area.jurisdiction,
    );
    const saved = await deps.referrals.update(
      referral.id,
      referral.version,
      { sections },
      { by: actor.value, details: { section: question.section } },
    );
    if (saved.ok) return ok({ referral: saved.value, notes: applied.value.notes });
    if (saved.error.code !== 'VERSION_CONFLICT' || attempt >= 2) return err(saved.error);
  }
}
