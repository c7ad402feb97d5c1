import { invitationPlan, recordInvitations, type InvitationDeps } from '../../app/meetings';
import type { RequestActor } from '../../app/ports/write-context.port';
import { describeError } from '../../config/logger';
import type { InvitationDelivery, Meeting } from '../../domain/meeting.schema';
import { formatUkDateTime } from '../../domain/format';
import type { BotDeps, CardRenderer } from '../handler-context';
import { invitationCard, KIND_LABEL } from './invitation.card';

/** How long the calendar invitation blocks out; the chair can change it in Outlook. */
const MEETING_MINUTES = 90;

/**
 * After the meeting is saved and the scheduler answered: the Outlook invitation through Graph (when
 * configured), then each invitee's personal card (with the join link when Graph gave one), then what
 * happened recorded on the meeting. The scheduler hears only about what did not work: the calendar
 * invitation, and agencies that nobody could be reached in (agency names only).
 */
export async function sendInvitations(
  deps: BotDeps,
  inv: InvitationDeps,
  card: CardRenderer,
  meeting: Meeting,
  scheduler: RequestActor,
): Promise<void> {
  const { messenger, conversations, calendar } = deps.meetings;
  const tenantId = scheduler.tenantId;
  let plan = await invitationPlan(inv, meeting);
  let onlineMeetingUrl: string | undefined;
  let calendarInvitation: 'created' | 'failed' | undefined;
  if (calendar) {
    const people = new Set(plan.agencies.flatMap((a) => a.recipients.map((r) => r.aadObjectId)));
    if (meeting.chair.aadObjectId) people.add(meeting.chair.aadObjectId);
    try {
      const created = await calendar.create({
        meetingId: meeting.id,
        subject: `MAPPA Level ${meeting.level} meeting ${plan.caseRef}`,
        body: `${KIND_LABEL[meeting.kind]} for ${plan.caseRef}, chaired by ${meeting.chair.name}. Prepare your agency's update from the invitation the MAPPA Assistant sent you in Teams.`,
        start: meeting.scheduledStart,
        end: new Date(Date.parse(meeting.scheduledStart) + MEETING_MINUTES * 60_000).toISOString(),
        attendees: [...people],
      });
      onlineMeetingUrl = created.joinUrl;
      calendarInvitation = 'created';
      plan = { ...plan, meeting: { ...plan.meeting, onlineMeetingUrl } };
    } catch (e) {
      calendarInvitation = 'failed';
      const g = e as { reason?: unknown; status?: unknown };
      deps.logger.warn(
        { error: describeError(e), reason: typeof g.reason === 'string' ? g.reason : undefined, status: g.status },
        'could not create the calendar invitation',
      );
    }
  }
  const deliveries: InvitationDelivery[] = [];
  for (const agency of plan.agencies) {
    for (const r of agency.recipients) {
      const at = new Date().toISOString();
      const chat = await conversations.personalChatOf(tenantId, r.aadObjectId).catch(() => null);
      let status: InvitationDelivery['status'] = 'not_delivered';
      if (chat) {
        try {
          await messenger.sendPersonal(chat, invitationCard(card, plan, agency), 'a meeting invitation');
          status = 'sent';
        } catch (e) {
          deps.logger.warn({ error: describeError(e) }, 'could not send a meeting invitation');
        }
      }
      deliveries.push({ aadObjectId: r.aadObjectId, agencyId: agency.agencyId, status, at });
    }
  }
  const saved = await recordInvitations(inv, meeting.id, scheduler, {
    deliveries,
    ...(onlineMeetingUrl ? { onlineMeetingUrl } : {}),
    ...(calendarInvitation ? { calendarInvitation } : {}),
  });
  if (!saved.ok) deps.logger.warn({ error: { code: saved.error.code } }, 'could not record the invitations');

  const notReached = plan.agencies
    .filter((a) => !deliveries.some((d) => d.agencyId === a.agencyId && d.status === 'sent'))
    .map((a) => a.agencyName);
  const lines = [
    calendarInvitation === 'failed'
      ? 'The calendar invitation could not be sent (Microsoft Graph did not accept it). The meeting is saved and my own invitations in Teams have gone; send a calendar invitation yourself if the agencies need one.'
      : '',
    notReached.length > 0
      ? `Not reached: ${notReached.join(', ')}. Nobody enrolled in ${notReached.length === 1 ? 'that agency' : 'those agencies'} has a personal chat with me yet (or none is enrolled), so please invite them another way.`
      : '',
  ].filter(Boolean);
  if (lines.length === 0) return;
  const chat = await conversations.personalChatOf(tenantId, scheduler.aadObjectId);
  if (!chat) return;
  await messenger.sendPersonal(
    chat,
    card('notice', {
      title: `Invitations for ${plan.caseRef}: some did not go`,
      message: lines.join('\n\n'),
      facts: [{ title: 'Meeting', value: formatUkDateTime(meeting.scheduledStart) }],
    }),
    'the invitation report',
  );
}
