import { z } from 'zod';
import { AadObjectId, AgencyId, Id, Version } from './common.schema';
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

export const ActionStatus = z.enum(['open', 'done', 'cancelled']);
export type ActionStatus = z.infer<typeof ActionStatus>;

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
  createdAt: IsoDateTime,
  version: Version,
});
export type Action = z.infer<typeof Action>;
