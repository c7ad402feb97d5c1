import { z } from 'zod';
import { AadObjectId, AgencyId, Id, PersonRef, Version } from './common.schema';
import { IsoDate, IsoDateTime } from './dates';
import { MeetingRun } from './meeting-run';

export const MeetingKind = z.enum(['initial', 'review', 'emergency']);
export type MeetingKind = z.infer<typeof MeetingKind>;

export const Invitee = z.object({
  agencyId: AgencyId,
  aadObjectId: AadObjectId.optional(),
  name: z.string().trim().max(200).optional(),
  invitedAt: IsoDateTime.optional(),
});
export type Invitee = z.infer<typeof Invitee>;

/** A Level 2 or Level 3 meeting for one case. */
export const Meeting = z.object({
  id: Id,
  areaId: Id,
  caseId: Id,
  level: z.literal([2, 3]),
  kind: MeetingKind,
  /** 1 for the initial meeting, then 2, 3… for reviews. */
  sequence: z.number().int().positive(),
  scheduledStart: IsoDateTime,
  /** The timescale deadline this meeting satisfies, kept to report lateness. */
  dueBy: IsoDate.optional(),
  /** Why the meeting is set after its due date; required then, and kept for the lateness report. */
  lateReason: z.string().trim().min(1).max(2000).optional(),
  venue: z.string().trim().max(500).optional(),
  onlineMeetingUrl: z.url().optional(),
  chair: PersonRef,
  invitees: z.array(Invitee).default([]),
  status: z.enum(['scheduled', 'in_progress', 'held', 'cancelled']),
  /** The running record (attendance, round, risk, plan, views, decision), from `start meeting` on. */
  run: MeetingRun.optional(),
  minutesId: Id.optional(),
  version: Version,
});
export type Meeting = z.infer<typeof Meeting>;
