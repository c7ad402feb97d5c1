import { z } from 'zod';
import { Actor, AgencyId, Category, documentMarking, Id, Version } from './common.schema';
import { IsoDate, IsoDateTime } from './dates';
import { EligibilityFacts } from './eligibility';
import { SubjectStatus } from './subject.schema';

/** The lead agency's notice to the co-ordinator that someone is MAPPA-eligible; Level 1 needs nothing more. */
export const Notification = z.object({
  id: Id,
  areaId: Id,
  subjectId: Id,
  caseId: Id.optional(),
  leadAgencyId: AgencyId,
  notifiedBy: Actor,
  category: Category,
  eligibilityFacts: EligibilityFacts.optional(),
  eligibilityReasons: z.array(z.string()).default([]),
  sentenceDate: IsoDate.optional(),
  notifiedOn: IsoDate,
  subjectStatus: SubjectStatus.optional(),
  expectedReleaseDate: IsoDate.optional(),
  notes: z.string().trim().max(10_000).optional(),
  /** The person already had an open case in the area, and this notification joined it. */
  joinedExistingCase: z.boolean().optional(),
  /**
   * A reference number on this notification belongs to another record with a different name or date
   * of birth: the co-ordinator checks before deciding. The notification was given its own case.
   */
  identityCheck: z.object({ conflictingCaseIds: z.array(Id).max(20) }).optional(),
  status: z.enum(['received', 'accepted', 'returned']),
  protectiveMarking: documentMarking,
  createdAt: IsoDateTime,
  version: Version,
});
export type Notification = z.infer<typeof Notification>;
