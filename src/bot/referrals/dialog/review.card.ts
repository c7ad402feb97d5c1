import type { ReferralReview } from '../../../app/referrals';
import { renderCard, type AdaptiveCardJson } from '../../cards/render';

/** The review card at the end of the walk: each section's answers, what is missing, Edit and Submit. */
export function reviewCard(r: ReferralReview, marking: string): AdaptiveCardJson {
  const who = r.sections.find((s) => s.id === 'subject')?.answers.find((a) => a.label === 'Name');
  const initials = who
    ? who.value
        .split(/\s+/)
        .map((w) => `${w[0]!.toUpperCase()}.`)
        .join('')
    : '';
  return renderCard(
    'referral-review',
    {
      referralId: r.referral.id,
      expectedVersion: String(r.referral.version),
      title: `Check your MAPPA A referral${initials ? `: ${initials}` : ''}`,
      message: r.ready ? 'Everything required is filled in. Check each section, then submit.' : '',
      sections: r.sections.map((s) => ({
        number: s.index + 1,
        sectionId: s.id,
        title: s.title,
        status: s.complete ? 'Complete' : s.missing.length > 0 ? `Missing: ${s.missing.join(', ')}` : 'Needs attention',
        statusColor: s.complete ? ('Good' as const) : ('Attention' as const),
        answers: s.answers.map((a) => ({ title: a.label, value: a.value })),
      })),
      blocking: r.blocking.map((text) => ({ text })),
      ready: r.ready,
      adviseAvailable: r.adviseAvailable,
    },
    marking,
  );
}
