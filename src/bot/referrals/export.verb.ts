import { referralSummary } from '../../app/referrals';
import type { ExecuteHandler } from '../capability';
import { decisionCardData } from './decision.card';

/** The co-ordinator's card with a short-lived download link for the MAPPA A. */
export const exportVerb: ExecuteHandler<{ referralId: string }> = async (h, p) => {
  const deps = h.deps.referrals;
  const s = await referralSummary(deps, h.principal, p.referralId);
  if (!s.ok) return h.card('notice', { title: 'Referral not available', message: s.error.message, facts: [] });
  const url = deps.exportLink ? await deps.exportLink(p.referralId, h.principal) : null;
  return h.card(
    'referral-decision',
    decisionCardData(s.value, url ? { exportUrl: url } : { formError: 'Exporting the MAPPA A is not available yet.' }),
  );
};
