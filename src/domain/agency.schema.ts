import { z } from 'zod';
import { AgencyId } from './common.schema';

/**
 * How an agency takes part. 'associate' is the PCSC Act 2022 body the Responsible Authority
 * thinks can help manage risk; 'other' covers non-statutory partners invited case by case.
 */
export const AgencyRole = z.enum(['responsible_authority', 'duty_to_cooperate', 'associate', 'other']);
export type AgencyRole = z.infer<typeof AgencyRole>;

export const Agency = z.object({
  id: AgencyId,
  name: z.string().trim().min(1).max(200),
  role: AgencyRole,
  /** ViSOR users may see police-only fields; everyone else gets the redacted view. */
  visorAccess: z.boolean(),
  /** Why the agency sits where it does, e.g. "RA for restricted patients; DTC for all other cases". */
  note: z.string().max(500).optional(),
  active: z.boolean().default(true),
});
export type Agency = z.infer<typeof Agency>;
