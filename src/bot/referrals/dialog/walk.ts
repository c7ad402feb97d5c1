import type { DialogContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import {
  isAnswered,
  questionApplies,
  sectionQuestions,
  type FormContext,
  type ReferralQuestion,
} from '../../../app/referrals';
import { REFERRAL_SECTIONS } from '../../../domain/referral-sections';

/* Pointer and navigation: pure functions of where the walk is and what the draft holds. */

export const REFERRAL_DIALOG_ID = 'referral';
export const START = 'referral.start';
export const WALK = 'referral.walk';
export const REVIEW = 'referral.review';
export const ANSWER_PROMPT = 'referral.answerPrompt';
export const REVIEW_PROMPT = 'referral.reviewPrompt';

export const SECTION_COUNT = REFERRAL_SECTIONS.length;

/**
 * Where the walk is. This and the referral id are all the dialog keeps: the answers live in the
 * referral document, so a restart (or another device) resumes from MongoDB.
 */
export const Pointer = z.object({
  referralId: z.string().min(1),
  section: z.number().int().min(0),
  field: z.number().int().min(0),
  /** Walking one section from the review card's Edit button; back to the review at its end. */
  editOnly: z.boolean().optional(),
  /** Ask exactly this question even though it has an answer (after `back`, or a failed save). */
  ask: z.boolean().optional(),
});
export type Pointer = z.infer<typeof Pointer>;
export const ReviewState = z.object({ referralId: z.string().min(1) });

/**
 * Where a walk stood when the person left it (save, cancel, or `refer` to another draft), so coming
 * back asks that very question, optional ones included, rather than the first required gap.
 */
export const Place = z.union([
  z.object({ section: z.number().int().min(0), field: z.number().int().min(0), editOnly: z.boolean().optional() }),
  z.object({ review: z.literal(true) }),
]);
export type Place = z.infer<typeof Place>;
/** Per draft; a person has at most a handful, and the oldest are dropped beyond this. */
export const Places = z.record(z.string(), Place);
export const MAX_PLACES = 20;

export const sectionIdAt = (i: number) => REFERRAL_SECTIONS[i]!.id;
export const questionAt = (p: { section: number; field: number }): ReferralQuestion | undefined =>
  p.section < SECTION_COUNT ? sectionQuestions(sectionIdAt(p.section))[p.field] : undefined;

/** Every question position in order, from `p` (inclusive) to the end of the form or section. */
function* positionsFrom(p: Pointer): Generator<{ section: number; field: number }> {
  for (let s = p.section; s < (p.editOnly ? p.section + 1 : SECTION_COUNT); s += 1) {
    const n = sectionQuestions(sectionIdAt(s)).length;
    for (let f = s === p.section ? p.field : 0; f < n; f += 1) yield { section: s, field: f };
  }
}

function* positionsBefore(p: Pointer): Generator<{ section: number; field: number }> {
  for (let s = p.section; s >= (p.editOnly ? p.section : 0); s -= 1) {
    const n = sectionQuestions(sectionIdAt(s)).length;
    // `back` from the review points past the last question; start from the last one that exists.
    for (let f = s === p.section ? Math.min(p.field, n) - 1 : n - 1; f >= 0; f -= 1) yield { section: s, field: f };
  }
}

/** The draft whose walk or review is open in this dialog, and the question being asked if walking. */
export function openDraftOf(dc: DialogContext): { referralId: string; walking?: Pointer } | null {
  const walk = dc.stack.find((i) => i.id === WALK);
  const p = walk ? Pointer.safeParse((walk.state as { options?: unknown }).options) : null;
  if (p?.success) return { referralId: p.data.referralId, walking: p.data };
  const review = dc.stack.find((i) => i.id === REVIEW);
  const r = review ? ReviewState.safeParse((review.state as { options?: unknown }).options) : null;
  return r?.success ? { referralId: r.data.referralId } : null;
}

/**
 * The question to ask at or after `p`. Required questions already answered (pre-filled from the case,
 * or answered before a `back`) are passed over; optional ones are always asked, showing any current
 * answer, because a schema default (e.g. "no" for disclosure) looks just like an answer.
 */
export function nextQuestion(p: Pointer, form: FormContext): { section: number; field: number } | null {
  let first = true;
  for (const at of positionsFrom(p)) {
    const q = questionAt(at)!;
    const exact = first && p.ask === true;
    first = false;
    if (!questionApplies(q, form)) continue;
    if (exact || p.editOnly || !q.required || !isAnswered(q, form.sections, form)) return at;
  }
  return null;
}

export function previousQuestion(p: Pointer, form: FormContext): { section: number; field: number } | null {
  for (const at of positionsBefore(p)) if (questionApplies(questionAt(at)!, form)) return at;
  return null;
}

/** Where a resumed draft picks up: the first required question still unanswered. */
export function firstRequiredGap(form: FormContext): { section: number; field: number } | null {
  for (const at of positionsFrom({ referralId: '-', section: 0, field: 0 })) {
    const q = questionAt(at)!;
    if (q.required && questionApplies(q, form) && !isAnswered(q, form.sections, form)) return at;
  }
  return null;
}
