import { referralSummary } from '../../app/referrals';
import type { ExecuteHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';
import { loadScheduleOptions, scheduleCard } from '../scheduling/schedule.card';
import { decisionCardData } from './decision.card';

export const SCHEDULE_SENT = 'The schedule card is in your chat with MAPPA Assistant.';
const NO_CHAT =
  'I cannot send you the schedule card yet: you have no chat with me. In Teams, open Chat, start a new chat with MAPPA Assistant and send it any message (for example help), then press Schedule meeting again.';

/**
 * "Schedule meeting" on the co-ordinator's referral card, once approved at Level 2 or 3. The channel is
 * shared, so the schedule card (chairs, agencies, the due date) goes to the clicker's personal chat, as
 * `schedule meeting` would give it there. Who may schedule is checked again here through the case (the
 * router checked the role); a click after the case moved on (closed, down to Level 1) answers with the
 * referral card as it is now and the reason, and sends nothing.
 */
export const scheduleMeetingVerb: ExecuteHandler<{ referralId: string }> = async (h, p) => {
  const s = await referralSummary(h.deps.referrals, h.principal, p.referralId);
  if (!s.ok) return h.card('notice', { title: 'Referral not available', message: s.error.message, facts: [] });
  const answer = (extra: { advice?: string; formError?: string }) =>
    h.card('referral-decision', decisionCardData(s.value, extra));
  const d = s.value.decision;
  if (d?.outcome !== 'accepted' || d.level === 1 || !s.value.caseRef)
    return answer({ formError: 'Nothing to schedule: this referral was not approved at Level 2 or 3.' });
  const o = await loadScheduleOptions(h, s.value.caseRef);
  if (!o.ok) return answer({ formError: `Nothing was sent. ${o.error.message}` });
  const chat = await h.deps.conversations.personalChatOf(h.principal.tenantId, h.principal.aadObjectId);
  if (!chat) return answer({ formError: NO_CHAT });
  try {
    await h.deps.meetings.messenger.sendPersonal(chat, scheduleCard(h, o.value, undefined, {}, ''), 'a schedule card');
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not send a schedule card');
    return answer({
      formError: 'I could not send the schedule card to your chat just now. Please press again in a moment.',
    });
  }
  return answer({ advice: SCHEDULE_SENT });
};
