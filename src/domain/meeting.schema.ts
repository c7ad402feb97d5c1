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
  /**
   * Who will attend in the agency's place, named by a member of that agency or the co-ordinator on the
   * invitation card. Kept as typed; the minutes' attendance takes it from here.
   */
  substitute: z.object({ name: z.string().trim().min(1).max(200), recordedBy: PersonRef }).optional(),
});
export type Invitee = z.infer<typeof Invitee>;

/**
 * One person's personal invitation card: sent, or not delivered because they have no personal chat
 * with the bot yet. Ids only: the member record holds the name.
 */
export const InvitationDelivery = z.object({
  aadObjectId: AadObjectId,
  agencyId: AgencyId,
  status: z.enum(['sent', 'not_delivered']),
  at: IsoDateTime,
});
export type InvitationDelivery = z.infer<typeof InvitationDelivery>;

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
  /**
   * A Teams call on this meeting's join link that started before anyone typed `start meeting`: kept
   * here (ids and a time only) so the run takes its actual start when the chair starts it.
   */
  teamsCallStart: z
    .object({
      at: IsoDateTime,
      conversationId: z.string().min(1).max(512),
      teamsMeetingId: z.string().min(1).max(1024).optional(),
    })
    .optional(),
  /** The Outlook invitation through Microsoft Graph, when configured: created, or given up on. */
  calendarInvitation: z.enum(['created', 'failed']).optional(),
  /**
   * The schedule card's submission key: the same card sent twice schedules one meeting. Random, per
   * card; nothing personal.
   */
  scheduleKey: z.string().trim().min(1).max(64).optional(),
  /** The personal invitation cards, one entry per person, written after the meeting is saved. */
  invitations: z.array(InvitationDelivery).optional(),
  chair: PersonRef,
  invitees: z.array(Invitee).default([]),
  status: z.enum(['scheduled', 'in_progress', 'held', 'cancelled']),
  /** The running record (attendance, round, risk, plan, views, decision), from `start meeting` on. */
  run: MeetingRun.optional(),
  minutesId: Id.optional(),
  version: Version,
});
export type Meeting = z.infer<typeof Meeting>;

/**
 * The part of a Teams join link that names the meeting: scheme, host and decoded path. Graph's
 * `joinWebUrl` carries a `?context=` query and may percent-encode differently from the link Teams
 * puts on a meeting event, so the two are compared without either.
 */
export function joinUrlKey(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: compare the path as sent.
  }
  return `${url.protocol}//${url.host.toLowerCase()}${path.replace(/\/+$/, '')}`;
}

export const sameJoinUrl = (a: string, b: string): boolean => {
  const ka = joinUrlKey(a);
  return ka !== null && ka === joinUrlKey(b);
};
