import type { z } from 'zod';
import { Category, type Jurisdiction, RoshLevel } from '../../domain/common.schema';
import { assessCategory, categoryInfo, factsSupportCategory } from '../../domain/eligibility';
import { type ReferralSectionId, ReferralSections } from '../../domain/referral.schema';
import { err, ok, type Result } from '../../lib/result';
import { asRecord } from './form-parse';
import type { CardValues, DraftSections, FormContext, ReferralQuestion, SectionValue } from './form-types';
import { PERSON_QUESTIONS } from './questions-person';
import { OFFENCE_QUESTIONS } from './questions-offence';
import { RISK_QUESTIONS } from './questions-risk';
import { PLAN_QUESTIONS } from './questions-plan';

/*
 * The MAPPA A as a list of plain-language questions. Each question turns an answer into a patch of
 * one section; the patch is then checked against the domain's section schema, so the rules live in
 * one place (src/domain) and these files only know how people write things down.
 *
 * A question is answered one of two ways. Most are inputs on the section's card (choice sets, dates,
 * short text, rows of agencies or victims), described as data (questions-*.ts, built with form-builders.ts) so the bot layer only draws them.
 * The few that ask for an account in the referrer's own words are `typed`: asked on their own and
 * answered in the chat, where long text is easier to write and paste. A question asked on its own
 * (typed, or alone on its card) also takes a typed reply, read by `toPatch`.
 */

const QUESTIONS: readonly ReferralQuestion[] = [
  ...PERSON_QUESTIONS,
  ...OFFENCE_QUESTIONS,
  ...RISK_QUESTIONS,
  ...PLAN_QUESTIONS,
];

/** The questions of one section, in the order the dialog asks them (some may not apply). */
export function sectionQuestions(section: ReferralSectionId): readonly ReferralQuestion[] {
  return QUESTIONS.filter((x) => x.section === section);
}

export function findQuestion(section: string, id: string): ReferralQuestion | undefined {
  return QUESTIONS.find((x) => x.section === section && x.id === id);
}

export const questionApplies = (question: ReferralQuestion, ctx: FormContext): boolean =>
  question.appliesTo?.(ctx) ?? true;

/** Has the field this question fills already got a value? */
export function isAnswered(question: ReferralQuestion, sections: DraftSections, ctx: FormContext): boolean {
  return question.show(asRecord(sections[question.section]), ctx) !== undefined;
}

/** The highest RoSH across groups, which the Level 2 test reads. */
export function highestRosh(rosh: SectionValue): z.infer<typeof RoshLevel> | undefined {
  const order = RoshLevel.options;
  const levels = Object.values(rosh).filter((v): v is z.infer<typeof RoshLevel> => order.includes(v as never));
  return levels.sort((a, b) => order.indexOf(b) - order.indexOf(a))[0];
}

const PART_NAMES: Readonly<Record<string, string>> = {
  pnc: 'PNC',
  crn: 'CRN',
  visor: 'ViSOR',
  prisonNumber: 'prison number',
  chi: 'CHI',
  given: 'first name',
  family: 'family name',
};

/** A schema issue as a sentence naming the question (and the part, for a number), never the schema's wording. */
function humanIssue(issue: z.core.$ZodIssue, label: string): string {
  const part = issue.path.map(String).find((p) => PART_NAMES[p]);
  const where = part ? `${label} (${PART_NAMES[part]})` : label;
  if (issue.code === 'too_small')
    return issue.origin === 'array' ? `${where}: give at least one.` : `${where}: this cannot be blank.`;
  if (issue.code === 'too_big') return `${where}: keep it shorter (at most ${String(issue.maximum)}).`;
  if (issue.code === 'invalid_format' || issue.code === 'custom') return `${where}: ${issue.message}`;
  return `${where}: that answer does not fit this question.`;
}

/** A patch merged into the section, each field it touches checked by the domain schema (defaults applied). */
function applyPatch(
  question: ReferralQuestion,
  patch: SectionValue,
  current: SectionValue,
): Result<SectionValue, string> {
  const shape = ReferralSections.shape[question.section].shape as Record<string, z.ZodType>;
  const next: SectionValue = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) {
      delete next[key];
      continue;
    }
    const schema = shape[key];
    if (!schema) return err('That answer does not belong in this section.');
    const parsed = schema.safeParse(value);
    if (!parsed.success) return err(humanIssue(parsed.error.issues[0]!, question.label));
    next[key] = parsed.data;
  }
  return ok(next);
}

/**
 * Checks one typed answer: parses the words, then validates every section field it touches with the
 * domain schema. Returns the new value of the whole section (parsed, so defaults are applied), or a
 * message for the person. Pure, so the dialog's prompt validator and the use case share it.
 */
export function applyAnswer(
  question: ReferralQuestion,
  raw: string,
  ctx: FormContext,
): Result<{ section: SectionValue; notes: string[] }, string> {
  if (raw.trim() === '') return err('Please type an answer.');
  const current = asRecord(ctx.sections[question.section]);
  const patch = question.toPatch(raw, ctx, current);
  if (!patch.ok) return patch;
  const next = applyPatch(question, patch.value, current);
  return next.ok ? ok({ section: next.value, notes: notesFor(question, next.value, ctx) }) : next;
}

/** The section with this question left blank (`skip`), or why it cannot be. */
export function clearAnswer(question: ReferralQuestion, ctx: FormContext): Result<{ section: SectionValue }, string> {
  if (question.required) return err(`"${question.label}" is required, so it cannot be left blank.`);
  const current = asRecord(ctx.sections[question.section]);
  const next = applyPatch(question, question.clear(current), current);
  return next.ok ? ok({ section: next.value }) : next;
}

/** What was wrong with one question on a card: its id, and the message naming it. */
export interface CardProblem {
  readonly questionId: string;
  readonly message: string;
}

/**
 * Checks a whole card: each question's inputs in the card's order, each checked as a typed answer
 * would be and seeing the answers before it (the category before the facts). Every problem is
 * reported at once, so the card comes back once with all of them marked; nothing is applied unless
 * everything passes.
 */
export function applyCardAnswers(
  questions: readonly ReferralQuestion[],
  values: CardValues,
  ctx: FormContext,
): Result<{ section: SectionValue; notes: string[] }, CardProblem[]> {
  if (questions.length === 0) return err([]);
  const sectionId = questions[0]!.section;
  let current = asRecord(ctx.sections[sectionId]);
  const problems: CardProblem[] = [];
  for (const question of questions) {
    const here: FormContext = { ...ctx, sections: { ...ctx.sections, [sectionId]: current } };
    const patch = question.fromInputs(values, here, current);
    const next = patch.ok ? applyPatch(question, patch.value, current) : patch;
    if (next.ok) current = next.value;
    else problems.push({ questionId: question.id, message: next.error });
  }
  if (problems.length > 0) return err(problems);
  return ok({ section: current, notes: notesFor(questions.at(-1)!, current, ctx, true) });
}

/**
 * Feedback worth showing straight after an answer: what the eligibility answers support. `final` is
 * for a whole card: nothing on it is still to come, so the verdict is given on what was entered.
 */
function notesFor(question: ReferralQuestion, section: SectionValue, ctx: FormContext, final = false): string[] {
  if (question.section !== 'category' || !section.eligibilityFacts) return [];
  // A verdict before the question that decides it (the sentence, for Category 2) would tell the
  // person their case does not qualify when it may well do.
  const after: FormContext = { ...ctx, sections: { ...ctx.sections, category: section } };
  const rest = sectionQuestions('category').slice(sectionQuestions('category').indexOf(question) + 1);
  if (!final && rest.some((q) => questionApplies(q, after) && !isAnswered(q, after.sections, after))) return [];
  const a = assessCategory(ctx.jurisdiction, asRecord(section.eligibilityFacts));
  if (!a.eligible) return ['These answers do not meet any MAPPA category yet; the co-ordinator will see why.'];
  const label = a.qualifying.map((q) => categoryInfo(ctx.jurisdiction, q.category)?.label ?? q.category).join(' or ');
  const chosen = Category.safeParse(section.category);
  const also = a.coordinatorChooses ? ' More than one category applies, so the co-ordinator chooses.' : '';
  return chosen.success && !factsSupportCategory(a, chosen.data)
    ? [`These answers support ${label}, not the category you chose. Type **back** to change the category.`]
    : [`These answers support ${label}.${also}`];
}

/**
 * Values other answers imply, recomputed after every save so they never go stale: the eligibility
 * reasons the co-ordinator sees, and the highest RoSH the Level 2 test reads.
 */
export function withDerivedValues(sections: DraftSections, jurisdiction: Jurisdiction): DraftSections {
  const out: DraftSections = { ...sections };
  const facts = out.category?.eligibilityFacts;
  if (out.category && facts) {
    const a = assessCategory(jurisdiction, facts);
    out.category = { ...out.category, eligibilityReasons: a.eligible ? [...a.reasons] : [] };
  }
  const rosh = out.risk?.rosh;
  if (out.reason?.levelFacts && rosh) {
    const top = highestRosh(rosh);
    out.reason = { ...out.reason, levelFacts: { ...out.reason.levelFacts, ...(top ? { highestRosh: top } : {}) } };
  }
  return out;
}

/** Every answered question of a section, for the review card: lists one line an entry, in full. */
export function sectionAnswers(
  section: ReferralSectionId,
  ctx: FormContext,
): { label: string; value: string; questionId: string }[] {
  const cur = asRecord(ctx.sections[section]);
  const out: { label: string; value: string; questionId: string }[] = [];
  for (const question of sectionQuestions(section)) {
    const each = question.showEach?.(cur, ctx);
    if (each && each.length > 0) {
      for (const e of each) out.push({ ...e, questionId: question.id });
      continue;
    }
    const value = question.show(cur, ctx);
    if (value !== undefined) out.push({ label: question.label, value, questionId: question.id });
  }
  return out;
}

export { NONE, parseUkDate } from './form-parse';
export type { CardInput, CardValues, Choice, DraftSections, FormContext, ReferralQuestion } from './form-types';
