import type { ShownTable, StatsReport } from './report.schema';

/** One panel of the chart image: bars per label, one series per dataset; a null bar is suppressed. */
export interface ChartPanel {
  readonly title: string;
  readonly labels: readonly string[];
  readonly datasets: ReadonlyArray<{ readonly label: string; readonly data: ReadonlyArray<number | null> }>;
}

/** What the chart renderer draws, built only from the suppressed tables (the CSV's numbers). */
export interface ChartSpec {
  readonly width: number;
  readonly height: number;
  readonly panels: readonly ChartPanel[];
  readonly footnote: string;
}

/** Pixel size of the chart image: small enough that the PNG fits a card as a data URI. */
export const CHART_SIZE = { width: 720, height: 640 } as const;

function panelOf(table: ShownTable, title: string, skipTotals: boolean): ChartPanel {
  const rows = table.rows.filter((r) => r.label !== 'Total');
  const columns = table.columns.map((label, c) => ({ label, c })).filter((x) => !skipTotals || x.label !== 'Total');
  return {
    title,
    labels: rows.map((r) => r.label.replace(/^Category (\d): .*/, 'Category $1')),
    datasets: columns.map(({ label, c }) => ({ label, data: rows.map((r) => r.values[c] ?? null) })),
  };
}

export function chartSpec(report: StatsReport): ChartSpec {
  const table = (id: ShownTable['id']) => report.tables.find((t) => t.id === id)!;
  return {
    ...CHART_SIZE,
    panels: [
      panelOf(table('managed'), 'People managed now, by category and level', true),
      panelOf(table('months'), 'Timeliness by month', false),
    ],
    footnote: `Bars for counts from 1 to ${report.threshold - 1} (and any that would reveal one) are not drawn.`,
  };
}
