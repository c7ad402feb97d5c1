import type Holidays from 'date-holidays';
import { z } from 'zod';
import { addDays, dayOfWeek, IsoDate } from './dates';

/** ISO 3166-2 regions whose bank holidays date-holidays ships offline (England and Wales share a list today, but not by law). */
export const CalendarRegion = z.enum(['GB-ENG', 'GB-WLS', 'GB-SCT']);
export type CalendarRegion = z.infer<typeof CalendarRegion>;

export const ExtraClosure = z.object({ date: IsoDate, reason: z.string().trim().min(1) });
export type ExtraClosure = z.infer<typeof ExtraClosure>;

/**
 * An area's working-day calendar: the region's bank holidays (substitute days included) plus
 * local closures such as a proclaimed one-off holiday or an office closure between Christmas and New Year.
 */
export const CalendarConfig = z.object({
  region: CalendarRegion,
  extraClosures: z.array(ExtraClosure).default([]),
});
export type CalendarConfig = z.infer<typeof CalendarConfig>;

/** Answers "is this day closed, and why?"; build one with `createWorkingCalendar`. */
export interface WorkingCalendar {
  readonly region: CalendarRegion;
  /** The reason the day is not a working day ('Saturday', a bank holiday's name, a local closure) or null. */
  closure(date: IsoDate): string | null;
}

const WEEKEND: Readonly<Record<number, string>> = { 0: 'Sunday', 6: 'Saturday' };

type HolidaysClass = typeof Holidays;
let holidaysClass: HolidaysClass | undefined;
/**
 * date-holidays (its rules for every country, and the astronomy behind them) is loaded when a deadline
 * first needs a bank holiday, not at start: an idle bot need not hold it (docs/performance.md, Memory).
 */
function loadHolidays(): HolidaysClass {
  if (!holidaysClass) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load at first use, typed by the import above
    const loaded = require('date-holidays') as HolidaysClass | { __esModule: true; default: HolidaysClass };
    // Its CommonJS build exports the class itself; its types call it the default export.
    holidaysClass = '__esModule' in loaded ? loaded.default : loaded;
  }
  return holidaysClass;
}

// Building a Holidays instance parses the whole rule set, so keep one per region and one list per year.
const holidayInstances = new Map<CalendarRegion, Holidays>();
const holidayYears = new Map<string, ReadonlyMap<IsoDate, string>>();

function bankHolidays(region: CalendarRegion, year: number): ReadonlyMap<IsoDate, string> {
  const key = `${region}:${year}`;
  const cached = holidayYears.get(key);
  if (cached) return cached;
  let hd = holidayInstances.get(region);
  if (!hd) {
    const [country, state] = region.split('-') as [string, string];
    hd = new (loadHolidays())(country, state);
    holidayInstances.set(region, hd);
  }
  // Observances (Mother's Day, Easter Sunday) are not closures; only public/bank days are.
  const days = new Map(
    hd
      .getHolidays(year)
      .filter((h) => h.type === 'public' || h.type === 'bank')
      .map((h) => [h.date.slice(0, 10), h.name] as const),
  );
  holidayYears.set(key, days);
  return days;
}

/** Builds a calendar from an area's configuration; no network access, data ships with date-holidays. */
export function createWorkingCalendar(config: CalendarConfig): WorkingCalendar {
  const extra = new Map(config.extraClosures.map((c) => [c.date, c.reason]));
  return {
    region: config.region,
    closure(date) {
      return (
        WEEKEND[dayOfWeek(date)] ??
        extra.get(date) ??
        bankHolidays(config.region, Number(date.slice(0, 4))).get(date) ??
        null
      );
    },
  };
}

/** True on a weekday that is neither a bank holiday nor a configured closure. */
export function isWorkingDay(date: IsoDate, calendar: WorkingCalendar): boolean {
  return calendar.closure(date) === null;
}

/** The day itself if it is a working day, otherwise the next (step 1) or previous (step -1) one. */
export function rollToWorkingDay(date: IsoDate, calendar: WorkingCalendar, step: 1 | -1): IsoDate {
  let d = date;
  while (!isWorkingDay(d, calendar)) d = addDays(d, step);
  return d;
}

/**
 * The date `n` working days after `date` ("within 5 working days of notification"): the start day
 * is day 0 and is not counted, even when it is a working day. Negative `n` counts backwards.
 */
export function addWorkingDays(date: IsoDate, n: number, calendar: WorkingCalendar): IsoDate {
  const step = n < 0 ? -1 : 1;
  let d = date;
  for (let left = Math.abs(n); left > 0;) {
    d = addDays(d, step);
    if (isWorkingDay(d, calendar)) left -= 1;
  }
  return d;
}

/**
 * Working days in the half-open span (from, to]; negative when `to` is before `from`.
 * `workingDaysBetween(due, done)` is therefore "late by N working days" (0 or less = on time).
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, calendar: WorkingCalendar): number {
  if (to < from) return -workingDaysBetween(to, from, calendar);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) count += 1;
  return count;
}
