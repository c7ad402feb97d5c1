import { ukDateOf } from '../../domain/dates';
import { z } from 'zod';
import type { Principal } from '../../domain/policy';
import type { Referral } from '../../domain/referral.schema';
import type { RequestActor } from '../ports/write-context.port';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import {
  applyAnswer,
  applyCardAnswers,
  clearAnswer,
  findQuestion,
  withDerivedValues,
  type CardProblem,
  type CardValues,
  type DraftSections,
  type FormContext,
} from './referral-form';
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
  return saveWith(deps, principal, actor.value, referralId, (ctx) => {
    const applied = applyAnswer(question, raw.data, ctx);
    return applied.ok
      ? ok({ section: question.section, value: applied.value.section, notes: applied.value.notes })
      : err(validation(field, applied.error, raw.data));
  });
}

/** A card's answers refused: every question's problem, keyed by question id, and nothing saved. */
export type CardRefusal = ReferralError & { readonly problems?: readonly CardProblem[] };

const CardInputValues = z.record(z.string(), z.string().max(20_000));

/**
 * Saves a card: the answers to `questionIds` (questions of one section, as the card showed them),
 * read from the inputs' values. All or nothing: any problem refuses the whole card with every
 * problem named, so the card can come back once with what was typed and each message beside it.
 */
export async function saveCardAnswers(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  sectionId: string,
  questionIds: readonly string[],
  values: CardValues,
): Promise<Result<SavedAnswer, CardRefusal>> {
  const actor = authorise(principal, 'referral.draft', DRAFT_REFUSAL);
  if (!actor.ok) return actor;
  const read = CardInputValues.safeParse(values);
  if (!read.success) return err(validation('card', 'An answer on the card is too long to keep.'));
  const questions = questionIds.map((id) => findQuestion(sectionId, id));
  if (questions.length === 0 || questions.some((x) => x === undefined))
    return err(validation('card', 'That card asks a question that is not part of the referral.'));
  return saveWith(deps, principal, actor.value, referralId, (ctx) => {
    const applied = applyCardAnswers(
      questions.filter((x) => x !== undefined),
      read.data,
      ctx,
    );
    if (applied.ok) return ok({ section: sectionId, value: applied.value.section, notes: applied.value.notes });
    const fieldErrors = Object.fromEntries(applied.error.map((p) => [p.questionId, p.message]));
    return err({
      ...validation('card', applied.error.map((p) => p.message).join(' ')),
      fieldErrors,
      problems: applied.error,
    });
  });
}

/** Leaves one optional answer blank (`skip`); a required one is refused, naming it. */
export async function clearSectionAnswer(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  sectionId: string,
  questionId: string,
): Promise<Result<SavedAnswer, ReferralError>> {
  const actor = authorise(principal, 'referral.draft', DRAFT_REFUSAL);
  if (!actor.ok) return actor;
  const question = findQuestion(sectionId, questionId);
  if (!question) return err(validation(questionId, 'That question is not part of the referral.'));
  return saveWith(deps, principal, actor.value, referralId, (ctx) => {
    const cleared = clearAnswer(question, ctx);
    return cleared.ok
      ? ok({ section: question.section, value: cleared.value.section, notes: [] })
      : err(validation(questionId, cleared.error));
  });
}

/**
 * Loads the caller's draft, applies `change` to its sections and stores the result with a versioned
 * update, retried on a concurrent save (each change is recomputed from the latest draft).
 */
async function saveWith<E extends ReferralError>(
  deps: ReferralDeps,
  principal: Principal,
  by: RequestActor,
  referralId: string,
  change: (ctx: FormContext) => Result<{ section: string; value: Record<string, unknown>; notes: string[] }, E>,
): Promise<Result<SavedAnswer, E | ReferralError>> {
  const area = await loadArea(deps);
  for (let attempt = 0; ; attempt += 1) {
    const loaded = await loadOwnReferral(deps, principal, referralId);
    if (!loaded.ok) return loaded;
    const referral = loaded.value;
    if (referral.status !== 'draft')
      return err(
        appError('ILLEGAL_TRANSITION', `The referral is already ${referral.status}; it can no longer be edited.`),
      );
    const changed = change(formContext(area, referral.sections, principal, ukDateOf(deps.clock.now())));
    if (!changed.ok) return changed;
    const sections = withDerivedValues(
      { ...referral.sections, [changed.value.section]: changed.value.value } as DraftSections,
      area.jurisdiction,
    );
    const saved = await deps.referrals.update(
      referral.id,
      referral.version,
      { sections },
      { by, details: { section: changed.value.section } },
    );
    if (saved.ok) return ok({ referral: saved.value, notes: changed.value.notes });
    if (saved.error.code !== 'VERSION_CONFLICT' || attempt >= 2) return err(saved.error);
  }
}
