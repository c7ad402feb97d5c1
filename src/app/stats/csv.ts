import { formatUkDate } from '../../domain/format';
import type { StatsReport } from './report.schema';

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula. */
function field(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The report as CSV: the marking first and last, then each table as `table,row,column,value` lines, so
 * a spreadsheet can filter it. Values are the suppressed ones ("<5"), as in every output.
 */
export function reportCsv(report: StatsReport, marking: string): string {
  const lines: string[][] = [
    [marking],
    [`MAPPA statistics: ${report.areaName}`],
    [
      `Period: ${formatUkDate(report.period.from)} to ${formatUkDate(report.period.to)}; figures as at ${formatUkDate(report.asAt)}`,
    ],
    [`[c]: a count from 1 to ${report.threshold - 1}, or a figure hidden because it would reveal one`],
    ['table', 'row', 'column', 'value'],
  ];
  for (const table of report.tables)
    for (const row of table.rows)
      row.cells.forEach((cell, c) => lines.push([table.title, row.label, table.columns[c] ?? '', cell]));
  lines.push([marking]);
  return `${lines.map((l) => l.map(field).join(',')).join('\r\n')}\r\n`;
}
