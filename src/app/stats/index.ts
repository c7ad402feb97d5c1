export { chartSpec, CHART_SIZE, type ChartPanel, type ChartSpec } from './chart-spec';
export { reportCsv } from './csv';
export { statsLink, withStatsDownloads, type StatsExportDeps, type StatsFileFormat } from './export';
export { parsePeriod, reportingYear } from './period';
export type { StatsChartRenderer, StatsDocumentRenderer, StatsQuery } from './ports';
export { StatsFigures, StatsPeriod, type ShownTable, type StatsReport } from './report.schema';
export { areaReport, type StatsDeps, type StatsError, type StatsOutput } from './run-report';
export { suppressedCells, HIDDEN } from './suppression';
export { buildReport, monthLabel } from './tables';
