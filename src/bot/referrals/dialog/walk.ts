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
 * Where the walk is: a step, named by its section and the index of its first question. This and the
 * referral id are all the dialog keeps: the answers live in the referral document, so a restart (or
 * another device) resumes from MongoDB.
 */
export const Pointer = z.object({
  referralId: z.string().min(1),
  section: z.number().int().min(0),
  field: z.number().int().min(0),
  /** Walking one section from the review card's Edit button; back to the review at its end. */
  editOnly: z.boolean().optional(),
  /** Ask exactly this step even though its answers are there (after `back`, or a refused card). */
  ask: z.boolean().optional(),
  /** Only these questions of the step: ones a card's answers made apply (Level 3's, after choosing it). */
  only: z.array(z.string().max(100)).max(20).optional(),
  /** The step is the section's "Is this right?" card: its answers were all there when the walk came to it. */
  confirm: z.boolean().optional(),
  /** The person chose Change on that card: every step of this section is shown, answered or not. */
  open: z.boolean().optional(),
  /** Show a list's rows with a fresh set of empty ones ("Save and add more rows"). */
  more: z.boolean().optional(),
  /** Said with the step (what the last answer did, or a verdict), so it costs no message of its own. */
  lead: z.string().max(4000).optional(),
});
export type Pointer = z.infer<typeof Pointer>;
export const ReviewState = z.object({ referralId: z.string().min(1) });

/**
 * Where a walk stood when the person left it (save, cancel, or `refer` to another draft), so coming
 * back asks that very step, optional questions included, rather than the first required gap.
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

/** A step: one typed question, or the run of card questions next to each other in a section. */
export interface Group {
  readonly section: number;
  readonly first: number;
  readonly questions: readonly ReferralQuestion[];
}

/** Every step of a section in order (fixed by the question table, whatever the answers). */
export function sectionGroups(section: number): Group[] {
  const qs = sectionQuestions(sectionIdAt(section));
  const groups: Group[] = [];
  qs.forEach((question, i) => {
    const last = groups.at(-1);
    if (last && question.ask === 'card' && last.questions.at(-1)?.ask === 'card')
      groups[groups.length - 1] = { ...last, questions: [...last.questions, question] };
    else groups.push({ section, first: i, questions: [question] });
  });
  return groups;
}

/** The step a position falls in (a remembered place may point inside one). */
export function groupAt(p: { section: number; field: number }): Group | undefined {
  if (p.section >= SECTION_COUNT) return undefined;
  return sectionGroups(p.section).findLast((g) => g.first <= p.field);
}

/** The questions a step asks now: those that apply (and, after a card, only the ones it made apply). */
export function stepQuestions(p: Pointer, form: FormContext): ReferralQuestion[] {
  const g = groupAt(p);
  if (!g) return [];
  return g.questions.filter((x) => questionApplies(x, form) && (!p.only || p.only.includes(x.id)));
}

/** Every step from `p`'s (inclusive) to the end of the form, or of the section when editing one. */
function* groupsFrom(p: Pointer): Generator<Group> {
  for (let s = p.section; s < (p.editOnly ? p.section + 1 : SECTION_COUNT); s += 1)
    for (const g of sectionGroups(s)) if (s > p.section || g.first >= (groupAt(p)?.first ?? 0)) yield g;
}

function* groupsBefore(p: Pointer): Generator<Group> {
  const here = groupAt(p)?.first ?? Number.MAX_SAFE_INTEGER;
  for (let s = Math.min(p.section, SECTION_COUNT - 1); s >= (p.editOnly ? p.section : 0); s -= 1)
    for (const g of sectionGroups(s).reverse()) if (s < p.section || g.first < here) yield g;
}

const applicable = (g: Group, form: FormContext) => g.questions.filter((x) => questionApplies(x, form));
const needsAsking = (x: ReferralQuestion, form: FormContext) => !x.required || !isAnswered(x, form.sections, form);

/**
 * A section that arrives already answered (from the case record, or an earlier walk): every required
 * question that applies has an answer, and there is at least one answer to show.
 */
export function sectionLooksDone(section: number, form: FormContext): boolean {
  const qs = sectionQuestions(sectionIdAt(section)).filter((x) => questionApplies(x, form));
  return (
    qs.every((x) => !x.required || isAnswered(x, form.sections, form)) &&
    qs.some((x) => isAnswered(x, form.sections, form))
  );
}

export type Step = { section: number; field: number; confirm?: true };

/**
 * The step to show at or after `p`. Steps whose every question is required and answered are passed
 * over; optional questions are always shown, with any current answer, because a schema default
 * (e.g. "no" for disclosure) looks just like an answer. A section found already answered when the
 * walk reaches it is only confirmed ("Is this right?"), unless the person asked to change it.
 */
export function nextStep(p: Pointer, form: FormContext): Step | null {
  let first = true;
  for (const g of groupsFrom(p)) {
    const exact = first && p.ask === true;
    const mine = first && p.only ? applicable(g, form).filter((x) => p.only!.includes(x.id)) : applicable(g, form);
    first = false;
    if (mine.length === 0) continue;
    const at = { section: g.section, field: g.first };
    if (exact) return p.confirm ? { ...at, confirm: true } : at;
    if (p.editOnly || (p.open && g.section === p.section)) return at;
    const firstOfSection = sectionGroups(g.section).find((x) => applicable(x, form).length > 0)?.first === g.first;
    if (firstOfSection && sectionLooksDone(g.section, form)) return { ...at, confirm: true };
    if (mine.some((x) => needsAsking(x, form))) return at;
  }
  return null;
}

/** The step before `p` that asks anything (`back`); null at the first. */
export function previousStep(p: Pointer, form: FormContext): Step | null {
  // Back from the questions a card made apply is that card, whole.
  if (p.only) return { section: p.section, field: groupAt(p)?.first ?? p.field };
  for (const g of groupsBefore(p)) if (applicable(g, form).length > 0) return { section: g.section, field: g.first };
  return null;
}

/** Where a resumed draft picks up: the step of the first required question still unanswered. */
export function firstRequiredGap(form: FormContext): Step | null {
  for (const g of groupsFrom({ referralId: '-', section: 0, field: 0 }))
    if (applicable(g, form).some((x) => x.required && !isAnswered(x, form.sections, form)))
      return { section: g.section, field: g.first };
  return null;
}

/** The draft whose walk or review is open in this dialog, and the step being shown if walking. */
export function openDraftOf(dc: DialogContext): { referralId: string; walking?: Pointer } | null {
  const walk = dc.stack.find((i) => i.id === WALK);
  const p = walk ? Pointer.safeParse((walk.state as { options?: unknown }).options) : null;
  if (p?.success) return { referralId: p.data.referralId, walking: p.data };
  const review = dc.stack.find((i) => i.id === REVIEW);
  const r = review ? ReviewState.safeParse((review.state as { options?: unknown }).options) : null;
  return r?.success ? { referralId: r.data.referralId } : null;
}

/**
 * "Section 3 of 12 · question 2 of 5 · about 30 to go": where this step is, counted in questions that
 * apply, and roughly how many are still to come after it (answered required ones are passed over).
 */
export function progressText(p: Pointer, form: FormContext): string {
  const inSection = sectionQuestions(sectionIdAt(p.section)).filter((x) => questionApplies(x, form));
  const here = p.confirm ? inSection : stepQuestions(p, form);
  const at = here.map((x) => inSection.indexOf(x) + 1).filter((n) => n > 0);
  const from = Math.min(...at);
  const to = Math.max(...at);
  const which =
    at.length === 0
      ? `${inSection.length} questions`
      : from === to
        ? `question ${from} of ${inSection.length}`
        : `questions ${from} to ${to} of ${inSection.length}`;
  const g = groupAt(p);
  let left = 0;
  if (!p.editOnly)
    for (const later of groupsFrom({ ...p, field: g ? g.first : p.field }))
      if (!(later.section === p.section && (later.first === g?.first || p.confirm === true)))
        left += applicable(later, form).filter((x) => needsAsking(x, form)).length;
  const toGo = p.editOnly ? 'then back to the review' : left === 0 ? 'the last one' : `about ${left} to go`;
  return `Section ${p.section + 1} of ${SECTION_COUNT} · ${which} · ${toGo}`;
}
