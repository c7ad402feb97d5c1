import { z } from 'zod';
import { Actor, AgencyId, documentMarking, Id, policeOnlyRegistry, Version } from './common.schema';
import { IsoDateTime } from './dates';
import { ActionStatus } from './action.schema';

/**
 * An agency's contribution to a meeting: its round-robin update, or the report sent in lieu of
 * attending (audits check absent agencies sent one).
 */
export const AgencyUpdate = z.object({
  id: Id,
  areaId: Id,
  caseId: Id,
  meetingId: Id,
  agencyId: AgencyId,
  author: Actor,
  kind: z.enum(['update', 'report_in_lieu']),
  content: z.string().trim().min(1).max(20_000),
  /** Change in risk since the last meeting. */
  changeInRisk: z.string().trim().max(10_000).optional(),
  /** Information about children and vulnerable people named in the minutes. */
  childrenAndVulnerablePeople: z.string().trim().max(10_000).optional(),
  victimIssues: z.string().trim().max(10_000).optional(),
  /** Anything the agency puts forward for disclosure. */
  forDisclosure: z.string().trim().max(10_000).optional(),
  /** ViSOR or police intelligence: withheld from readers without ViSOR access. */
  restrictedIntelligence: z
    .string()
    .trim()
    .max(20_000)
    .register(policeOnlyRegistry, { source: 'police_intelligence' })
    .optional(),
  actionUpdates: z
    .array(z.object({ actionId: Id, status: ActionStatus, note: z.string().trim().max(2000).optional() }))
    .default([]),
  /** A draft is prepared before the meeting; the agency (or the chair for it) confirms it at its turn. */
  status: z.enum(['draft', 'confirmed']).default('confirmed'),
  /** Set when the chair typed the update on the agency's behalf: the record says so. */
  enteredOnBehalfBy: Actor.optional(),
  /** When this version was saved. */
  submittedAt: IsoDateTime,
  protectiveMarking: documentMarking,
  version: Version,
});
export type AgencyUpdate = z.infer<typeof AgencyUpdate>;
