import type { z } from 'zod';
import type { Area } from '../../domain/area.schema';
import { Id } from '../../domain/common.schema';
import type { Meeting } from '../../domain/meeting.schema';
import type { MeetingRun, RunError } from '../../domain/meeting-run';
import { can, type Principal, type PolicyAction } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { ActionRepository } from '../ports/action-repository.port';
import type { AgencyUpdateRepository } from '../ports/agency-update-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { CaseRecord, CaseRepository } from '../ports/case-repository.port';
import type { Clock } from '../ports/clock.port';
import type { MeetingRepository, MeetingUpdateAction } from '../ports/meeting-repository.port';
import type { MemberRepository } from '../ports/member-repository.port';
import type { ReferralRepository } from '../ports/referral-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import { actorOf } from '../shared/actor';
import { requireArea } from '../shared/area';
import type { FieldErrors } from '../shared/field-errors';

/** What the meeting use cases need; the composition root passes the MongoDB adapters. */
export interface MeetingDeps {
  readonly meetings: MeetingRepository;
  readonly agencyUpdates: AgencyUpdateRepository;
  readonly actions: ActionRepository;
  readonly cases: CaseRepository;
  readonly referrals: Pick<ReferralRepository, 'get'>;
  readonly members: Pick<MemberRepository, 'getArea' | 'getMember'>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly areaId: string;
}

export type MeetingError =
  | AppError<'NOT_PERMITTED' | 'NOT_FOUND' | 'VERSION_CONFLICT' | 'ILLEGAL_TRANSITION'>
  | (AppError<'VALIDATION_FAILED'> & { readonly fieldErrors: FieldErrors });

export const validation = (fieldErrors: FieldErrors): MeetingError => ({
  ...appError('VALIDATION_FAILED', Object.values(fieldErrors).join(' ')),
  fieldErrors,
});

/** Field errors from a zod failure, keyed by the top-level field the card names. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    out[field] ??= issue.message;
  }
  return out;
}

// The same answer for "no such meeting" and "not yours to see", so ids reveal nothing.
const notFound = (): MeetingError => appError('NOT_FOUND', 'That meeting was not found.');

export const loadArea = (deps: MeetingDeps): Promise<Area> => requireArea(deps.members, deps.areaId);

export const invitedAgencies = (m: Meeting): string[] => [...new Set(m.invitees.map((i) => i.agencyId))];

/** The chair of this meeting. */
export const isChair = (principal: Principal, m: Meeting): boolean =>
  m.chair.aadObjectId !== undefined && m.chair.aadObjectId === principal.aadObjectId;
export const isCoordinator = (principal: Principal): boolean =>
  principal.member?.roles.includes('coordinator') ?? false;
/**
 * Whoever may take the chair's steps: the chair, or the area's co-ordinator acting for the chair (the
 * README's walkthrough has the co-ordinator start and run a meeting when the chair cannot type).
 */
export const runsMeeting = (principal: Principal, m: Meeting): boolean =>
  isChair(principal, m) || isCoordinator(principal);
/** A chair's step taken by the co-ordinator for the chair: the audit event says so, as on-behalf updates do. */
export const forChairDetails = (principal: Principal, m: Meeting): { onBehalfOfChair: true } | undefined =>
  !isChair(principal, m) && isCoordinator(principal) ? { onBehalfOfChair: true } : undefined;

export type Access = 'read' | 'contribute' | 'chair' | 'chair_or_coordinator';

const ACTION_FOR: Readonly<Record<Access, PolicyAction>> = {
  read: 'case.read',
  contribute: 'meeting.contribute',
  chair: 'meeting.run',
  chair_or_coordinator: 'meeting.run',
};

export interface LoadedMeeting {
  readonly meeting: Meeting;
  readonly caseRecord: CaseRecord;
  readonly actor: RequestActor;
  /** Set when the co-ordinator takes a chair's step for the chair: passed to the write's audit. */
  readonly forChair?: { readonly onBehalfOfChair: true };
}

/**
 * The meeting, if the caller may do `access` on it: an enrolled member of an invited agency (or the
 * area's co-ordinator) with a role that allows the step; chair steps also need the meeting's chair.
 */
export async function loadMeeting(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  access: Access,
): Promise<Result<LoadedMeeting, MeetingError>> {
  const id = Id.safeParse(meetingId);
  if (!id.success) return err(notFound());
  const found = await deps.meetings.get(id.data);
  if (!found.ok || found.value.areaId !== deps.areaId) return err(notFound());
  const meeting = found.value;
  const c = await deps.cases.get(meeting.caseId);
  if (!c.ok) return err(notFound());
  const invited = invitedAgencies(meeting);
  const member = principal.member;
  const inInvitedAgency = member !== null && invited.includes(member.agencyId);
  if (!inInvitedAgency && !isCoordinator(principal)) return err(notFound());
  const decision = can(principal, ACTION_FOR[access], {
    case: { areaId: c.value.areaId, leadAgencyId: c.value.leadAgencyId, involvedAgencyIds: invited },
  });
  if (!decision.allowed) {
    if (decision.code === 'NOT_FOUND') return err(notFound());
    return err(appError('NOT_PERMITTED', refusal(access)));
  }
  if ((access === 'chair' || access === 'chair_or_coordinator') && !runsMeeting(principal, meeting))
    return err(appError('NOT_PERMITTED', refusal(access)));
  const forChair =
    access === 'chair' || access === 'chair_or_coordinator' ? forChairDetails(principal, meeting) : undefined;
  return ok({ meeting, caseRecord: c.value, actor: actorOf(principal), ...(forChair ? { forChair } : {}) });
}

export const CHAIR_ONLY = "Only the meeting's chair can do that.";

function refusal(access: Access): string {
  switch (access) {
    case 'chair':
    case 'chair_or_coordinator':
      return CHAIR_ONLY;
    case 'contribute':
      return 'Your role does not allow you to contribute to meetings.';
    case 'read':
      return 'Your role does not allow you to read meeting records.';
  }
}

const MAX_ATTEMPTS = 5;

/**
 * Applies a pure step to the meeting's running record and writes it conditional on the version read.
 * Another person's write in between is not an error: the step is applied again to what they saved, so
 * two people recording attendance at once both land. The step itself refuses what no longer applies
 * (a stale turn), and a round move is also written conditional on the turn it was decided on.
 */
export async function changeRun(
  deps: MeetingDeps,
  meeting: Meeting,
  actor: RequestActor,
  step: (run: MeetingRun, m: Meeting) => { ok: true; run: MeetingRun } | { ok: false; error: RunError },
  opts: {
    readonly action?: MeetingUpdateAction;
    readonly atTurn?: number;
    readonly forChair?: { readonly onBehalfOfChair: true } | undefined;
  } = {},
): Promise<
  Result<
    Meeting,
    MeetingError | (AppError<'ILLEGAL_TRANSITION'> & { readonly runError: RunError; readonly meeting: Meeting })
  >
> {
  let current = meeting;
  for (let attempt = 0; ; attempt += 1) {
    if (current.status !== 'in_progress' || !current.run)
      return err(
        appError(
          'ILLEGAL_TRANSITION',
          current.status === 'held' ? 'The meeting has ended.' : 'The meeting has not started: use start meeting.',
        ),
      );
    const next = step(current.run, current);
    if (!next.ok)
      return err({ ...appError('ILLEGAL_TRANSITION', next.error.message), runError: next.error, meeting: current });
    const ctx = {
      by: actor,
      action: opts.action ?? ('meeting.run_updated' as const),
      ...(opts.forChair ? { details: opts.forChair } : {}),
    };
    const saved =
      opts.atTurn === undefined
        ? await deps.meetings.update(current.id, current.version, { run: next.run }, ctx)
        : await deps.meetings.updateAtTurn(current.id, current.version, opts.atTurn, { run: next.run }, ctx);
    if (saved.ok) return saved;
    if (saved.error.code !== 'VERSION_CONFLICT' || attempt + 1 >= MAX_ATTEMPTS) return err(saved.error);
    const again = await deps.meetings.get(current.id);
    if (!again.ok) return err(again.error);
    current = again.value;
  }
}
