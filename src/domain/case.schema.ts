import { z } from 'zod';
import { Actor, AgencyId, Category, Id, Jurisdiction, Level, PersonRef, Version } from './common.schema';
import { IsoDate, IsoDateTime } from './dates';

export const CaseStatus = z.enum(['notified', 'referral_pending', 'managed_l1', 'managed_l2', 'managed_l3', 'exited']);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** Where a decision was taken, so an auditor can open the minutes, referral or notification behind it. */
export const DecisionSource = z.object({ type: z.enum(['meeting', 'referral', 'notification']), id: Id });
export type DecisionSource = z.infer<typeof DecisionSource>;

const decisionBase = {
  id: Id,
  actor: Actor,
  decidedAt: IsoDateTime,
  /** Guidance demands a recorded rationale for every decision; blank is refused. */
  rationale: z.string().trim().min(1).max(10_000),
  source: DecisionSource,
  /** Differing views recorded alongside the decision. */
  dissent: z.string().trim().max(10_000).optional(),
};

/** A decided change (or confirmation) of level or category. Entries are never edited or removed. */
export const DecisionRecord = z.discriminatedUnion('kind', [
  z.object({ ...decisionBase, kind: z.literal('level'), from: Level.nullable(), to: Level }),
  z.object({ ...decisionBase, kind: z.literal('category'), from: Category.nullable(), to: Category }),
]);
export type DecisionRecord = z.infer<typeof DecisionRecord>;

/** What a caller supplies: `from` is taken from the case, so it cannot disagree with it. */
export const DecisionInput = z.discriminatedUnion('kind', [
  z.object({ ...decisionBase, kind: z.literal('level'), to: Level }),
  z.object({ ...decisionBase, kind: z.literal('category'), to: Category }),
]);
export type DecisionInput = z.infer<typeof DecisionInput>;

export const ExitReason = z.enum([
  'not_eligible',
  'registration_ended',
  'licence_or_order_ended',
  'hospital_order_ended',
  'transferred_out',
  'deceased',
  'other',
]);
export type ExitReason = z.infer<typeof ExitReason>;

export const CaseKeyDates = z.object({
  sentenceDate: IsoDate.optional(),
  notificationDate: IsoDate.optional(),
  referralDate: IsoDate.optional(),
  releaseDate: IsoDate.optional(),
  licenceEndDate: IsoDate.optional(),
  registrationEndDate: IsoDate.optional(),
  nextReviewDate: IsoDate.optional(),
  exitDate: IsoDate.optional(),
});
export type CaseKeyDates = z.infer<typeof CaseKeyDates>;

/** A person's MAPPA case within one area. Level and category change only through `recordDecision`. */
export const Case = z.object({
  id: Id,
  areaId: Id,
  jurisdiction: Jurisdiction,
  subjectId: Id,
  status: CaseStatus,
  category: Category.nullable(),
  level: Level.nullable(),
  leadAgencyId: AgencyId,
  leadOfficer: PersonRef.optional(),
  keyDates: CaseKeyDates.prefault({}),
  pendingReferralId: Id.optional(),
  exitReason: ExitReason.optional(),
  history: z.array(DecisionRecord).default([]),
  createdAt: IsoDateTime,
  version: Version,
});
export type Case = z.infer<typeof Case>;

/** Events that move a case through its lifecycle; see `transition`. */
export const CaseEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('REFERRAL_SUBMITTED'), referralId: Id, on: IsoDate }),
  z.object({ type: z.literal('REFERRAL_WITHDRAWN'), referralId: Id }),
  z.object({ type: z.literal('LEVEL_DECIDED'), decision: DecisionInput.options[0] }),
  z.object({ type: z.literal('CATEGORY_DECIDED'), decision: DecisionInput.options[1] }),
  z.object({ type: z.literal('EXITED'), reason: ExitReason, on: IsoDate }),
]);
export type CaseEvent = z.infer<typeof CaseEvent>;
