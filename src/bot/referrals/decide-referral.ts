import { decideReferral } from '../../app/referrals';
import { appError } from '../../lib/errors';
import type { HandlerContext } from '../handler-context';
import type { ReferralDecisionPayload } from './catalogue';
import { decisionCardData, ukDate } from './decision.card';
import { changed, sameCardWith, unchanged, type ReferralCardOutcome } from './outcome';

/**
 * Approve or reject: the decided card, with the referrer told in personal chat; or the same card
 * with the refusal. A repeated decision changes nothing and says so.
 */
export async function decide(
  h: HandlerContext,
  outcome: 'approve' | 'reject',
  p: ReferralDecisionPayload,
): Promise<ReferralCardOutcome> {
  const deps = h.deps.referrals;
  if (outcome === 'approve' && p.level === undefined) {
    // Only a forged or damaged card gets here; say so in words rather than in schema text.
    return sameCardWith(h, p, { ...appError('VALIDATION_FAILED', 'Approve at Level 2 or Level 3.'), fieldErrors: {} });
  }
  const input =
    outcome === 'approve'
      ? {
          outcome: 'approve',
          level: p.level,
          note: p.level === 3 ? p.noteL3 : p.noteL2,
          ...(p.identity ? { identity: p.identity } : {}),
        }
      : { outcome: 'reject', reason: p.reason };
  const res = await decideReferral(deps, h.principal, p.referralId, input);
  if (!res.ok) return sameCardWith(h, p, res.error);
  const referrer = res.value.summary.referrerAadObjectId;
  if (!res.value.alreadyDecided && referrer && deps.notifyReferrer) {
    // The referrer hears the outcome in personal chat; a failed message must not undo the decision.
    const s = res.value.summary;
    const approved = s.decision?.outcome === 'accepted';
    await deps
      .notifyReferrer(
        referrer,
        h.card('notice', {
          title: approved
            ? `Referral accepted${s.caseRefForReferrer ? `: ${s.caseRefForReferrer}` : ''}`
            : `Referral not accepted${s.caseRefForReferrer ? `: ${s.caseRefForReferrer}` : ''}`,
          message: approved
            ? `The co-ordinator accepted your referral for Level ${s.decision?.level ?? ''} management.${
                res.value.firstMeetingDue ? ` The first meeting is due by ${ukDate(res.value.firstMeetingDue)}.` : ''
              }`
            : `Reason: ${s.decision?.rationale ?? ''}${res.value.advice ? `\n\n${res.value.advice}` : ''}`,
          facts: [{ title: 'Decided by', value: s.decision?.decidedBy ?? '' }],
        }),
      )
      .catch(() => undefined);
  }
  const card = h.card(
    'referral-decision',
    decisionCardData(res.value.summary, {
      advice: [
        res.value.alreadyDecided ? 'This referral had already been decided; nothing was changed.' : '',
        res.value.advice ?? '',
      ]
        .filter(Boolean)
        .join(' '),
      firstMeetingDue: res.value.firstMeetingDue,
    }),
  );
  return res.value.alreadyDecided ? unchanged(card) : changed(card);
}
