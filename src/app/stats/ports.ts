import type { IsoDate } from '../../domain/dates';
import type { ChartSpec } from './chart-spec';
import type { StatsFigures, StatsPeriod, StatsReport } from './report.schema';

/** The area's figures, counted by the database (src/store/stats.query.ts). */
export interface StatsQuery {
  figures(areaId: string, period: StatsPeriod, today: IsoDate): Promise<StatsFigures>;
}

/** Draws the chart image as PNG (src/documents/stats-chart.ts). */
export interface StatsChartRenderer {
  png(spec: ChartSpec): Promise<Buffer>;
}

/** The report as a Word document with the marking in header and footer (src/documents/stats.docx.ts). */
export interface StatsDocumentRenderer {
  docx(report: StatsReport, chartPng: Buffer, marking: string): Promise<Buffer>;
}
