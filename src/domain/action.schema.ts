import { z } from 'zod';
import { AadObjectId, Actor, AgencyId, Id, Version } from './common.schema';
import { IsoDate, IsoDateTime } from './dates';

/** The four RMP pillars plus contingency; every action sits under one so gaps in the plan show. */
export const Pillar = z.enum([
  'supervision',
  'monitoring_control',
  'interventions_treatment',
  'victim_safety',
  'contingency',
]);
export type Pillar = z.infer<typeof Pillar>;

export const PILLAR_LABELS: Readonly<Record<Pillar, string>> = {
  supervision: 'Supervision',
  monitoring_control: 'Monitoring and control',
  interventions_treatment: 'Interventions and treatment',
  victim_safety: 'Victim safety',
  contingency: 'Contingency',
};

export const ActionStatus = z.enum(['open', 'in_progress', 'done', 'cancelled']);
export type ActionStatus = z.infer<typeof ActionStatus>;

export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** What happened to an action, in the words its history shows. */
export const ActionEvent = z.enum([
  'progress',
  'done',
  'extension_requested',
  'extension_approved',
  'extension_refused',
  'reviewed',
  'changed',
]);
export type ActionEvent = z.infer<typeof ActionEvent>;

const fromTo = <T extends z.ZodType>(t: T) => z.object({ from: t, to: t });

/**
 * One change to an action, appended by the store in the same conditional write as the change itself,
 * so the history can neither miss a change nor record one that did not land. `version` is the
 * action's version the change was made against: a second click of the same card finds it here.
 */
export const ActionChange = z.object({
  at: IsoDateTime,
  by: Actor,
  event: ActionEvent,
  version: Version,
  status: fromTo(ActionStatus).optional(),
  dueDate: fromTo(IsoDate).optional(),
  owner: fromTo(z.string().trim().max(200)).optional(),
  note: z.string().trim().max(2000).optional(),
  /** The date an extension request asked for: with the note (its reason), what tells a repeat click from a new request. */
  askedFor: IsoDate.optional(),
});
export type ActionChange = z.infer<typeof ActionChange>;

/** An owner's request to move the due date, waiting for the co-ordinator. */
export const ExtensionRequest = z.object({
  dueDate: IsoDate,
  reason: z.string().trim().min(1).max(2000),
  requestedBy: Actor,
  requestedAt: IsoDateTime,
  /** The action's version the request was made from (its card's version). */
  fromVersion: Version,
});
export type ExtensionRequest = z.infer<typeof ExtensionRequest>;

/** An RMP action agreed at a meeting; owners report on it at the next one. */
export const Action = z.object({
  id: Id,
  caseId: Id,
  meetingId: Id,
  text: z.string().trim().min(1).max(2000),
  ownerAadObjectId: AadObjectId.optional(),
  ownerName: z.string().trim().min(1).max(200),
  ownerAgencyId: AgencyId,
  dueDate: IsoDate,
  pillar: Pillar,
  status: ActionStatus.default('open'),
  updateAtNextMeeting: z.boolean().default(true),
  completedOn: IsoDate.optional(),
  statusNote: z.string().trim().max(2000).optional(),
  extensionRequest: ExtensionRequest.optional(),
  history: z.array(ActionChange).default([]),
  createdAt: IsoDateTime,
  version: Version,
});
export type Action = z.infer<typeof Action>;
