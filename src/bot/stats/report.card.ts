import { areaReport, type StatsPeriod, type StatsReport } from '../../app/stats';
import { formatUkDate } from '../../domain/format';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import type { StatsBotDeps } from './deps';

/** One fact per row: "Level 1 40 · Level 2 [c] · Level 3 0 · Total 43". */
function facts(report: StatsReport) {
  return report.tables.map((t) => ({
    title: t.title,
    facts: t.rows.map((r) => ({
      title: r.label,
      value: t.columns.length === 1 ? r.cells[0]! : r.cells.map((c, i) => `${t.columns[i]} ${c}`).join(' · '),
    })),
  }));
}

/**
 * Runs the report for the caller and renders its card. The card shows the same suppressed figures as
 * the chart and the downloads: a card is forwarded or photographed as easily as a file is sent, and
 * one set of numbers means nobody reconciles two.
 */
export async function reportCard(
  h: HandlerContext,
  deps: StatsBotDeps,
  period: StatsPeriod,
  download?: { url: string; title: string; notice: string },
): Promise<AdaptiveCardJson | string> {
  const res = await areaReport(deps.run, h.principal, period, 'card');
  if (!res.ok) return res.error.message;
  const { report, chartPng } = res.value;
  const inline = chartPng.toString('base64');
  const chartUrl =
    inline.length <= deps.maxInlineChartChars
      ? `data:image/png;base64,${inline}`
      : deps.link(h.principal, period, 'png');
  return h.card('report', {
    title: `MAPPA statistics: ${report.areaName}`,
    statusLine: `${formatUkDate(period.from)} to ${formatUkDate(period.to)} · figures as at ${formatUkDate(report.asAt)}`,
    chartUrl,
    chartAlt: `Bar charts: people managed now by category and level, and meetings and referral decisions on time by month, ${formatUkDate(period.from)} to ${formatUkDate(period.to)}`,
    suppressionNote: `[c] marks a count from 1 to ${report.threshold - 1}, or a figure hidden because it would reveal one. The chart and the downloads hide the same figures.`,
    tables: facts(report),
    from: period.from,
    to: period.to,
    notice: download?.notice ?? '',
    downloadUrl: download?.url ?? '',
    downloadTitle: download?.title ?? '',
  });
}
