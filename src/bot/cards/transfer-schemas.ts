import { z } from 'zod';

const fact = z.object({ title: z.string(), value: z.string() });

/** The hand-over card: counts on the channel copy, details only in a receiving co-ordinator's refresh. */
export const TRANSFER_CARD_SCHEMAS = {
  transfer: z.object({
    transferId: z.string().min(1),
    caseRef: z.string().min(1),
    refreshUserIds: z.array(z.string()).max(60),
    stateText: z.string().min(1),
    facts: z.array(fact),
    details: z.array(fact),
    canAnswer: z.boolean(),
    formError: z.string(),
    values: z.object({ reason: z.string() }),
  }),
};
