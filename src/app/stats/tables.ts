import { areaCalendar, deadlineForArea, type Area } from '../../domain/area.schema';
import { addWorkingDays } from '../../domain/calendar';
import { addMonths, ukDateOf, type IsoDate } from '../../domain/dates';
import { categoriesFor } from '../../domain/eligibility';
import { DEFAULT_DECISION_WORKING_DAYS } from '../referrals/decision-deadline';
import type { ShownTable, StatsFigures, StatsPeriod, StatsReport } from './report.schema';
import { HIDDEN, suppressedCells } from './suppression';

const ukDay = (iso: string): IsoDate => ukDateOf(new Date(iso));

/** A table of exact counts, with the lines (cells then their total) that secondary suppression checks. */
interface RawTable {
  readonly id: ShownTable['id'];
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<{ readonly label: string; readonly values: readonly number[] }>;
  /** Each line: [row, column] pairs; the last is the total of the others. */
  readonly lines: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Rows plus a total column and a total row; every row and every column is a line. */
function grid(
  id: RawTable['id'],
  title: string,
  columns: readonly string[],
  body: RawTable['rows'],
  withTotalColumn: boolean,
): RawTable {
  const rows = body.map((r) => ({
    label: r.label,
    values: withTotalColumn ? [...r.values, sum(r.values)] : [...r.values],
  }));
  const width = columns.length + (withTotalColumn ? 1 : 0);
  const totals = Array.from({ length: width }, (_, c) => sum(rows.map((r) => r.values[c] ?? 0)));
  const all = [...rows, { label: 'Total', values: totals }];
  const lines: Array<Array<readonly [number, number]>> = [];
  for (let c = 0; c < width; c += 1) lines.push(all.map((_, r) => [r, c] as const));
  if (withTotalColumn)
    for (let r = 0; r < all.length; r += 1) lines.push(Array.from({ length: width }, (_, c) => [r, c] as const));
  return { id, title, columns: withTotalColumn ? [...columns, 'Total'] : columns, rows: all, lines };
}

/** Suppresses a table's small counts and any figure that would give one away. */
export function shown(table: RawTable, threshold: number): ShownTable {
  const key = (r: number, c: number) => `${r}:${c}`;
  const values = new Map<string, number>();
  table.rows.forEach((row, r) => row.values.forEach((v, c) => values.set(key(r, c), v)));
  const hidden = suppressedCells(
    values,
    table.lines.map((line) => line.map(([r, c]) => key(r, c))),
    threshold,
  );
  return {
    id: table.id,
    title: table.title,
    columns: table.columns,
    rows: table.rows.map((row, r) => ({
      label: row.label,
      values: row.values.map((v, c) => (hidden.has(key(r, c)) ? null : v)),
      cells: row.values.map((v, c) => (hidden.has(key(r, c)) ? HIDDEN : String(v))),
    })),
  };
}

/** The words the published tables use for each jurisdiction's categories. */
const CATEGORY_ROW: Readonly<Record<string, string>> = {
  'england-wales:cat1': 'Category 1: registered sexual offenders',
  'england-wales:cat2': 'Category 2: violent offenders',
  'england-wales:cat3': 'Category 3: other dangerous offenders',
  'england-wales:cat4': 'Category 4: terrorism and terrorism-risk offenders',
  'scotland:cat1': 'Registered sex offenders',
  'scotland:restricted_patient': 'Restricted patients',
  'scotland:cat3': 'Other risk of serious harm offenders',
};

function managedTable(area: Area, f: StatsFigures): RawTable {
  const count = (category: string | null, level: number) =>
    sum(f.managed.filter((m) => m.category === category && m.level === level).map((m) => m.n));
  const rows = categoriesFor(area.jurisdiction).map((c) => ({
    label: CATEGORY_ROW[`${area.jurisdiction}:${c.category}`] ?? c.label,
    values: [1, 2, 3].map((l) => count(c.category, l)),
  }));
  const known = new Set<string | null>(categoriesFor(area.jurisdiction).map((c) => c.category));
  const other = [1, 2, 3].map((l) =>
    sum(f.managed.filter((m) => !known.has(m.category) && m.level === l).map((m) => m.n)),
  );
  if (sum(other) > 0) rows.push({ label: 'Category not recorded', values: other });
  return grid('managed', 'People managed now, by category and level', ['Level 1', 'Level 2', 'Level 3'], rows, true);
}

interface Timeliness {
  readonly month: string;
  readonly onTime: boolean | null;
  readonly n: number;
  readonly what: 'meeting' | 'review' | 'decision';
}

function timeliness(area: Area, f: StatsFigures): Timeliness[] {
  const calendar = areaCalendar(area);
  const decisions = f.referralDecisions.map((d) => {
    const decided = ukDay(d.decidedAt);
    if (!d.submittedAt) return { month: decided.slice(0, 7), onTime: null, n: d.n, what: 'decision' as const };
    const from = ukDay(d.submittedAt);
    const due =
      deadlineForArea(area, 'coordinatorDecision', from)?.due ??
      addWorkingDays(from, DEFAULT_DECISION_WORKING_DAYS, calendar);
    return { month: decided.slice(0, 7), onTime: decided <= due, n: d.n, what: 'decision' as const };
  });
  const meetings = f.meetings.map((m) => {
    const held = ukDay(m.heldAt);
    return {
      month: held.slice(0, 7),
      onTime: m.dueBy === null ? null : held <= m.dueBy,
      n: m.n,
      what: m.kind === 'review' ? ('review' as const) : ('meeting' as const),
    };
  });
  return [...decisions, ...meetings];
}

function activityTable(f: StatsFigures, t: readonly Timeliness[]): RawTable {
  const n = (pred: (x: Timeliness) => boolean) => sum(t.filter(pred).map((x) => x.n));
  const decided = (onTime: boolean | null) => n((x) => x.what === 'decision' && x.onTime === onTime);
  const held = (onTime: boolean | null, reviewsOnly: boolean) =>
    n((x) => x.what !== 'decision' && (!reviewsOnly || x.what === 'review') && x.onTime === onTime);
  const dec = (pred: (d: StatsFigures['decisions'][number]) => boolean) =>
    sum(f.decisions.filter(pred).map((d) => d.n));
  const rows: Array<{ label: string; values: number[] }> = [];
  const lines: Array<Array<readonly [number, number]>> = [];
  const add = (label: string, v: number) => rows.push({ label, values: [v] }) - 1;
  const group = (parts: ReadonlyArray<readonly [string, number]>, total: readonly [string, number]) => {
    const idx = parts.map(([l, v]) => add(l, v));
    lines.push([...idx, add(total[0], total[1])].map((r) => [r, 0] as const));
  };
  add('New notifications', sum(f.notifications.map((x) => x.n)));
  add('Referrals submitted', f.referralsSubmitted);
  group(
    [
      ['Referral decisions within their deadline', decided(true)],
      ['Referral decisions after their deadline', decided(false)],
      ['Referral decisions with no submission date', decided(null)],
    ],
    ['Referral decisions made', decided(true) + decided(false) + decided(null)],
  );
  for (const reviewsOnly of [false, true]) {
    const what = reviewsOnly ? 'Reviews' : 'Level 2 and 3 meetings';
    group(
      [
        [`${what} held by their due date`, held(true, reviewsOnly)],
        [`${what} held after their due date`, held(false, reviewsOnly)],
        [`${what} held with no due date`, held(null, reviewsOnly)],
      ],
      [`${what} held`, held(true, reviewsOnly) + held(false, reviewsOnly) + held(null, reviewsOnly)],
    );
  }
  add(
    'Level 2 and 3 counts: decisions to Level 2',
    dec((d) => d.kind === 'level' && d.to === 2 && d.from !== 2),
  );
  add(
    'Level 2 and 3 counts: decisions to Level 3',
    dec((d) => d.kind === 'level' && d.to === 3 && d.from !== 3),
  );
  add(
    'Level changes',
    dec((d) => d.kind === 'level' && d.from !== null && d.from !== d.to),
  );
  add(
    'Levels first set',
    dec((d) => d.kind === 'level' && d.from === null),
  );
  add(
    'Category changes',
    dec((d) => d.kind === 'category' && d.from !== null && d.from !== d.to),
  );
  return { id: 'activity', title: 'Activity in the period', columns: ['Number'], rows, lines };
}

function actionsTable(area: Area, f: StatsFigures): RawTable {
  const name = (id: string) => area.agencies.find((a) => a.id === id)?.name ?? id;
  const rows = [...f.actions]
    .sort((a, b) => name(a.agencyId).localeCompare(name(b.agencyId)))
    .map((a) => ({ label: name(a.agencyId), values: [a.completed, a.open, a.overdue] }));
  return grid('actions', 'Actions by agency', ['Completed in the period', 'Open now', 'Overdue now'], rows, false);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const monthLabel = (ym: string): string => `${MONTHS[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;

function monthsTable(period: StatsPeriod, asAt: IsoDate, t: readonly Timeliness[]): RawTable {
  const last = (period.to < asAt ? period.to : asAt).slice(0, 7);
  const months: string[] = [];
  for (let m = `${period.from.slice(0, 7)}-01`; m.slice(0, 7) <= last; m = addMonths(m, 1)) months.push(m.slice(0, 7));
  const n = (month: string, decision: boolean, onTime: boolean) =>
    sum(
      t.filter((x) => x.month === month && (x.what === 'decision') === decision && x.onTime === onTime).map((x) => x.n),
    );
  const rows = months.map((m) => ({
    label: monthLabel(m),
    values: [n(m, false, true), n(m, false, false), n(m, true, true), n(m, true, false)],
  }));
  return grid(
    'months',
    'Timeliness by month',
    ['Meetings by due date', 'Meetings after due date', 'Referral decisions in time', 'Referral decisions late'],
    rows,
    false,
  );
}

/** Every table of the report, suppressed once; the card, chart, CSV and document all read this. */
export function buildReport(
  area: Area,
  period: StatsPeriod,
  asAt: IsoDate,
  figures: StatsFigures,
  threshold: number,
): StatsReport {
  const t = timeliness(area, figures);
  const raw = [
    managedTable(area, figures),
    activityTable(figures, t),
    actionsTable(area, figures),
    monthsTable(period, asAt, t),
  ];
  return {
    areaName: area.name,
    jurisdiction: area.jurisdiction,
    period,
    asAt,
    threshold,
    tables: raw.map((table) => shown(table, threshold)),
  };
}
