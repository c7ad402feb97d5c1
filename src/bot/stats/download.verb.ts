import type { ExecuteHandler } from '../capability';
import { reportCard } from './report.card';

const FORMAT = { csv: 'CSV file', docx: 'Word document' } as const;

/**
 * "Download CSV" / "Download Word document": a single-use, short-lived link for the clicker, shown
 * only in the answer to their click. The role is checked now and again when the link is used.
 */
export const downloadVerb: ExecuteHandler<{ from: string; to: string; format: 'csv' | 'docx' }> = async (h, p) => {
  const deps = h.deps.stats;
  if (!deps) throw new Error('stats.download without statistics configured');
  const period = { from: p.from, to: p.to };
  const minutes = Math.max(1, Math.round(deps.linkTtlSeconds / 60));
  const within = `within ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const card = await reportCard(h, deps, period, {
    url: deps.link(h.principal, period, p.format),
    title: `Open the ${FORMAT[p.format]} (single use, ${within})`,
    notice: `Your link to the ${FORMAT[p.format]} works once, for you only, ${within}. Small counts are hidden in it as on this card.`,
  });
  if (typeof card === 'string') throw new Error('stats.download refused after the router allowed it');
  return card;
};
