import { z } from 'zod';
import type { InvitationDelivery, Meeting } from '../../domain/meeting.schema';
import type { Principal } from '../../domain/policy';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { MemberRepository } from '../ports/member-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import { actorOf } from '../shared/actor';
import { loadCase, scheduleMeeting } from './schedule-meeting';
import {
  invitedAgencies,
  isCoordinator,
  loadArea,
  loadMeeting,
  validation,
  type MeetingDeps,
  type MeetingError,
} from './shared';

/** Scheduling and invitations also list an agency's members. */
export interface InvitationDeps extends MeetingDeps {
  readonly members: Pick<MemberRepository, 'getArea' | 'getMember' | 'listMembers'>;
}

const ScheduleKey = z.string().trim().min(1).max(64);

/**
 * `scheduleMeeting` for a card: the card's key is kept on the meeting, so the same card sent twice
 * (a double click, a retry after a slow answer) returns the meeting it made instead of a second one.
 * Two sends at once race for the same sequence number; the loser finds the winner's meeting by key.
 */
export async function scheduleMeetingOnce(
  deps: MeetingDeps,
  principal: Principal,
  caseRef: string,
  raw: unknown,
  key: string,
): Promise<Result<{ meeting: Meeting; created: boolean }, MeetingError>> {
  const scheduleKey = ScheduleKey.safeParse(key);
  if (!scheduleKey.success) return err(validation({ form: 'This card is out of date: type schedule meeting again.' }));
  // The same checks as scheduling itself first, so a key tells nobody about a case they cannot see.
  const c = await loadCase(deps, principal, caseRef);
  if (!c.ok) return c;
  const already = async () =>
    (await deps.meetings.listForCase(c.value.id)).find((m) => m.scheduleKey === scheduleKey.data);
  const before = await already();
  if (before) return ok({ meeting: before, created: false });
  const made = await scheduleMeeting(deps, principal, caseRef, raw, { scheduleKey: scheduleKey.data });
  if (made.ok) return ok({ meeting: made.value, created: true });
  if (made.error.code === 'VERSION_CONFLICT') {
    const after = await already();
    if (after) return ok({ meeting: after, created: false });
  }
  return made;
}

export interface AgencyInvitation {
  readonly agencyId: string;
  readonly agencyName: string;
  /** Enrolled, active members of the agency in this area. */
  readonly recipients: readonly { readonly aadObjectId: string; readonly name: string }[];
  /** The agency's open actions from the case's earlier meetings. */
  readonly openActions: readonly { readonly text: string; readonly dueDate: string }[];
  readonly substitute?: string;
}

export interface InvitationPlan {
  readonly meeting: Meeting;
  readonly caseRef: string;
  readonly agencies: readonly AgencyInvitation[];
}

/** Who is invited, agency by agency, with what each invitation card shows. */
export async function invitationPlan(deps: InvitationDeps, meeting: Meeting): Promise<InvitationPlan> {
  const area = await loadArea(deps);
  const c = await deps.cases.get(meeting.caseId);
  const members = await deps.members.listMembers(deps.areaId);
  const actions = (await deps.actions.listForCase(meeting.caseId)).filter(
    (a) => a.status === 'open' && a.meetingId !== meeting.id,
  );
  const agencies = invitedAgencies(meeting).map((agencyId) => {
    const substitute = meeting.invitees.find((i) => i.agencyId === agencyId && i.substitute)?.substitute?.name;
    return {
      agencyId,
      agencyName: area.agencies.find((a) => a.id === agencyId)?.name ?? agencyId,
      recipients: members
        .filter((m) => m.active && m.agencyId === agencyId)
        .map((m) => ({ aadObjectId: m.aadObjectId, name: m.displayName })),
      openActions: actions
        .filter((a) => a.ownerAgencyId === agencyId)
        .map((a) => ({ text: a.text, dueDate: a.dueDate })),
      ...(substitute ? { substitute } : {}),
    };
  });
  return { meeting, caseRef: c.ok ? c.value.ref : '', agencies };
}

const MAX_ATTEMPTS = 5;

/** Writes to a scheduled meeting, applying `change` again to whatever another writer saved in between. */
async function changeMeeting(
  deps: MeetingDeps,
  meetingId: string,
  actor: RequestActor,
  change: (
    m: Meeting,
  ) => Partial<Pick<Meeting, 'invitees' | 'invitations' | 'onlineMeetingUrl' | 'calendarInvitation'>>,
): Promise<Result<Meeting, MeetingError>> {
  for (let attempt = 0; ; attempt += 1) {
    const found = await deps.meetings.get(meetingId);
    if (!found.ok) return err(appError('NOT_FOUND', 'That meeting was not found.'));
    const m = found.value;
    const saved = await deps.meetings.update(m.id, m.version, change(m), { by: actor, action: 'meeting.updated' });
    if (saved.ok) return saved;
    if (saved.error.code !== 'VERSION_CONFLICT' || attempt + 1 >= MAX_ATTEMPTS)
      return err(appError('VERSION_CONFLICT', 'The meeting changed while saving; try again.'));
  }
}

/** What the invitations came to: each person's card, and the Outlook invitation when Graph made one. */
export function recordInvitations(
  deps: MeetingDeps,
  meetingId: string,
  actor: RequestActor,
  outcome: {
    readonly deliveries: readonly InvitationDelivery[];
    readonly onlineMeetingUrl?: string;
    readonly calendarInvitation?: 'created' | 'failed';
  },
): Promise<Result<Meeting, MeetingError>> {
  return changeMeeting(deps, meetingId, actor, (m) => ({
    invitations: [
      ...(m.invitations ?? []).filter((d) => !outcome.deliveries.some((n) => n.aadObjectId === d.aadObjectId)),
      ...outcome.deliveries,
    ],
    ...(outcome.onlineMeetingUrl ? { onlineMeetingUrl: outcome.onlineMeetingUrl } : {}),
    ...(outcome.calendarInvitation ? { calendarInvitation: outcome.calendarInvitation } : {}),
  }));
}

export const SubstituteInput = z.object({
  agencyId: z.string().trim().min(1, 'Say which agency the substitute attends for.'),
  substitute: z
    .string({ error: 'Give the name of the person attending instead.' })
    .trim()
    .min(1, 'Give the name of the person attending instead.')
    .max(200, 'Keep the name under 200 characters.'),
});

/**
 * Names who attends in an agency's place. Only a member of that agency, or the co-ordinator, may;
 * anyone outside the invited agencies is told the meeting was not found.
 */
export async function nameSubstitute(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<Meeting, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'contribute');
  if (!loaded.ok) return loaded;
  const { meeting } = loaded.value;
  const parsed = SubstituteInput.safeParse(raw);
  if (!parsed.success)
    return err(validation({ substitute: parsed.error.issues[0]?.message ?? 'Give the name of the substitute.' }));
  const { agencyId, substitute } = parsed.data;
  if (!meeting.invitees.some((i) => i.agencyId === agencyId))
    return err(validation({ substitute: 'That agency is not invited to this meeting.' }));
  if (principal.member?.agencyId !== agencyId && !isCoordinator(principal))
    return err(
      appError('NOT_PERMITTED', "Only a member of that agency or the co-ordinator can name the agency's substitute."),
    );
  if (meeting.status !== 'scheduled')
    return err(
      appError('ILLEGAL_TRANSITION', 'The meeting has started: the chair records substitutes with attendance.'),
    );
  const recordedBy = { name: principal.member?.displayName ?? 'Unknown', aadObjectId: principal.aadObjectId };
  return changeMeeting(deps, meeting.id, actorOf(principal), (m) => {
    let placed = false;
    const invitees = m.invitees.map((i) => {
      if (placed || i.agencyId !== agencyId) return i;
      placed = true;
      return { ...i, substitute: { name: substitute, recordedBy } };
    });
    return { invitees };
  });
}
