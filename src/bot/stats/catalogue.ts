import { z } from 'zod';
import { IsoDate } from '../../domain/dates';
import type { Catalogue } from '../capability';

export const StatsDownloadPayload = z
  .object({ from: IsoDate, to: IsoDate, format: z.enum(['csv', 'docx']) })
  .refine((p) => p.from <= p.to);

export const STATS_CATALOGUE = {
  commands: {
    report: {
      description:
        "The area's statistics for the reporting year, or for the dates you give: type report, or report 2025-04-01 2026-03-31",
      audience: 'coordinator',
      example: 'report 1/4/2025 31/3/2026',
      action: 'stats.read',
      where: 'personal',
    },
  },
  verbs: {
    'stats.download': { via: 'execute', action: 'stats.read', payload: StatsDownloadPayload },
  },
} as const satisfies Catalogue;
