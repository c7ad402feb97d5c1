import { z } from 'zod';
import { addWorkingDays, isWorkingDay, rollToWorkingDay, workingDaysBetween, type WorkingCalendar } from './calendar';
import { addDays, compareDates, IsoDate, IsoDateTime, ukDateOf } from './dates';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 09:00');

/**
 * When an area's reminders go out. Defaults follow the practice the serious case reviews ask for:
 * a nudge before the date, one on it, then a steady chase while overdue, and the co-ordinator told
 * once the work is clearly stuck. All counts are working days of the area's calendar.
 */
export const ReminderPolicy = z
  .object({
    /** First reminder this many working days before the due date (0: none before). */
    daysBefore: z.number().int().min(0).max(20).default(2),
    onDueDate: z.boolean().default(true),
    /** While overdue, again every this many working days. */
    overdueEveryDays: z.number().int().min(1).max(20).default(2),
    /** The co-ordinator is told once the work is this many working days overdue. */
    escalateAfterDays: z.number().int().min(1).max(60).default(3),
    /** Europe/London wall-clock hours in which reminders may go out (start inclusive, end exclusive). */
    workingHours: z
      .object({ start: HHMM.default('09:00'), end: HHMM.default('17:00') })
      .prefault({})
      .refine((h) => h.start < h.end, { message: 'Working hours must start before they end', path: ['end'] }),
    /** Minutes still not approved this many working days after the meeting are chased. */
    minutesApprovalDays: z.number().int().min(1).max(60).default(10),
  })
  .prefault({});
export type ReminderPolicy = z.infer<typeof ReminderPolicy>;

/** What a reminder is about: an action, or a process deadline owned by a role. */
export const ReminderKind = z.enum([
  'action',
  'notification_after_sentence',
  'referral_decision',
  'first_meeting',
  'review_meeting',
  'minutes_approval',
  'prepared_updates',
]);
export type ReminderKind = z.infer<typeof ReminderKind>;

export const REMINDER_KIND_LABELS: Readonly<Record<ReminderKind, string>> = {
  action: 'Action',
  notification_after_sentence: 'Notification after sentence',
  referral_decision: 'Referral decision',
  first_meeting: 'First meeting',
  review_meeting: 'Review meeting',
  minutes_approval: 'Minutes approval',
  prepared_updates: 'Prepared updates for the meeting',
};

export const ReminderStage = z.enum(['before', 'due', 'overdue']);
export type ReminderStage = z.infer<typeof ReminderStage>;

/** One send, as the reminder's record keeps it (counts only: who is in the audit of the message itself). */
export const ReminderSend = z.object({
  at: IsoDateTime,
  stage: ReminderStage,
  delivered: z.number().int().nonnegative(),
  undelivered: z.number().int().nonnegative(),
  escalated: z.boolean(),
});
export type ReminderSend = z.infer<typeof ReminderSend>;

/**
 * One reminder per thing reminded. `nextAt` is both the schedule and the lease: a claim moves it a
 * lease ahead, so a claimer that dies simply lets it come due again.
 */
export const Reminder = z.object({
  id: z.string().min(1).max(300),
  areaId: z.string().min(1),
  kind: ReminderKind,
  /** The action's id, or the referral, case or meeting the deadline belongs to. */
  subjectId: z.string().min(1),
  caseId: z.string().min(1),
  caseRef: z.string().min(1),
  /** The agency that owns the next step; null when it is the co-ordinator's. */
  agencyId: z.string().nullable(),
  due: IsoDate,
  status: z.enum(['scheduled', 'closed']),
  nextAt: IsoDateTime,
  claimToken: z.string().nullable().default(null),
  lastSentAt: IsoDateTime.nullable().default(null),
  escalatedAt: IsoDateTime.nullable().default(null),
  /**
   * When the step stops mattering (the meeting the updates are for starts): the reminder closes then,
   * whether or not anyone records that the event happened. Null: chased until closed.
   */
  closesAt: IsoDateTime.nullable().default(null),
  sends: z.array(ReminderSend).default([]),
  /** Recipients the last send could not reach (no personal chat, app removed, Teams refused). */
  undelivered: z.number().int().nonnegative().default(0),
  /**
   * Who the co-ordinator has been told cannot be reached for this reminder (Entra ids; NOBODY when the
   * owning agency had no one to remind), so they are told once, not at every send.
   */
  unreached: z.array(z.string().min(1)).default([]),
  updatedAt: IsoDateTime,
});
export type Reminder = z.infer<typeof Reminder>;

/** The `unreached` entry for "nobody in the owning agency could be reminded". */
export const NOBODY = '*';

export const reminderIdOf = (kind: ReminderKind, subjectId: string): string => `${kind}:${subjectId}`;

// ---- Europe/London wall-clock time, pure (Intl carries the zone rules; no host timezone used) ----

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** Minutes London is ahead of UTC at `instant` (0 in winter, 60 in summer). */
function londonOffsetMinutes(instant: Date): number {
  const p = Object.fromEntries(LONDON.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant a London wall-clock time on a UK date happens. */
export function londonInstant(date: IsoDate, hhmm: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, 0, minutesOf(hhmm));
  const first = guess - londonOffsetMinutes(new Date(guess)) * 60_000;
  // Near a clock change the offset at the guess can differ from the offset at the answer.
  return new Date(guess - londonOffsetMinutes(new Date(first)) * 60_000);
}

/** Minutes since London midnight at `instant`. */
export function londonMinuteOfDay(instant: Date): number {
  const p = Object.fromEntries(LONDON.formatToParts(instant).map((x) => [x.type, x.value]));
  return Number(p.hour) * 60 + Number(p.minute);
}

/**
 * The first moment at or after `now` when a reminder may go out: now itself inside working hours on
 * a working day, otherwise the start of the next working day.
 */
export function nextSendingWindow(now: Date, policy: ReminderPolicy, calendar: WorkingCalendar): Date {
  const today = ukDateOf(now);
  const minute = londonMinuteOfDay(now);
  const { start, end } = policy.workingHours;
  if (isWorkingDay(today, calendar)) {
    if (minute < minutesOf(start)) return londonInstant(today, start);
    if (minute < minutesOf(end)) return now;
  }
  return londonInstant(rollToWorkingDay(addDays(today, 1), calendar, 1), start);
}

/** True when a reminder may go out at `instant`. */
export function inSendingWindow(instant: Date, policy: ReminderPolicy, calendar: WorkingCalendar): boolean {
  return nextSendingWindow(instant, policy, calendar).getTime() === instant.getTime();
}

/**
 * The working days whoever owns the work is reminded on, up to and including `until`: N before, on
 * the due date, then every M while overdue. The escalation day (K overdue) is not one of them: that
 * day tells the co-ordinator only, unless it falls on one of these anyway.
 */
export function reminderDays(
  due: IsoDate,
  until: IsoDate,
  policy: ReminderPolicy,
  calendar: WorkingCalendar,
): IsoDate[] {
  const days = new Set<IsoDate>();
  if (policy.daysBefore > 0) days.add(addWorkingDays(due, -policy.daysBefore, calendar));
  // A due date on a closed day is reminded on the working day before it, while there is still time.
  if (policy.onDueDate) days.add(rollToWorkingDay(due, calendar, -1));
  for (let k = 1; ; k += 1) {
    const d = addWorkingDays(due, k * policy.overdueEveryDays, calendar);
    if (compareDates(d, until) > 0) break;
    days.add(d);
  }
  return [...days].filter((d) => compareDates(d, until) <= 0).sort(compareDates);
}

/**
 * Whether a send at `at` reminds the owner: the first send does, and so does any send on or after an
 * owner reminder day that no earlier send covered (a missed day is caught up). A send that is due
 * only because the escalation day came (see `nextReminder`) does not.
 */
export function remindsOwner(
  due: IsoDate,
  at: Date,
  lastSentAt: Date | null,
  policy: ReminderPolicy,
  calendar: WorkingCalendar,
): boolean {
  if (lastSentAt === null) return true;
  const after = ukDateOf(lastSentAt);
  return reminderDays(due, ukDateOf(at), policy, calendar).some((d) => compareDates(d, after) > 0);
}

export interface ReminderMoment {
  readonly at: Date;
  readonly stage: ReminderStage;
  /** Working days past the due date at `at` (0 or less: not yet overdue). */
  readonly overdueDays: number;
  /** Tell the co-ordinator with this one: overdue long enough and not told before. */
  readonly escalate: boolean;
}

/** Where a reminder sent at `at` stands against its due date. */
export function reminderMoment(
  due: IsoDate,
  at: Date,
  escalatedAlready: boolean,
  policy: ReminderPolicy,
  calendar: WorkingCalendar,
): ReminderMoment {
  const day = ukDateOf(at);
  const overdueDays = workingDaysBetween(due, day, calendar);
  const stage: ReminderStage = compareDates(day, due) > 0 ? 'overdue' : compareDates(day, due) === 0 ? 'due' : 'before';
  // The working day before a closed due date counts as the due day.
  const dueDay = rollToWorkingDay(due, calendar, -1);
  return {
    at,
    stage: stage === 'before' && day === dueDay && policy.onDueDate ? 'due' : stage,
    overdueDays,
    escalate: !escalatedAlready && overdueDays >= policy.escalateAfterDays,
  };
}

/**
 * When the next reminder goes out: the first reminder day after the day of the last send (any, if
 * none yet), or the escalation day if that comes first and the co-ordinator has not been told, at
 * the start of working hours, never before the next sending window after `now` (a
 * reminder day that passed while nothing was sent is caught up at once, once). There is always a
 * next one: an overdue item is chased until it is closed.
 */
export function nextReminder(input: {
  due: IsoDate;
  lastSentAt: Date | null;
  escalatedAlready: boolean;
  now: Date;
  policy: ReminderPolicy;
  calendar: WorkingCalendar;
}): ReminderMoment {
  const { due, lastSentAt, now, policy, calendar } = input;
  const after = lastSentAt ? ukDateOf(lastSentAt) : null;
  const floor = nextSendingWindow(now, policy, calendar);
  const horizon = addDays(ukDateOf(floor) > due ? ukDateOf(floor) : due, 7 * policy.overdueEveryDays + 30);
  const ownerDay =
    reminderDays(due, horizon, policy, calendar).find((d) => after === null || compareDates(d, after) > 0) ?? horizon;
  const escalationDay = addWorkingDays(due, policy.escalateAfterDays, calendar);
  const escalationFirst =
    !input.escalatedAlready &&
    (after === null || compareDates(escalationDay, after) > 0) &&
    compareDates(escalationDay, ownerDay) < 0;
  const day = escalationFirst ? escalationDay : ownerDay;
  const planned = londonInstant(day, policy.workingHours.start);
  let at = planned < floor ? floor : planned;
  // A catch-up on the same day as the last send would be a second reminder that day.
  if (after !== null && ukDateOf(at) === after)
    at = nextSendingWindow(londonInstant(addDays(after, 1), '00:00'), policy, calendar);
  return reminderMoment(due, at, input.escalatedAlready, policy, calendar);
}
