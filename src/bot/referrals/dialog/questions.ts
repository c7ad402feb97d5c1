import { formatUkDate } from '../../../domain/format';
import { MessageFactory, type Activity } from 'botbuilder';
import type { FormContext } from '../../../app/referrals';
import type { DraftSummary, ReferralReview } from '../../../app/referrals';
import { REFERRAL_SECTIONS } from '../../../domain/referral-sections';
import { previousQuestion, questionAt, SECTION_COUNT, type Pointer } from './walk';

/* What the walk says: the question being asked, and its standing instructions. */

export const COMMAND_HELP = 'Type **back**, **skip**, **status**, **save** (finish later) or **cancel** at any time.';
export const REFER_USAGE =
  'Type **refer** on its own to carry on, **refer** with a case reference (for example MAPPA-2026-0042) or the initials of one of your drafts, or **refer new** followed by their first and family name.';

export function questionActivity(p: Pointer, form: FormContext, withHeader = true): Partial<Activity> {
  const q = questionAt(p)!;
  const spec = REFERRAL_SECTIONS[p.section]!;
  const firstInSection = previousQuestion({ ...p, editOnly: true }, form) === null;
  const header =
    withHeader && firstInSection
      ? `**Section ${p.section + 1} of ${SECTION_COUNT}: ${spec.title}**\n\n_${spec.guidance}_\n\n`
      : '';
  const current = q.show((form.sections[q.section] ?? {}) as Record<string, unknown>, form);
  const lines = [
    `${header}${q.prompt(form)}`,
    q.hint ? `_${q.hint}_` : '',
    current !== undefined
      ? `Current answer: ${current}. Type **skip** to keep it.`
      : q.required
        ? ''
        : '_Optional: type **skip** to leave it._',
  ].filter(Boolean);
  const text = lines.join('\n\n');
  const choices = q.kind === 'multi' ? undefined : q.choices?.(form);
  return (
    choices && choices.length <= 6
      ? MessageFactory.suggestedActions(
          choices.map((c) => c.title),
          text,
        )
      : MessageFactory.text(text)
  ) as Partial<Activity>;
}

export function withText(activity: Partial<Activity>, prefix: string): Partial<Activity> {
  return { ...activity, text: `${prefix}${activity.text ?? ''}` };
}

export function reviewHelp(r: ReferralReview): string {
  return r.ready
    ? 'Use the buttons on the card, or type **submit**, **edit <section number>**, **save** or **cancel**.'
    : 'Some answers are still needed: use **Edit** on a section (or type **edit <section number>**), or **save** to finish later.';
}

export function draftList(drafts: readonly DraftSummary[]): string {
  const rows = drafts.map(
    (d, i) =>
      `${i + 1}. ${d.label}: ${d.sectionsDone} of ${d.sectionsTotal} sections, started ${formatUkDate(d.startedOn)}`,
  );
  return `You have ${drafts.length} draft referrals:\n\n${rows.join('\n')}\n\nType **refer <number>** to carry on with one, or **refer new** to start another.`;
}
