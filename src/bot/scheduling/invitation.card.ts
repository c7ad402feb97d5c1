import type { AgencyInvitation, InvitationDeps, InvitationPlan } from '../../app/meetings';
import type { Meeting } from '../../domain/meeting.schema';
import { formatUkDate, formatUkDateTime } from '../../domain/format';
import type { AdaptiveCardJson } from '../cards/render';
import type { CardRenderer, HandlerContext } from '../handler-context';

export const KIND_LABEL: Readonly<Record<Meeting['kind'], string>> = {
  initial: 'Initial meeting',
  review: 'Review meeting',
  emergency: 'Emergency meeting',
};

/** The meeting use cases' dependencies with the member list invitations need. */
export function invitationDeps(h: Pick<HandlerContext, 'deps'>): InvitationDeps {
  return { ...h.deps.meetings.run, members: h.deps.members.members };
}

/**
 * One agency's invitation. It names the case by its reference only: the card sits in each invitee's
 * chat history, and the reference is all they need to find it.
 */
export function invitationCard(
  card: CardRenderer,
  plan: InvitationPlan,
  agency: AgencyInvitation,
  opts: { readonly note?: string; readonly substituteTyped?: string } = {},
): AdaptiveCardJson {
  const m = plan.meeting;
  const joinUrl = m.onlineMeetingUrl ?? '';
  return card('meeting-invitation', {
    title: `Invitation: Level ${m.level} MAPPA meeting for ${plan.caseRef}`,
    statusLine: `Meets ${formatUkDateTime(m.scheduledStart)} (UK time)`,
    facts: [
      { title: 'Kind', value: KIND_LABEL[m.kind] },
      { title: 'Chair', value: m.chair.name },
      { title: 'Your agency', value: agency.agencyName },
      ...(m.venue ? [{ title: 'Venue', value: m.venue }] : []),
      {
        title: 'Join link',
        value: joinUrl ? 'Below: Join the meeting in Teams' : 'None yet: the chair will share how to join',
      },
      ...(agency.substitute ? [{ title: 'Substitute', value: agency.substitute }] : []),
    ],
    meetingId: m.id,
    agencyId: agency.agencyId,
    agencyName: agency.agencyName,
    substitute: opts.substituteTyped ?? agency.substitute ?? '',
    openActions: agency.openActions.map((a) => ({ text: a.text, due: formatUkDate(a.dueDate) })),
    joinUrl,
    note: opts.note ?? '',
  });
}
