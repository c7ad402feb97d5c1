import { MessageFactory, type Activity } from 'botbuilder';
import type { DraftSummary, FormContext, ReferralReview } from '../../../app/referrals';
import { formatUkDate } from '../../../domain/format';
import { REFERRAL_SECTIONS } from '../../../domain/referral-sections';
import { cardAttachment } from '../../cards/render';
import { confirmCard, guidanceFor, stepCard, type StepCardState } from './step.card';
import { progressText, stepQuestions, type Pointer } from './walk';

/* What the walk says: the step being shown, and its standing instructions. Each word does one thing. */

export const COMMAND_HELP =
  'At any time type **back** (previous step), **skip** (leave blank), **keep** (keep the saved answer), **status**, **save** (finish later) or **cancel** (stop; the draft is kept).';
export const REFER_USAGE =
  'Type **refer** on its own to carry on, **refer** with a case reference (for example MAPPA-2026-0042) or the initials of one of your drafts, or **refer new** followed by their first and family name.';

/** Is this step one question answered by typing in the chat (rather than on a card)? */
export const isTypedStep = (p: Pointer, form: FormContext): boolean => {
  const qs = stepQuestions(p, form);
  return !p.confirm && qs.length === 1 && qs[0]!.ask === 'typed';
};

/** A typed question: the section and progress first, so coming back into a section shows where it is. */
function typedText(p: Pointer, form: FormContext): string {
  const q = stepQuestions(p, form)[0]!;
  const spec = REFERRAL_SECTIONS[p.section]!;
  const guidance = guidanceFor(p);
  const current = q.show((form.sections[q.section] ?? {}) as Record<string, unknown>, form);
  return [
    `**${spec.title}**`,
    progressText(p, form),
    guidance ? `_${guidance}_` : '',
    q.prompt(form),
    q.hint ? `_${q.hint}_` : '',
    current !== undefined
      ? `Saved answer: ${current}\n\nType **keep** to keep it, or type a new answer.`
      : q.required
        ? ''
        : '_Optional: type **skip** to leave it blank._',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** The step as one message: a typed question, the section's card, or its "Is this right?" card. */
export function stepActivity(
  p: Pointer,
  form: FormContext,
  marking: string,
  state: StepCardState = {},
): Partial<Activity> {
  const lead = p.lead ? `${p.lead}\n\n` : '';
  if (isTypedStep(p, form)) return MessageFactory.text(`${lead}${typedText(p, form)}`) as Partial<Activity>;
  const card = p.confirm ? confirmCard(p, form, marking) : stepCard(p, form, marking, state);
  // What the last answer did goes on the card itself: a client may show a card without its text.
  return MessageFactory.attachment(cardAttachment(card)) as Partial<Activity>;
}

export function withText(activity: Partial<Activity>, prefix: string): Partial<Activity> {
  return { ...activity, text: `${prefix}${activity.text ?? ''}` };
}

export function reviewHelp(r: ReferralReview): string {
  return r.ready
    ? 'Check each section, then press **Submit** (or type **submit**). To change a section, use its **Edit** button or type **edit <section number>**; **save** finishes later.'
    : 'Some answers are still needed: use **Edit** on a section (or type **edit <section number>**), or **save** to finish later.';
}

export function draftList(drafts: readonly DraftSummary[]): string {
  const rows = drafts.map(
    (d, i) =>
      `${i + 1}. ${d.label}: ${d.sectionsDone} of ${d.sectionsTotal} sections, started ${formatUkDate(d.startedOn)}`,
  );
  return `You have ${drafts.length} draft referrals:\n\n${rows.join('\n')}\n\nType **refer <number>** to carry on with one, or **refer new** to start another.`;
}
