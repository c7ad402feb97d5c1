import { type Area, areaCalendar, deadlineForArea } from '../../domain/area.schema';
import { addWorkingDays, rollToWorkingDay } from '../../domain/calendar';
import { addDays, compareDates, ukDateOf, type IsoDate } from '../../domain/dates';
import type { Meeting } from '../../domain/meeting.schema';
import type { MeetingUpdateAction } from '../ports/meeting-repository.port';
import type { NotificationRecord } from '../ports/notification-repository.port';
import type { Referral } from '../../domain/referral.schema';
import { nextReminder, reminderIdOf, type ReminderKind } from '../../domain/reminders';
import { invitedAgencies } from '../meetings/shared';
import { decisionDeadline } from '../referrals/decision-deadline';
import { firstMeetingDue } from '../referrals/decide';
import { requireArea } from '../shared/area';
import type { DeadlineSources, ReminderDeps } from './deps';

export type DeadlineDeps = Pick<ReminderDeps, 'reminders' | 'cases' | 'members' | 'clock' | 'deadlines'>;

/** Shown in place of a case reference while a referral waits for the co-ordinator to say whose it is. */
export const UNLINKED_REFERRAL_REF = 'Referral awaiting an identity check';

interface DeadlinePlan {
  readonly kind: Exclude<ReminderKind, 'action'>;
  /** What the deadline is keyed by: the referral, the case (meetings due) or the meeting. */
  readonly subjectId: string;
  readonly areaId: string;
  readonly caseId: string;
  readonly due: IsoDate;
  /** The agency that owns the step; absent when it is the co-ordinator's (or several agencies'). */
  readonly agencyId?: string;
  /** When the step stops mattering (the meeting starts); absent: chased until closed. */
  readonly closesAt?: string;
}

/**
 * Upserts a deadline's reminder under its deterministic key. A write that changes nothing (the same
 * due date and reference) leaves the schedule alone, so repeated saves of a record do not restart it.
 * With `onlyNew`, a reminder that exists (even closed) is left alone: the trigger happens once.
 */
async function scheduleDeadline(deps: DeadlineDeps, plan: DeadlinePlan, onlyNew = false): Promise<void> {
  const id = reminderIdOf(plan.kind, plan.subjectId);
  const existing = await deps.reminders.get(id);
  if (existing && onlyNew) return;
  const c = await deps.cases.get(plan.caseId);
  const caseRef = c.ok ? c.value.ref : UNLINKED_REFERRAL_REF;
  const closesAt = plan.closesAt ?? null;
  if (
    existing?.status === 'scheduled' &&
    existing.due === plan.due &&
    existing.caseRef === caseRef &&
    existing.closesAt === closesAt
  )
    return;
  const area = await requireArea(deps.members, plan.areaId);
  const moved = existing !== null && existing.due !== plan.due;
  const next = nextReminder({
    due: plan.due,
    lastSentAt: existing?.lastSentAt && !moved ? new Date(existing.lastSentAt) : null,
    escalatedAlready: !moved && existing?.escalatedAt != null,
    now: deps.clock.now(),
    policy: area.reminders,
    calendar: areaCalendar(area),
  });
  await deps.reminders.schedule({
    id,
    areaId: plan.areaId,
    kind: plan.kind,
    subjectId: plan.subjectId,
    caseId: plan.caseId,
    caseRef,
    agencyId: plan.agencyId ?? null,
    due: plan.due,
    nextAt: next.at.toISOString(),
    closesAt,
    rearm: moved,
  });
}

const close = (deps: DeadlineDeps, kind: ReminderKind, subjectId: string) =>
  deps.reminders.close(reminderIdOf(kind, subjectId));

/** Referral written: a submitted one awaits the decision; a decided one stops it and, approved, starts the first meeting's. */
export async function referralDeadlines(deps: DeadlineDeps, referral: Referral): Promise<void> {
  if (referral.status !== 'submitted') await close(deps, 'referral_decision', referral.id);
  const area = await requireArea(deps.members, referral.areaId);
  if (referral.status === 'submitted') {
    const d = decisionDeadline(referral, area, ukDateOf(deps.clock.now()));
    if (d) {
      const plan = { kind: 'referral_decision', subjectId: referral.id, areaId: referral.areaId, due: d.due } as const;
      await scheduleDeadline(deps, { ...plan, caseId: referral.caseId ?? referral.id });
    }
  }
  if (referral.status === 'accepted' && referral.decision && referral.caseId) {
    const due = firstMeetingDue(area, referral, referral.decision);
    const plan = { kind: 'first_meeting', subjectId: referral.caseId, caseId: referral.caseId } as const;
    if (due) await scheduleDeadline(deps, { ...plan, areaId: referral.areaId, due });
  }
}

/** When the lead agency should have notified: the area's rule from the sentence date; null without either. */
export function notificationDue(area: Area, n: Pick<NotificationRecord, 'sentenceDate'>): IsoDate | null {
  return n.sentenceDate ? (deadlineForArea(area, 'notificationAfterSentence', n.sentenceDate)?.due ?? null) : null;
}

/**
 * Notification written. The step it meets (the lead agency notifying within the area's time from
 * sentence) is done by the record itself, so only a late one starts a reminder: due on the date it
 * should have arrived by (so it is overdue at once), owned by the notifying agency, until the
 * co-ordinator has decided it. A decision, or a write that makes it no longer late, closes it.
 */
export async function notificationDeadlines(deps: DeadlineDeps, n: NotificationRecord): Promise<void> {
  const area = await requireArea(deps.members, n.areaId);
  const due = notificationDue(area, n);
  if (n.status !== 'received' || due === null || compareDates(n.notifiedOn, due) <= 0) {
    await close(deps, 'notification_after_sentence', n.id);
    return;
  }
  await scheduleDeadline(deps, {
    kind: 'notification_after_sentence',
    subjectId: n.id,
    areaId: n.areaId,
    caseId: n.caseId ?? n.id,
    agencyId: n.leadAgencyId,
    due,
  });
}

/** The invited agencies with no draft or confirmed update for the meeting yet. */
export async function agenciesWithoutUpdate(deps: { deadlines: DeadlineSources }, m: Meeting): Promise<string[]> {
  const saved = new Set((await deps.deadlines.agencyUpdates.listForMeeting(m.id)).map((u) => u.agencyId));
  return invitedAgencies(m).filter((a) => !saved.has(a));
}

/** The working day before the meeting's day: updates prepared by then can be read before it starts. */
export function preparedUpdatesDue(m: Meeting, area: Area): IsoDate {
  return rollToWorkingDay(addDays(ukDateOf(new Date(m.scheduledStart)), -1), areaCalendar(area), -1);
}

/** Minutes are chased this many working days after the meeting ended, under the area's policy. */
export function minutesApprovalDue(m: Meeting, area: Area): IsoDate {
  const held = ukDateOf(new Date(m.run?.endedAt ?? m.scheduledStart));
  return addWorkingDays(held, area.reminders.minutesApprovalDays, areaCalendar(area));
}

/**
 * Meeting written (`action` is what the write was). Scheduling or moving one meets the first
 * meeting's or the review's deadline and starts the prepared-updates one; starting, cancelling or
 * ending it stops that; ending it starts the review's (from its decision) and the minutes' approval.
 * Writes while it runs change no deadline and cost nothing here.
 */
export async function meetingDeadlines(
  deps: DeadlineDeps,
  m: Meeting,
  action: MeetingUpdateAction | 'meeting.scheduled' | undefined,
): Promise<void> {
  const base = { areaId: m.areaId, caseId: m.caseId };
  if (m.status === 'scheduled' && (action === 'meeting.scheduled' || action === 'meeting.updated')) {
    const area = await requireArea(deps.members, m.areaId);
    if (m.kind === 'initial') await close(deps, 'first_meeting', m.caseId);
    if (m.kind === 'review') await close(deps, 'review_meeting', m.caseId);
    if ((await agenciesWithoutUpdate(deps, m)).length === 0) await close(deps, 'prepared_updates', m.id);
    else
      await scheduleDeadline(deps, {
        ...base,
        kind: 'prepared_updates',
        subjectId: m.id,
        due: preparedUpdatesDue(m, area),
        // The meeting does not wait for the updates: once it is due to start they are not chased.
        closesAt: new Date(m.scheduledStart).toISOString(),
      });
    return;
  }
  if (action !== 'meeting.started' && action !== 'meeting.cancelled' && action !== 'meeting.ended') return;
  await close(deps, 'prepared_updates', m.id);
  if (m.status === 'held' && action === 'meeting.ended') {
    const area = await requireArea(deps.members, m.areaId);
    const review = m.run?.decision?.nextReviewDate;
    if (review) await scheduleDeadline(deps, { ...base, kind: 'review_meeting', subjectId: m.caseId, due: review });
    const minutes = await deps.deadlines.minutes.getForMeeting(m.id);
    if (!(minutes.ok && minutes.value.status === 'approved'))
      await scheduleDeadline(
        deps,
        { ...base, kind: 'minutes_approval', subjectId: m.id, due: minutesApprovalDue(m, area) },
        true,
      );
  }
}

/** An agency's update saved: once every invited agency has one, the prepared-updates reminder stops. */
export async function agencyUpdateDeadlines(deps: DeadlineDeps, meetingId: string): Promise<void> {
  const m = await deps.deadlines.meetings.get(meetingId);
  if (m.ok && (await agenciesWithoutUpdate(deps, m.value)).length === 0)
    await close(deps, 'prepared_updates', meetingId);
}

/** Minutes approved: their reminder stops. */
export const minutesDeadlines = (deps: DeadlineDeps, meetingId: string): Promise<void> =>
  close(deps, 'minutes_approval', meetingId);
