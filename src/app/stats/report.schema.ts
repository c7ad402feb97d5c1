import { z } from 'zod';
import { AgencyId, Category, Level } from '../../domain/common.schema';
import { IsoDate, IsoDateTime } from '../../domain/dates';
import { MeetingKind } from '../../domain/meeting.schema';

const Count = z.number().int().nonnegative();

/** The reporting period, both days inclusive (UK days). */
export const StatsPeriod = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((p) => p.from <= p.to, { message: 'The start date must be on or before the end date', path: ['to'] });
export type StatsPeriod = z.infer<typeof StatsPeriod>;

/**
 * What the store's aggregation pipelines return for one area and period: counts grouped in the
 * database, never documents. Two groups keep one row per decision or meeting with two dates only
 * (referral decisions, meetings held), because FerretDB v1 can neither compare two fields of a
 * document nor take a date's day inside a pipeline, and the referral deadline is in working days
 * with the area's bank holidays, which only the domain knows.
 */
export const StatsFigures = z.object({
  /** Open cases managed at a level now, by category and level. */
  managed: z.array(z.object({ category: Category.nullable(), level: Level.nullable(), n: Count })),
  /** Level and category decisions taken in the period. */
  decisions: z.array(
    z.object({
      kind: z.enum(['level', 'category']),
      from: z.union([Level, Category]).nullable(),
      to: z.union([Level, Category]),
      n: Count,
    }),
  ),
  notifications: z.array(z.object({ category: Category.nullable(), n: Count })),
  referralsSubmitted: Count,
  referralDecisions: z.array(z.object({ submittedAt: IsoDateTime.nullable(), decidedAt: IsoDateTime, n: Count })),
  meetings: z.array(z.object({ kind: MeetingKind, dueBy: IsoDate.nullable(), heldAt: IsoDateTime, n: Count })),
  actions: z.array(z.object({ agencyId: AgencyId, completed: Count, open: Count, overdue: Count })),
});
export type StatsFigures = z.infer<typeof StatsFigures>;

/** A table as it leaves the bot: suppressed cells are null in `values` and "<5" in `cells`. */
export interface ShownTable {
  readonly id: 'managed' | 'activity' | 'actions' | 'months';
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<{
    readonly label: string;
    readonly values: ReadonlyArray<number | null>;
    readonly cells: readonly string[];
  }>;
}

/** The report every output is made from, so the card, chart, CSV and document cannot disagree. */
export interface StatsReport {
  readonly areaName: string;
  readonly jurisdiction: 'england-wales' | 'scotland';
  readonly period: StatsPeriod;
  /** The day the figures were taken (the "managed now" table is as at this day). */
  readonly asAt: string;
  readonly threshold: number;
  readonly tables: readonly ShownTable[];
}
