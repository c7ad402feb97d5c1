import { z } from 'zod';
import { addWorkingDays, rollToWorkingDay, workingDaysBetween, type WorkingCalendar } from './calendar';
import type { Jurisdiction } from './common.schema';
import { addDays, addMonths, type IsoDate } from './dates';

export const TimescaleUnit = z.enum(['working_days', 'calendar_days', 'weeks', 'months']);
export type TimescaleUnit = z.infer<typeof TimescaleUnit>;

/**
 * Whose rule a figure is: set in law, set by national MAPPA guidance, or one area's own practice
 * (which another area should check before relying on it).
 */
export const TimescaleProvenance = z.enum(['statutory', 'national_guidance', 'area_practice']);
export type TimescaleProvenance = z.infer<typeof TimescaleProvenance>;

/**
 * One configurable deadline. Provenance travels with the number so an admin can see which values
 * are local practice or UNVERIFIED before relying on them.
 */
export const TimescaleRule = z.object({
  amount: z.number().int().positive(),
  unit: TimescaleUnit,
  /** What to do when a calendar-counted deadline falls on a closed day; working-day rules never need it. */
  adjust: z.enum(['none', 'previous_working_day', 'next_working_day']).default('none'),
  /** The source was read and says this figure; it says nothing about whose rule it is (see provenance). */
  verified: z.boolean(),
  /** Rules stored before this was recorded are read as area practice: never claimed as national by default. */
  provenance: TimescaleProvenance.default('area_practice'),
  source: z.string().min(1),
  note: z.string().optional(),
});
export type TimescaleRule = z.infer<typeof TimescaleRule>;

/** Every deadline the bot tracks, what it runs from, and a label for cards. */
export const TIMESCALES = {
  notificationAfterSentence: { label: 'Lead agency notifies the co-ordinator', from: 'sentence' },
  referralAfterNotification: { label: 'Referral to Level 2/3', from: 'notification' },
  coordinatorDecision: { label: 'Co-ordinator decision on a referral', from: 'referral' },
  firstLevel2Meeting: { label: 'First Level 2 meeting', from: 'referral' },
  firstLevel3Meeting: { label: 'First Level 3 meeting', from: 'referral' },
  level2Review: { label: 'Level 2 review', from: 'previous_meeting' },
  level3Review: { label: 'Level 3 review', from: 'previous_meeting' },
  olrRmpReview: { label: 'OLR risk management plan review', from: 'previous_review' },
  victimContactAfterSentence: { label: 'Victim liaison first contact', from: 'sentence' },
  sfoNotification: { label: 'Serious further offence notification', from: 'charge' },
} as const;
export type TimescaleKey = keyof typeof TIMESCALES;

/** null = the jurisdiction sets no deadline for that step; the area may add one. */
export const TimescalePolicy = z.object(
  Object.fromEntries(Object.keys(TIMESCALES).map((k) => [k, TimescaleRule.nullable()])) as Record<
    TimescaleKey,
    z.ZodNullable<typeof TimescaleRule>
  >,
);
export type TimescalePolicy = z.infer<typeof TimescalePolicy>;

type RuleRow = [
  amount: number,
  unit: TimescaleUnit,
  verified: boolean,
  provenance: TimescaleProvenance,
  source: string,
  note?: string,
];

const AREA = 'area_practice';
const NATIONAL = 'national_guidance';

const UNVERIFIED_EW_MEETINGS =
  'UNVERIFIED: not found in the 2022 E&W guidance text; check with the area before relying on it';
const SCO_REVIEW_NOTE =
  "North Strathclyde's practice, not a national timescale: national guidance has the review frequency set at the first meeting by the lead Responsible Authority with the co-ordinator, and a change in risk triggers a meeting";

/*
 * The brief's table (section 4). Calendar-counted rules roll back to the previous working day so that "within" still holds.
 * Seed002 (Cheshire) and Seed004 (North Strathclyde) are single areas' local procedures, so their figures are area practice.
 */
const DEFAULTS: Readonly<Record<Jurisdiction, Readonly<Record<TimescaleKey, RuleRow | null>>>> = {
  scotland: {
    notificationAfterSentence: [
      3,
      'working_days',
      true,
      AREA,
      'Seed004 (North Strathclyde)',
      'North Strathclyde practice, not a national timescale; 3 + 5 = "eight working days after sentencing"',
    ],
    referralAfterNotification: [
      5,
      'working_days',
      true,
      AREA,
      'Seed004 (North Strathclyde)',
      'North Strathclyde practice, not a national timescale',
    ],
    coordinatorDecision: [
      10,
      'working_days',
      false,
      AREA,
      'Seed002 (Cheshire, E&W)',
      'UNVERIFIED for Scotland: borrowed from E&W local practice',
    ],
    firstLevel2Meeting: [
      20,
      'working_days',
      true,
      NATIONAL,
      'S41 (national) / Seed004',
      'From receipt of the referral and co-ordinator acceptance of the RMP',
    ],
    firstLevel3Meeting: [
      5,
      'working_days',
      true,
      AREA,
      'Seed004 (North Strathclyde)',
      'North Strathclyde practice, not a national timescale',
    ],
    level2Review: [12, 'weeks', true, AREA, 'Seed004 (North Strathclyde); S41', SCO_REVIEW_NOTE],
    level3Review: [6, 'weeks', true, AREA, 'Seed004 (North Strathclyde); S41', SCO_REVIEW_NOTE],
    olrRmpReview: [12, 'months', true, NATIONAL, 'S41', 'At least annually'],
    victimContactAfterSentence: null,
    sfoNotification: null,
  },
  'england-wales': {
    notificationAfterSentence: null,
    referralAfterNotification: null,
    coordinatorDecision: [
      10,
      'working_days',
      true,
      AREA,
      'Seed002 (Cheshire)',
      'Cheshire practice: "usually much sooner"',
    ],
    firstLevel2Meeting: [20, 'working_days', false, NATIONAL, 'S2', UNVERIFIED_EW_MEETINGS],
    firstLevel3Meeting: [5, 'working_days', false, NATIONAL, 'S2', UNVERIFIED_EW_MEETINGS],
    level2Review: [
      16,
      'weeks',
      false,
      NATIONAL,
      'S2',
      `${UNVERIFIED_EW_MEETINGS} (older guidance: minimum every 16 weeks)`,
    ],
    level3Review: [
      8,
      'weeks',
      false,
      NATIONAL,
      'S2',
      `${UNVERIFIED_EW_MEETINGS} (older guidance: minimum every 8 weeks)`,
    ],
    olrRmpReview: null,
    victimContactAfterSentence: [8, 'weeks', true, NATIONAL, 'S13'],
    sfoNotification: [
      5,
      'calendar_days',
      false,
      NATIONAL,
      'S20',
      'UNVERIFIED: source says "within 5 days" without the day type',
    ],
  },
};

function toRule([amount, unit, verified, provenance, source, note]: RuleRow): TimescaleRule {
  const adjust = unit === 'working_days' ? 'none' : 'previous_working_day';
  return { amount, unit, adjust, verified, provenance, source, ...(note === undefined ? {} : { note }) };
}

/** The brief's defaults for a jurisdiction, as a fresh object an area can edit. */
export function defaultTimescalePolicy(jurisdiction: Jurisdiction): TimescalePolicy {
  const rows = DEFAULTS[jurisdiction];
  return Object.fromEntries(
    (Object.keys(TIMESCALES) as TimescaleKey[]).map((k) => {
      const row = rows[k];
      return [k, row ? toRule(row) : null];
    }),
  ) as TimescalePolicy;
}

const ADD: Readonly<Record<TimescaleUnit, (from: IsoDate, n: number, cal: WorkingCalendar) => IsoDate>> = {
  working_days: addWorkingDays,
  calendar_days: (from, n) => addDays(from, n),
  weeks: (from, n) => addDays(from, 7 * n),
  months: (from, n) => addMonths(from, n),
};

/** The last permitted day for a rule counted from `from`. */
export function dueDate(
  rule: Pick<TimescaleRule, 'amount' | 'unit' | 'adjust'>,
  from: IsoDate,
  calendar: WorkingCalendar,
): IsoDate {
  const raw = ADD[rule.unit](from, rule.amount, calendar);
  if (rule.adjust === 'none') return raw;
  return rollToWorkingDay(raw, calendar, rule.adjust === 'previous_working_day' ? -1 : 1);
}

export interface Deadline {
  readonly key: TimescaleKey;
  readonly from: IsoDate;
  readonly due: IsoDate;
  readonly rule: TimescaleRule;
  readonly provenance: TimescaleProvenance;
  /** The step's label for cards, marked "(area practice)" when the figure is one area's practice. */
  readonly label: string;
}

/** `text` as a card should show it for a deadline of this provenance. */
export function withProvenance(text: string, provenance: TimescaleProvenance): string {
  return provenance === 'area_practice' ? `${text} (area practice)` : text;
}

/** The deadline for a step under an area's policy, or null when the policy sets none. */
export function deadlineFor(
  policy: TimescalePolicy,
  key: TimescaleKey,
  from: IsoDate,
  calendar: WorkingCalendar,
): Deadline | null {
  const rule = policy[key];
  if (!rule) return null;
  const { provenance } = rule;
  const label = withProvenance(TIMESCALES[key].label, provenance);
  return { key, from, due: dueDate(rule, from, calendar), rule, provenance, label };
}

/** Working days by which `done` missed `due`; 0 when on time. */
export function workingDaysLate(due: IsoDate, done: IsoDate, calendar: WorkingCalendar): number {
  return Math.max(0, workingDaysBetween(due, done, calendar));
}
