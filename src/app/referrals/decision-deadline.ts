import { areaCalendar, deadlineForArea, type Area } from '../../domain/area.schema';
import { addWorkingDays, workingDaysBetween } from '../../domain/calendar';
import type { IsoDate } from '../../domain/dates';
import type { Referral } from '../../domain/referral.schema';
import { ukDay } from './shared';

/** Used when an area's policy sets no co-ordinator decision deadline (Cheshire local practice). */
export const DEFAULT_DECISION_WORKING_DAYS = 10;

/**
 * The co-ordinator's deadline to decide a submitted referral under the area's policy (10 working days
 * when the area sets none), and the working days left from `today` (negative when overdue).
 */
export function decisionDeadline(
  referral: Referral,
  area: Area,
  today: IsoDate,
): { due: IsoDate; daysLeft: number } | null {
  if (!referral.submittedAt) return null;
  const from = ukDay(referral.submittedAt);
  const due =
    deadlineForArea(area, 'coordinatorDecision', from)?.due ??
    addWorkingDays(from, DEFAULT_DECISION_WORKING_DAYS, areaCalendar(area));
  return { due, daysLeft: workingDaysBetween(today, due, areaCalendar(area)) };
}
