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
  /**
   * Whether the agency can be a case's lead agency: the statutory case owner that holds the risk
   * management plan (probation, police, YOT or mental health services). Unset means "as its role
   * implies" (see canLeadCases), so areas stored before the flag existed keep working.
   */
  canLead: z.boolean().optional(),
});
export type Agency = z.infer<typeof Agency>;

/*
 * Responsible Authority and Duty to Co-operate agencies hold statutory functions and may own a case.
 * Associates and other partners (and the MAPPA co-ordination unit, seeded as 'other', which
 * co-ordinates cases but never owns one) lead only when the area says so with canLead.
 */
const LEADS_BY_ROLE: Readonly<Record<AgencyRole, boolean>> = {
  responsible_authority: true,
  duty_to_cooperate: true,
  associate: false,
  other: false,
};

/** The one rule for who may lead a case: offered on forms, and checked wherever a lead agency is accepted. */
export function canLeadCases(agency: Agency): boolean {
  return agency.active && (agency.canLead ?? LEADS_BY_ROLE[agency.role]);
}

/** The agencies a person may choose as lead agency, in the area's order. */
export function leadAgencyChoices(agencies: readonly Agency[]): Agency[] {
  return agencies.filter(canLeadCases);
}

/** Whether `agencyId` may lead a case: unknown (not listed or inactive), listed but unable to lead, or ok. */
export function leadAgencyStatus(agencies: readonly Agency[], agencyId: string): 'ok' | 'unknown' | 'cannot_lead' {
  const agency = agencies.find((a) => a.id === agencyId && a.active);
  if (!agency) return 'unknown';
  return canLeadCases(agency) ? 'ok' : 'cannot_lead';
}
