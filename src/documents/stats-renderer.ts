import type { StatsChartRenderer, StatsDocumentRenderer } from '../app/stats/ports';
import type * as Chart from './stats-chart';
import type * as Docx from './stats.docx';

// Chart.js, the Skia canvas and docx are only needed when someone asks for the report: loaded at
// first use so an idle bot does not hold them (docs/performance.md, idle RSS).
let chart: typeof Chart | undefined;
let docx: typeof Docx | undefined;
/* eslint-disable @typescript-eslint/no-require-imports -- a synchronous load at first use, typed by the imports above */
export const statsChartRenderer: StatsChartRenderer = {
  png: (spec) => (chart ??= require('./stats-chart') as typeof Chart).renderStatsChart(spec),
};
export const statsDocumentRenderer: StatsDocumentRenderer = {
  docx: (report, png, marking) =>
    (docx ??= require('./stats.docx') as typeof Docx).renderStatsDocx(report, png, marking),
};
/* eslint-enable @typescript-eslint/no-require-imports */
