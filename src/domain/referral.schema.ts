import { z } from 'zod';
import {
  Actor,
  AgencyId,
  Category,
  documentMarking,
  Id,
  Level,
  policeOnlyRegistry,
  RoshLevel,
  Version,
} from './common.schema';
import { IsoDate, IsoDateTime } from './dates';
import { EligibilityFacts } from './eligibility';
import { LevelFacts } from './levels';
import { PersonName, SubjectIdentifiers, SubjectStatus } from './subject.schema';

const text = (max = 10_000) => z.string().trim().min(1).max(max);
const bullets = z.array(text(2000));

/* One schema per MAPPA A section; the stored draft holds each as a partial so the dialog can save as it goes. */

export const ReferrerSection = z.object({
  referrer: Actor,
  agencyId: AgencyId,
  jobTitle: text(200),
  /** The referrer's manager, who signs the referral off. */
  managerName: text(200),
  managerApproved: z.boolean(),
});

export const SubjectSection = z.object({
  subjectId: Id.optional(),
  name: PersonName,
  aliases: z.array(text(200)).default([]),
  dateOfBirth: IsoDate,
  gender: text(50),
  ethnicity: text(100),
  address: text(500).optional(),
  noFixedAbode: z.boolean().default(false),
  areaOfClosestLinks: text(200).optional(),
  approvedReleaseAddress: text(500).optional(),
  identifiers: SubjectIdentifiers,
  status: SubjectStatus,
});

export const CategorySection = z.object({
  category: Category,
  eligibilityFacts: EligibilityFacts,
  /** Filled from `assessCategory` so the co-ordinator sees why the category applies. */
  eligibilityReasons: z.array(z.string()).default([]),
});

export const OffenceSection = z.object({
  indexOffences: bullets.min(1),
  /** Category 3 may rest on a qualifying caution instead of a conviction. */
  qualifyingCaution: text(2000).optional(),
  sentenceType: text(200),
  sentenceLength: text(100).optional(),
  sentenceDate: IsoDate,
  /** Short bullets in the referrer's words, not pasted from the pre-sentence report. */
  briefFacts: bullets.min(1),
  previousRelevantOffences: text().optional(),
  releaseDate: IsoDate.optional(),
  licenceEndDate: IsoDate.optional(),
  sentenceEndDate: IsoDate.optional(),
  mentalHealthReviewDate: IsoDate.optional(),
  /** Completed by mental health services when the person is detained in hospital. */
  hospitalDetention: z
    .object({ hospital: text(200), legalBasis: text(200), responsibleClinician: text(200).optional() })
    .optional(),
});

/** Groups OASys scores RoSH for; 'prisoners' applies in custody. */
export const RoshByGroup = z.object({
  public: RoshLevel,
  knownAdult: RoshLevel,
  children: RoshLevel,
  staff: RoshLevel,
  prisoners: RoshLevel.optional(),
});
export type RoshByGroup = z.infer<typeof RoshByGroup>;

export const RiskSection = z.object({
  rosh: RoshByGroup,
  roshSetting: z.enum(['community', 'custody']),
  assessedOn: IsoDate,
  tools: z.array(z.object({ name: text(100), result: text(200) })).default([]),
  riskOfHarmFactors: bullets.min(1),
  /** ViSOR or police-only intelligence, withheld from readers without ViSOR access. */
  visorIntelligence: text(20_000).register(policeOnlyRegistry, { source: 'visor' }).optional(),
});

export const LevelRequested = z.union([z.literal([2, 3]), z.literal('advise')]);
export type LevelRequested = z.infer<typeof LevelRequested>;

export const ReasonSection = z.object({
  reasonForReferral: text(),
  levelRequested: LevelRequested,
  levelFacts: LevelFacts,
});

export const AgenciesSection = z.object({
  agencies: z.array(z.object({ agencyId: AgencyId, involvement: text(2000), contributionRequired: text(2000) })).min(1),
});

export const VictimsSection = z.object({
  /** Described, not named, unless naming is necessary for their safety. */
  victims: z
    .array(z.object({ description: text(500), relationship: text(200).optional(), concerns: text(4000).optional() }))
    .default([]),
  victimSafetyConcerns: text(),
  victimLiaisonInvolved: z.boolean().optional(),
  maracInvolved: z.boolean().optional(),
});

export const SafeguardingSection = z.object({
  children: text(),
  vulnerableAdults: text(),
});

export const DiversitySection = z.object({
  diversityNeeds: text(),
  barriers: text().optional(),
});

export const DisclosureSection = z.object({
  considerations: text(),
  disclosureToDiscuss: z.boolean().default(false),
});

export const AttachmentsSection = z.object({
  documents: z
    .array(
      z.object({
        title: text(200),
        heldByAgencyId: AgencyId,
        reference: text(200).optional(),
        location: text(500).optional(),
      }),
    )
    .default([]),
});

/** The complete MAPPA A, section by section; keys are the section ids of `REFERRAL_SECTIONS`. */
export const ReferralSections = z.object({
  referrer: ReferrerSection,
  subject: SubjectSection,
  category: CategorySection,
  offence: OffenceSection,
  risk: RiskSection,
  reason: ReasonSection,
  agencies: AgenciesSection,
  victims: VictimsSection,
  safeguarding: SafeguardingSection,
  diversity: DiversitySection,
  disclosure: DisclosureSection,
  attachments: AttachmentsSection,
});
export type ReferralSections = z.infer<typeof ReferralSections>;
export type ReferralSectionId = keyof ReferralSections;

const draftSections = Object.fromEntries(
  Object.entries(ReferralSections.shape).map(([id, section]) => [id, section.partial().optional()]),
) as { [K in ReferralSectionId]: z.ZodOptional<ReturnType<(typeof ReferralSections.shape)[K]['partial']>> };

export const ReferralStatus = z.enum(['draft', 'submitted', 'accepted', 'declined', 'withdrawn']);
export type ReferralStatus = z.infer<typeof ReferralStatus>;

export const ReferralDecision = z.object({
  outcome: z.enum(['accepted', 'declined']),
  level: Level,
  rationale: text(),
  decidedBy: Actor,
  decidedAt: IsoDateTime,
});
export type ReferralDecision = z.infer<typeof ReferralDecision>;

/**
 * Why a submitted referral is not yet on a case: the person typed shares a reference number with a
 * record whose name or date of birth differs, or matches a case that cannot take a referral now. The
 * co-ordinator decides which case it belongs to (or that it is a new person) before approving.
 */
export const IdentityCheck = z.object({
  reason: z.enum(['identifier_conflict', 'case_not_open_to_referral']),
  candidateCaseIds: z.array(Id).max(20),
});
export type IdentityCheck = z.infer<typeof IdentityCheck>;

/** A MAPPA A referral to Level 2 or 3, stored as a draft until submitted. */
export const Referral = z.object({
  id: Id,
  areaId: Id,
  caseId: Id.optional(),
  /**
   * Started with `refer <case ref>` from a case the referrer could open. Only then may what the referrer
   * is told name the case: a case found from what they typed may be one they cannot see.
   */
  startedFromCase: z.boolean().optional(),
  identityCheck: IdentityCheck.optional(),
  status: ReferralStatus,
  sections: z.object(draftSections).prefault({}),
  submittedAt: IsoDateTime.optional(),
  decision: ReferralDecision.optional(),
  protectiveMarking: documentMarking,
  createdAt: IsoDateTime,
  version: Version,
});
export type Referral = z.infer<typeof Referral>;
