import { formatUkDate } from '../../domain/format';
import { REMINDER_KIND_LABELS, type Reminder, type ReminderMoment } from '../../domain/reminders';
import type { ClaimedReminder } from '../ports/reminder-repository.port';
import { teamsNotifier } from '../notifications/shared';
import { requireArea } from '../shared/area';
import { agenciesWithoutUpdate } from './deadlines';
import type { ReminderDeps, ReminderNotice, ReminderOutbox } from './deps';

export type DeadlineHandled =
  { kind: 'sent'; delivered: number; undelivered: number; escalated: boolean } | { kind: 'closed' };

/** What each step asks of whoever is reminded. */
const NEXT_STEP: Readonly<Record<Exclude<Reminder['kind'], 'action'>, string>> = {
  notification_after_sentence:
    'This notification reached the co-ordinator after the time allowed from sentence. Give the co-ordinator the reason for the delay and anything still missing, so it can be decided.',
  referral_decision: 'Decide the referral (approve at Level 2 or 3, or reject with a reason).',
  first_meeting: 'Schedule the first MAPPA meeting for this case.',
  review_meeting: 'Schedule the review meeting for this case.',
  minutes_approval: 'Read and approve the minutes of the meeting.',
  prepared_updates: "Prepare your agency's update for the meeting (a draft is enough).",
};

/**
 * A deadline's notice: the case reference, the step and the dates only. No names, no text from the
 * record: it may be read on a shared screen, and the reference is enough to open the case.
 */
export function deadlineNotice(r: Reminder, m: ReminderMoment): ReminderNotice {
  const step = REMINDER_KIND_LABELS[r.kind];
  const when =
    m.stage === 'before'
      ? `due ${formatUkDate(r.due)}`
      : m.stage === 'due'
        ? `due today, ${formatUkDate(r.due)}`
        : `overdue by ${m.overdueDays} working day${m.overdueDays === 1 ? '' : 's'} (due ${formatUkDate(r.due)})`;
  return {
    title: `${step} for ${r.caseRef}: ${when}`,
    message: r.kind === 'action' ? '' : NEXT_STEP[r.kind],
    facts: [
      { title: 'Case', value: r.caseRef },
      { title: 'Step', value: step },
      { title: 'Due', value: formatUkDate(r.due) },
    ],
  };
}

/** The co-ordinator channel's escalation of a late deadline: reference, step and date only. */
export function deadlineEscalation(r: Reminder, m: ReminderMoment): ReminderNotice {
  return {
    title: `Overdue: ${REMINDER_KIND_LABELS[r.kind].toLowerCase()} for ${r.caseRef}`,
    message: `Overdue by ${m.overdueDays} working days. Whoever owns the step has been reminded; please follow up.`,
    facts: [
      { title: 'Step', value: REMINDER_KIND_LABELS[r.kind] },
      { title: 'Due', value: formatUkDate(r.due) },
    ],
  };
}

/**
 * The chair's and co-ordinator channel's notice the day before a meeting: which invited agencies have
 * not prepared an update, by agency name only (no case content, no names of people).
 */
export function preparedUpdatesEscalation(
  r: Reminder,
  missingAgencyNames: readonly string[],
  chairReached = true,
): ReminderNotice {
  const chair = chairReached
    ? ''
    : ' The chair could not be reached (no active member of the area chairs it, or the bot cannot message them).';
  return {
    title: `Updates not yet prepared for the meeting on ${r.caseRef}`,
    message: `These invited agencies have no update (not even a draft) for the meeting and have been reminded.${chair} Please follow up before it starts.`,
    facts: [
      { title: 'Step', value: REMINDER_KIND_LABELS[r.kind] },
      { title: 'Due', value: formatUkDate(r.due) },
      ...missingAgencyNames.map((value) => ({ title: 'Not yet prepared', value })),
    ],
  };
}

const activeIds = (members: { aadObjectId: string; active: boolean }[]) =>
  members.filter((m) => m.active).map((m) => m.aadObjectId);

/**
 * The meeting's chair while they are an active member of the reminder's area, else null: a chair
 * who was removed or moved area must not keep receiving notices about the case.
 */
async function activeChair(deps: ReminderDeps, areaId: string, chair: string | undefined): Promise<string | null> {
  if (!chair) return null;
  const members = await deps.members.listMembers(areaId);
  return members.some((x) => x.active && x.aadObjectId === chair) ? chair : null;
}

/**
 * Who owns the step now, or null when it is done (the record moved on without the hook seeing it):
 * checked against the record at every send, so a reminder never chases finished work.
 */
async function recipients(deps: ReminderDeps, r: Reminder, m: ReminderMoment): Promise<string[] | null> {
  const coordinators = async () => activeIds(await deps.members.listMembers(r.areaId, { role: 'coordinator' }));
  const src = deps.deadlines;
  switch (r.kind) {
    case 'notification_after_sentence': {
      const n = await src.notifications.get(r.subjectId);
      if (!n.ok || n.value.status !== 'received') return null;
      const lead = (await deps.members.listMembers(r.areaId)).filter(
        (x) => x.active && x.agencyId === n.value.leadAgencyId,
      );
      // The person who notified in Teams, while still active in the lead agency; else the lead agency.
      const notifier = teamsNotifier(n.value)?.aadObjectId;
      const named = lead.filter((x) => x.aadObjectId === notifier);
      return activeIds(named.length > 0 ? named : lead);
    }
    case 'referral_decision': {
      const ref = await src.referrals.get(r.subjectId);
      return ref.ok && ref.value.status === 'submitted' ? coordinators() : null;
    }
    case 'first_meeting':
    case 'review_meeting': {
      const meetings = await src.meetings.listForCase(r.caseId);
      const kind = r.kind === 'first_meeting' ? 'initial' : 'review';
      const live = meetings.filter((x) => x.status !== 'cancelled');
      if (live.some((x) => x.kind === kind && (x.status === 'scheduled' || x.status === 'in_progress'))) return null;
      if (r.kind === 'first_meeting') return live.some((x) => x.kind === 'initial') ? null : coordinators();
      const held = [...meetings].reverse().find((x) => x.status === 'held');
      const chair = await activeChair(deps, r.areaId, held?.chair.aadObjectId);
      return [...new Set([...(await coordinators()), ...(chair ? [chair] : [])])];
    }
    case 'minutes_approval': {
      const [meeting, minutes] = await Promise.all([
        src.meetings.get(r.subjectId),
        src.minutes.getForMeeting(r.subjectId),
      ]);
      if (!meeting.ok || (minutes.ok && minutes.value.status === 'approved')) return null;
      const chair = await activeChair(deps, r.areaId, meeting.value.chair.aadObjectId);
      // The chair approves (the co-ordinator when there is no active chair); once it is late the co-ordinator is asked too.
      const also = m.stage === 'overdue' || !chair ? await coordinators() : [];
      return [...new Set([...(chair ? [chair] : []), ...also])];
    }
    case 'prepared_updates': {
      const meeting = await src.meetings.get(r.subjectId);
      if (!meeting.ok || meeting.value.status !== 'scheduled') return null;
      // Checked again at the send: the meeting may have moved since the reminder was scheduled.
      if (new Date(meeting.value.scheduledStart).getTime() <= m.at.getTime()) return null;
      const missing = new Set(await agenciesWithoutUpdate(deps, meeting.value));
      if (missing.size === 0) return null;
      const members = await deps.members.listMembers(r.areaId);
      return activeIds(members.filter((x) => missing.has(x.agencyId)));
    }
    case 'action':
      return null;
  }
}

/** Sends one process deadline's reminder to whoever owns the step, escalating a late one per the policy. */
export async function sendDeadline(
  deps: ReminderDeps,
  outbox: ReminderOutbox,
  r: ClaimedReminder,
  m: ReminderMoment,
  remindOwner = true,
): Promise<DeadlineHandled> {
  const found = await recipients(deps, r, m);
  if (found === null) return { kind: 'closed' };
  // On the escalation day alone only the co-ordinator's channel hears; the owners were chased already.
  const to = remindOwner ? found : [];
  const notice = deadlineNotice(r, m);
  let delivered = 0;
  // Not reminding the owners today leaves last time's failures standing; nobody to remind is a failure too.
  let undelivered = remindOwner ? (found.length === 0 ? 1 : 0) : r.undelivered;
  for (const who of to) {
    if (await outbox.personalNotice(who, notice)) delivered += 1;
    else undelivered += 1;
  }
  let escalated = false;
  if (r.kind === 'prepared_updates') {
    // The meeting closes this reminder before it could be K working days overdue: the chair and the
    // co-ordinator are told on the due day (the working day before the meeting), or at once if later.
    if (r.escalatedAt === null && m.stage !== 'before') {
      const told = await escalatePreparedUpdates(deps, outbox, r);
      escalated = told.escalated;
      delivered += told.delivered;
      undelivered += told.undelivered;
    }
  } else if (m.escalate) {
    escalated = await outbox.coordinatorNotice(deadlineEscalation(r, m));
    if (!escalated) undelivered += 1;
  }
  return { kind: 'sent', delivered, undelivered, escalated };
}

async function escalatePreparedUpdates(
  deps: ReminderDeps,
  outbox: ReminderOutbox,
  r: ClaimedReminder,
): Promise<{ escalated: boolean; delivered: number; undelivered: number }> {
  const meeting = await deps.deadlines.meetings.get(r.subjectId);
  if (!meeting.ok) return { escalated: false, delivered: 0, undelivered: 0 };
  const area = await requireArea(deps.members, r.areaId);
  const names = new Map(area.agencies.map((a) => [a.id, a.name]));
  const missing = (await agenciesWithoutUpdate(deps, meeting.value)).map((a) => names.get(a) ?? a);
  let delivered = 0;
  let undelivered = 0;
  const chair = await activeChair(deps, r.areaId, meeting.value.chair.aadObjectId);
  let chairReached = false;
  if (chair) {
    chairReached = await outbox.personalNotice(chair, preparedUpdatesEscalation(r, missing));
    if (chairReached) delivered += 1;
    else undelivered += 1;
  }
  const escalated = await outbox.coordinatorNotice(preparedUpdatesEscalation(r, missing, chairReached));
  if (!escalated) undelivered += 1;
  return { escalated, delivered, undelivered };
}
