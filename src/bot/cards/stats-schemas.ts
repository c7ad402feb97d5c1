import { z } from 'zod';

const fact = z.object({ title: z.string(), value: z.string() });

/** The statistics card's data (joined into `cardDataSchemas` in render.ts). */
export const STATS_CARD_SCHEMAS = {
  /** `report`: the chart, each table as facts (suppressed), and the downloads. */
  report: z.object({
    title: z.string().min(1),
    statusLine: z.string().min(1),
    /** A data: URI when the PNG fits the card, otherwise a single-use link to it. */
    chartUrl: z.string().regex(/^(data:image\/png;base64,|https?:\/\/)/),
    chartAlt: z.string().min(1),
    suppressionNote: z.string().min(1),
    tables: z.array(z.object({ title: z.string(), facts: z.array(fact) })),
    from: z.string(),
    to: z.string(),
    notice: z.string(),
    downloadUrl: z.string(),
    downloadTitle: z.string(),
  }),
};
