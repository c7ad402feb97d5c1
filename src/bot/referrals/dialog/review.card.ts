import type { ReferralReview, ReferralSummary } from '../../../app/referrals';
import { formatUkDate, formatUkDateTime, personInitials } from '../../../domain/format';
import { renderCard, type AdaptiveCardJson } from '../../cards/render';

/** A section's state in words, so nothing rests on colour: "Complete", "2 answers missing". */
function statusOf(s: ReferralReview['sections'][number]): string {
  if (s.complete) return 'Complete';
  if (s.missing.length === 1) return '1 answer missing';
  if (s.missing.length > 1) return `${s.missing.length} answers missing`;
  return 'Needs attention';
}

/** The review card at the end of the walk: each section's answers in full, its state, Edit and Submit. */
export function reviewCard(r: ReferralReview, marking: string, lead = ''): AdaptiveCardJson {
  const initials = personInitials(r.referral.sections.subject?.name);
  return renderCard(
    'referral-review',
    {
      referralId: r.referral.id,
      lead,
      expectedVersion: String(r.referral.version),
      title: `Check your MAPPA A referral${initials === '?' ? '' : `: ${initials}`}`,
      message: r.ready
        ? 'Everything required is filled in. Check each section, then submit.'
        : 'Some answers are still needed: each section says what is missing, and its Edit button takes you there.',
      sections: r.sections.map((s) => ({
        number: s.index + 1,
        sectionId: s.id,
        title: s.title,
        status: statusOf(s),
        answers: [
          ...s.answers.map((a) => ({ title: a.label, value: a.value })),
          ...(s.missing.length > 0 ? [{ title: 'Missing', value: s.missing.join(', ') }] : []),
        ],
      })),
      blocking: r.blocking.map((text) => ({ text })),
      ready: r.ready,
      adviseAvailable: r.adviseAvailable,
    },
    marking,
  );
}

/**
 * What the review card becomes once submitted: read-only, so an old button cannot act, and saying
 * what happens next. The case is named only when the referral started from it (see Referral).
 */
export function submittedCard(summary: ReferralSummary, submittedAt: string, marking: string): AdaptiveCardJson {
  const caseRef = summary.caseRefForReferrer;
  return renderCard(
    'referral-submitted',
    {
      title: `MAPPA A referral submitted${summary.initials === '?' ? '' : `: ${summary.initials}`}`,
      facts: [
        ...(caseRef ? [{ title: 'Case', value: caseRef }] : []),
        { title: 'Submitted', value: formatUkDateTime(submittedAt) },
        { title: 'Level requested', value: summary.levelRequested },
        ...(summary.decisionDue ? [{ title: 'Decision due by', value: formatUkDate(summary.decisionDue) }] : []),
      ],
      message:
        'It can no longer be changed here. The MAPPA co-ordinator will tell you their decision in this chat, or ask you a question.',
    },
    marking,
  );
}
