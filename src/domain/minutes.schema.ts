import { z } from 'zod';
import { Pillar } from './action.schema';
import {
  AadObjectId,
  Actor,
  AgencyId,
  Category,
  documentMarking,
  Id,
  Level,
  policeOnlyRegistry,
  Version,
} from './common.schema';
import { IsoDate, IsoDateTime } from './dates';
import { MeetingKind } from './meeting.schema';

const text = (max = 20_000) => z.string().trim().min(1).max(max);

/** The sections of MAPPA B minutes in order; each is one top-level field, edited and versioned on its own. */
export const MinutesSectionId = z.enum([
  'meeting_details',
  'attendance',
  'confidentiality',
  'previous_actions',
  'agency_updates',
  'risk',
  'rmp',
  'victim_issues',
  'disclosure',
  'agency_views',
  'decisions',
  'review_date',
  'distribution',
]);
export type MinutesSectionId = z.infer<typeof MinutesSectionId>;

const SectionVersions = z.object(
  Object.fromEntries(MinutesSectionId.options.map((id) => [id, Version.default(0)])) as Record<
    MinutesSectionId,
    z.ZodDefault<typeof Version>
  >,
);

// 'absent': invited, with no apologies, substitute or report recorded.
export const AttendanceStatus = z.enum(['present', 'apologies', 'substitute', 'report_sent', 'absent']);
export type AttendanceStatus = z.infer<typeof AttendanceStatus>;

/** Risk of serious harm as minuted (the meeting's own words, as `RiskOfSeriousHarm` records them). */
export const MinutedRoshLevel = z.enum(['low', 'medium', 'high', 'very_high']);
export const MinutedRoshToWhom = z.enum(['public', 'known_adult', 'children', 'staff', 'prisoners']);

/** One line per agency (or person); audits check that absent agencies sent a substitute or a report. */
export const Attendance = z.object({
  agencyId: AgencyId,
  name: text(200).optional(),
  aadObjectId: AadObjectId.optional(),
  role: text(200).optional(),
  status: AttendanceStatus,
  /** For a substitute, the person they stand in for. */
  substituteFor: text(200).optional(),
  /** For 'report_sent', the AgencyUpdate holding the report. */
  agencyUpdateId: Id.optional(),
});
export type Attendance = z.infer<typeof Attendance>;

export const AgencyView = z.object({
  agencyId: AgencyId,
  level: Level,
  category: Category,
  comment: text(2000).optional(),
});
export type AgencyView = z.infer<typeof AgencyView>;

/** A decision as minuted: the rationale is mandatory and differing views are kept, not smoothed over. */
export const MinutedDecision = z.object({
  topic: z.enum(['level', 'category', 'lead_agency', 'disclosure', 'rmp', 'other']),
  decision: text(4000),
  rationale: text(),
  dissent: z.array(z.object({ agencyId: AgencyId, view: text(4000) })).default([]),
});
export type MinutedDecision = z.infer<typeof MinutedDecision>;

export const DisclosureDecision = z.object({
  outcome: z.enum(['disclose', 'do_not_disclose', 'review_later']),
  /** Recipient described by role (e.g. "new partner", "employer"), not named. */
  recipient: text(500).optional(),
  rationale: text(),
  responsibleAgencyId: AgencyId.optional(),
});
export type DisclosureDecision = z.infer<typeof DisclosureDecision>;

/** Risk management plan text per pillar, plus every licence condition (the plan must list them all). */
export const RiskManagementPlan = z.object({
  ...(Object.fromEntries(Pillar.options.map((p) => [p, z.string().trim().max(20_000).default('')])) as Record<
    Pillar,
    z.ZodDefault<z.ZodString>
  >),
  licenceConditions: z.array(text(2000)).default([]),
});
export type RiskManagementPlan = z.infer<typeof RiskManagementPlan>;

/**
 * The minutes of a Level 2/3 meeting, fields in the order of business. Saved as a draft while the
 * meeting runs; approval is a use-case concern (see `minutesGaps`).
 */
export const Minutes = z.object({
  id: Id,
  areaId: Id,
  caseId: Id,
  meetingId: Id,
  status: z.enum(['draft', 'circulated', 'approved']),
  /**
   * 2: `meetingDetails.level` is the level the meeting was held at. Absent on minutes written before
   * that fix, where it held the decided level; `upgradeMinutes` reads those with the held level.
   */
  shape: z.literal(2).optional(),
  /** 1 for the minutes as first approved; each correction after approval makes the next one. */
  revision: z.number().int().positive().default(1),
  meetingDetails: z.object({
    caseRef: text(64).optional(),
    chair: text(200).optional(),
    minuteTaker: text(200).optional(),
    kind: MeetingKind,
    sequence: z.number().int().positive(),
    date: IsoDate,
    venue: text(500).optional(),
    category: Category,
    level: Level,
  }),
  attendance: z.array(Attendance).default([]),
  introductionsDone: z.boolean().default(false),
  confidentialityStatementAgreed: z.boolean().default(false),
  confidentialityStatement: text().optional(),
  purpose: text().optional(),
  subjectDetails: text().optional(),
  previousActionsReview: z
    .array(
      z.object({
        actionId: Id,
        /** The action as agreed last time, so the review reads on its own. */
        text: text(2000).optional(),
        ownerAgencyId: AgencyId.optional(),
        // 'in_progress' and 'not_done' are how a meeting reviews an action (`ActionReview`); the others its record.
        status: z.enum(['open', 'in_progress', 'not_done', 'done', 'cancelled']),
        update: text(4000).optional(),
      }),
    )
    .default([]),
  agencyUpdates: z
    .array(
      z.object({
        agencyId: AgencyId,
        summary: text(),
        childrenAndVulnerablePeople: text().optional(),
        changeInRisk: text().optional(),
        /** A written report sent instead of attending is minuted as such (absent: an update given at the meeting). */
        kind: z.enum(['update', 'report_in_lieu']).optional(),
        /** Who typed it, when the chair entered it on the agency's behalf. */
        enteredOnBehalfBy: text(200).optional(),
        agencyUpdateId: Id.optional(),
      }),
    )
    .default([]),
  riskAssessment: z
    .object({
      victimsAndPotentialVictims: text().optional(),
      diversityIssues: text().optional(),
      roshSummary: text().optional(),
      /** Risk of serious harm as the meeting recorded it. */
      roshLevel: MinutedRoshLevel.optional(),
      roshToWhom: z.array(MinutedRoshToWhom).optional(),
      /** The agencies' assessment of change in risk since the last meeting. */
      assessment: text().optional(),
      /** Police and ViSOR intelligence from the agency updates: the only police-only text in the minutes. */
      restrictedIntelligence: text().register(policeOnlyRegistry, { source: 'police_intelligence' }).optional(),
    })
    .prefault({}),
  rmp: RiskManagementPlan.prefault({}),
  /** Actions are their own records (they outlive the meeting); the minutes list the ones agreed here. */
  actionIds: z.array(Id).default([]),
  disclosureDecisions: z.array(DisclosureDecision).default([]),
  agencyViews: z.array(AgencyView).default([]),
  decisions: z.array(MinutedDecision).default([]),
  victimIssues: text().optional(),
  reviewDate: IsoDate.optional(),
  /** Who receives the minutes: every invited agency and the chair (by role or agency, never the subject). */
  distribution: z.array(z.object({ agencyId: AgencyId.optional(), recipient: text(300) })).default([]),
  /** One counter per section, so edits to different sections never conflict (see `editMinutesSection`). */
  sectionVersions: SectionVersions.prefault({}),
  approvedBy: Actor.optional(),
  approvedAt: IsoDateTime.optional(),
  /** SHA-256 (hex) of `canonicalJson(minutesContent(m))`, stored at approval. */
  contentHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** Why this revision exists, when it corrects an approved one. */
  correction: z
    .object({ reason: text(2000), by: Actor, at: IsoDateTime, corrects: z.number().int().positive() })
    .optional(),
  protectiveMarking: documentMarking,
  createdAt: IsoDateTime,
  version: Version,
});
export type Minutes = z.infer<typeof Minutes>;

type Check = (m: Minutes) => boolean;

/** The order of business the minutes dialog follows, with what counts as "covered" for each item. */
export const MINUTES_ORDER_OF_BUSINESS: readonly {
  readonly id: string;
  readonly title: string;
  readonly covered: Check;
}[] = [
  { id: 'meeting_details', title: 'Meeting details', covered: () => true },
  {
    id: 'introductions',
    title: 'Introductions and roles',
    covered: (m) => m.introductionsDone && m.attendance.length > 0,
  },
  {
    id: 'confidentiality',
    title: 'Confidentiality and diversity statement',
    covered: (m) => m.confidentialityStatementAgreed,
  },
  { id: 'purpose', title: 'Purpose of the meeting', covered: (m) => m.purpose !== undefined },
  { id: 'subject_details', title: 'Details of the person', covered: (m) => m.subjectDetails !== undefined },
  {
    id: 'previous_actions',
    title: 'Review of previous actions',
    covered: (m) => m.meetingDetails.kind === 'initial' || m.previousActionsReview.length > 0,
  },
  {
    id: 'agency_updates',
    title: 'Agency updates (including children and vulnerable people)',
    covered: (m) => m.agencyUpdates.length > 0,
  },
  {
    id: 'risk_assessment',
    title: 'Risk assessment: victims, diversity, RoSH summary',
    covered: (m) => m.riskAssessment.roshSummary !== undefined,
  },
  {
    id: 'rmp',
    title: 'Risk management plan by pillar and contingency',
    covered: (m) => Pillar.options.every((p) => m.rmp[p] !== ''),
  },
  { id: 'disclosure', title: 'Disclosure decisions', covered: (m) => m.disclosureDecisions.length > 0 },
  { id: 'agency_views', title: "Each agency's view on level and category", covered: (m) => m.agencyViews.length > 0 },
  { id: 'decisions', title: 'Decisions with rationale (dissent recorded)', covered: (m) => m.decisions.length > 0 },
  { id: 'review_date', title: 'Review date', covered: (m) => m.reviewDate !== undefined },
];

/**
 * Order-of-business items not yet covered, plus absent agencies with neither substitute nor
 * report, so a chair sees what an auditor would mark down before approving.
 */
export function minutesGaps(m: Minutes): string[] {
  const gaps = MINUTES_ORDER_OF_BUSINESS.filter((item) => !item.covered(m)).map((item) => item.title);
  for (const a of m.attendance) if (a.status === 'apologies') gaps.push(`No substitute or report from ${a.agencyId}`);
  if (!m.decisions.some((d) => d.topic === 'level')) gaps.push('No level decision recorded');
  if (!m.decisions.some((d) => d.topic === 'category')) gaps.push('No category decision recorded');
  return gaps;
}

/**
 * Minutes as read today, whatever shape they were stored in. Before shape 2 the meeting details'
 * level was the decided level; the decision was already minuted in `decisions` (topic 'level'), so
 * putting the held level back is all an older document needs. Idempotent.
 */
export function upgradeMinutes(m: Minutes, heldLevel: Minutes['meetingDetails']['level']): Minutes {
  if (m.shape === 2) return m;
  return { ...m, shape: 2, meetingDetails: { ...m.meetingDetails, level: heldLevel } };
}
