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
  status: z.enum(['received', 'accepted', 'returned']),
  protectiveMarking: documentMarking,
  createdAt: IsoDateTime,
  version: Version,
});
export type Notification = z.infer<typeof Notification>;
