import { z } from 'zod';

const fact = z.object({ title: z.string(), value: z.string() });

/** Data of cards/reminders.json. */
export const REMINDER_CARD_SCHEMAS = {
  /** `overdue`, `reminders` and the channel digest: headed lists of reference and words, no names in the channel. */
  reminders: z.object({
    title: z.string().min(1),
    statusLine: z.string().min(1),
    statusUrgent: z.boolean(),
    sections: z.array(z.object({ heading: z.string().min(1), empty: z.string(), lines: z.array(fact) })),
  }),
} as const;
