import { invitationPlan, nameSubstitute } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { SubstitutePayload } from './catalogue';
import { invitationCard, invitationDeps } from './invitation.card';

/** "Name a substitute" on an invitation: recorded on the agency's invitee, the card shown again with it. */
export const substituteVerb: ExecuteHandler<SubstitutePayload> = async (h, p) => {
  const inv = invitationDeps(h);
  const res = await nameSubstitute(inv, h.principal, p.meetingId, { agencyId: p.agencyId, substitute: p.substitute });
  if (res.ok) {
    const plan = await invitationPlan(inv, res.value);
    const agency = plan.agencies.find((a) => a.agencyId === p.agencyId);
    if (agency)
      return invitationCard(h.card, plan, agency, {
        note: `Recorded: ${agency.substitute ?? p.substitute} attends for ${agency.agencyName}.`,
      });
  }
  const e = res.ok ? undefined : res.error;
  if (e && 'fieldErrors' in e) {
    const meeting = await inv.meetings.get(p.meetingId);
    if (meeting.ok) {
      const plan = await invitationPlan(inv, meeting.value);
      const agency = plan.agencies.find((a) => a.agencyId === p.agencyId);
      if (agency)
        return invitationCard(h.card, plan, agency, {
          note: Object.values(e.fieldErrors).join(' '),
          substituteTyped: p.substitute,
        });
    }
  }
  return h.card('notice', {
    title: e?.code === 'NOT_FOUND' ? 'Meeting not found' : 'Substitute not recorded',
    message: e?.message ?? 'That meeting was not found.',
    facts: [],
  });
};
