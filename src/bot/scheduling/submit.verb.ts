import { scheduleMeetingOnce } from '../../app/meetings';
import { actorOf } from '../../app/shared/actor';
import { formatUkDate, formatUkDateTime } from '../../domain/format';
import type { ExecuteHandler } from '../capability';
import type { HandlerContext } from '../handler-context';
import { logFailure } from '../notifications/log-failure';
import type { ScheduleFormPayload } from './catalogue';
import { invitationDeps, KIND_LABEL } from './invitation.card';
import { loadScheduleOptions, scheduleCard } from './schedule.card';
import { sendInvitations } from './send-invitations';

/** The use case speaks in ISO dates; people read "12 Jan 2027". */
const ukDates = (text: string) => text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (d) => formatUkDate(d));

async function againWith(
  h: HandlerContext,
  p: ScheduleFormPayload,
  errors: Readonly<Record<string, string>>,
  formError: string,
) {
  const o = await loadScheduleOptions(h, p.caseRef);
  if (!o.ok) return h.card('notice', { title: 'Cannot schedule a meeting', message: o.error.message, facts: [] });
  const shown = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, ukDates(v)]));
  return scheduleCard(h, o.value, p.typed, shown, formError, p.scheduleKey || undefined);
}

/**
 * The schedule card sent: the meeting saved and the answer given at once; the calendar invitation and
 * the invitation cards follow after the turn. The same card sent again schedules nothing more.
 */
export const submitVerb: ExecuteHandler<ScheduleFormPayload> = async (h, p) => {
  let res;
  try {
    res = await scheduleMeetingOnce(h.deps.meetings.run, h.principal, p.caseRef, p.form, p.scheduleKey);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not schedule a meeting');
    return againWith(
      h,
      p,
      {},
      'I could not save this just now (the database did not answer). Your answers are kept: please press Schedule again.',
    ).catch(() =>
      h.card('notice', {
        title: 'Not scheduled',
        message: 'I could not save this just now (the database did not answer). Please try again in a moment.',
        facts: [],
      }),
    );
  }
  if (!res.ok) {
    const e = res.error;
    if ('fieldErrors' in e) {
      const { form, ...fields } = e.fieldErrors;
      return againWith(h, p, fields, form ?? '');
    }
    if (e.code === 'VERSION_CONFLICT') return againWith(h, p, {}, e.message);
    return h.card('notice', {
      title: e.code === 'NOT_FOUND' ? 'Case not found' : 'Not scheduled',
      message: e.message,
      facts: [],
    });
  }
  const { meeting, created } = res.value;
  if (created) {
    const { deps, card } = h;
    const run = () => sendInvitations(deps, invitationDeps(h), card, meeting, actorOf(h.principal));
    if (deps.meetings.afterTurn) deps.meetings.afterTurn.run('meeting invitations', run);
    else void run().catch((err: unknown) => logFailure(deps.logger, err, 'could not send meeting invitations'));
  }
  const area = await h.deps.members.members.getArea(h.deps.areaId);
  const name = (id: string) => (area.ok ? area.value.agencies.find((a) => a.id === id)?.name : undefined) ?? id;
  const agencies = [...new Set(meeting.invitees.map((i) => i.agencyId))].map(name).join(', ');
  return h.card('notice', {
    title: created ? `Meeting scheduled for ${p.caseRef}` : `Already scheduled for ${p.caseRef}`,
    message: created
      ? `Each enrolled member of the invited agencies gets a personal invitation from me now${
          h.deps.meetings.calendar ? ', and a calendar invitation with the Teams join link' : ''
        }. I will tell you here if any agency could not be reached.`
      : 'This card had already scheduled the meeting, so nothing was scheduled again.',
    facts: [
      { title: 'Kind', value: KIND_LABEL[meeting.kind] },
      { title: 'Level', value: `Level ${meeting.level}` },
      { title: 'When', value: `${formatUkDateTime(meeting.scheduledStart)} (UK time)` },
      { title: 'Chair', value: meeting.chair.name },
      { title: 'Agencies invited', value: agencies },
      ...(meeting.dueBy ? [{ title: 'Due by', value: formatUkDate(meeting.dueBy) }] : []),
      ...(meeting.lateReason ? [{ title: 'Why later than due', value: meeting.lateReason }] : []),
    ],
  });
};
