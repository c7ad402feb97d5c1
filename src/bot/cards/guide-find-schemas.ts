import { z } from 'zod';

/** Data the guide and find templates bind (`cards/guide.json`, `cards/find-results.json`). */
export const GUIDE_FIND_CARD_SCHEMAS = {
  /** A guidance topic, the list of topics, or an unmatched question: nothing personal, so it may be cached. */
  guide: z.object({
    title: z.string().min(1),
    lead: z.string(),
    lines: z.array(z.object({ text: z.string().min(1) })),
    timescalesTitle: z.string(),
    timescales: z.array(z.object({ text: z.string().min(1) })),
    source: z.string(),
    contactLine: z.string().min(1),
    /** Command buttons, one per topic ("guide levels"). */
    topics: z.array(z.object({ title: z.string().min(1), command: z.string().min(1) })),
    showAllTopics: z.boolean(),
  }),
  /** `find` results: what a shared card may show of each case, and a button to open it with `case`. */
  'find-results': z.object({
    statusLine: z.string().min(1),
    cases: z
      .array(
        z.object({
          caseRef: z.string().min(1),
          initials: z.string().min(1),
          category: z.string().min(1),
          level: z.string().min(1),
          leadAgency: z.string().min(1),
        }),
      )
      .min(1),
    moreText: z.string(),
  }),
} as const;
