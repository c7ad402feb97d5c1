import type { Area } from '../../domain/area.schema';
import { Id } from '../../domain/common.schema';
import { upgradeMinutes, type Minutes } from '../../domain/minutes.schema';
import type { Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
// The meeting's access rule (invited agencies or the co-ordinator) is the minutes' rule: one source.
import {
  invitedAgencies,
  isCoordinator,
  loadArea,
  loadMeeting,
  runsMeeting,
  type Access,
  type MeetingDeps,
  type MeetingError,
} from '../meetings/shared';
import type { MinutesRepository } from '../ports/minutes-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import type { FieldErrors } from '../shared/field-errors';

/** The meeting use cases' dependencies plus the minutes store. */
export interface MinutesDeps extends MeetingDeps {
  readonly minutes: MinutesRepository;
}

export type MinutesError =
  | AppError<'NOT_PERMITTED' | 'NOT_FOUND' | 'ILLEGAL_TRANSITION' | 'ALREADY_DECIDED'>
  | (AppError<'VERSION_CONFLICT'> & { readonly current?: unknown; readonly typed?: unknown })
  | (AppError<'VALIDATION_FAILED'> & { readonly fieldErrors: FieldErrors });

export const minutesValidation = (fieldErrors: FieldErrors): MinutesError => ({
  ...appError('VALIDATION_FAILED', Object.values(fieldErrors).join(' ')),
  fieldErrors,
});

// One answer for "no such minutes" and "not yours to see", so an id reveals nothing.
export const minutesNotFound = (): MinutesError => appError('NOT_FOUND', 'Those minutes were not found.');

export interface LoadedMinutes {
  readonly minutes: Minutes;
  readonly caseRef: string;
  readonly actor: RequestActor;
  readonly area: Area;
  /** False for duty-to-co-operate readers: police-only text is withheld from them. */
  readonly readerHasVisorAccess: boolean;
  /** The meeting's chair or a co-ordinator: the people who edit a draft (and so may read it). */
  readonly mayEdit: boolean;
  /** The level the meeting was held at, for reading minutes stored in an older shape. */
  readonly heldLevel: Minutes['meetingDetails']['level'];
}

/** The minutes, if the caller may do `access` on their meeting (see `loadMeeting`). */
export async function loadMinutes(
  deps: MinutesDeps,
  principal: Principal,
  minutesId: string,
  access: Access,
): Promise<Result<LoadedMinutes, MinutesError>> {
  const id = Id.safeParse(minutesId);
  if (!id.success) return err(minutesNotFound());
  const found = await deps.minutes.get(id.data);
  if (!found.ok) return err(minutesNotFound());
  if (found.value.areaId !== deps.areaId) return err(await movedOrNotFound(deps, principal, found.value));
  const loaded = await loadMeeting(deps, principal, found.value.meetingId, access);
  if (!loaded.ok) return err(fromMeetingError(loaded.error));
  const area = await loadArea(deps);
  const reader = area.agencies.find((a) => a.id === principal.member?.agencyId);
  const heldLevel = loaded.value.meeting.level;
  return ok({
    minutes: upgradeMinutes(found.value, heldLevel),
    caseRef: loaded.value.caseRecord.ref,
    actor: loaded.value.actor,
    area,
    readerHasVisorAccess: reader?.visorAccess ?? false,
    mayEdit: runsMeeting(principal, loaded.value.meeting),
    heldLevel,
  });
}

/**
 * What someone who is not editing reads: while a correction is open (a new draft revision), the
 * latest approved revision, never the draft, with the draft's revision so they can be told a
 * correction is in progress. Otherwise the minutes as they stand.
 */
export async function readerCopy(
  deps: { readonly minutes: Pick<MinutesRepository, 'listVersions'> },
  m: Minutes,
  heldLevel: Minutes['meetingDetails']['level'],
): Promise<{ minutes: Minutes; correctionInProgress: number | null }> {
  if (m.status === 'approved' || m.correction === undefined) return { minutes: m, correctionInProgress: null };
  const approved = (await deps.minutes.listVersions(m.id)).filter((v) => v.status === 'approved').at(-1);
  if (!approved) return { minutes: m, correctionInProgress: null };
  return { minutes: upgradeMinutes(approved, heldLevel), correctionInProgress: m.revision };
}

export const CASE_MOVED = 'This case has moved to another MAPPA area; its minutes are with that area now.';

/**
 * Minutes now in another area: to someone of this area who was at the meeting (their agency was
 * invited, or a co-ordinator), an old card of a case transferred away says so, and nothing more (no
 * reference, no state). Anyone else gets the answer for minutes that do not exist.
 */
async function movedOrNotFound(deps: MinutesDeps, principal: Principal, m: Minutes): Promise<MinutesError> {
  const member = principal.member;
  if (!member?.active || member.areaId !== deps.areaId) return minutesNotFound();
  const [c, meeting] = await Promise.all([deps.cases.get(m.caseId), deps.meetings.get(m.meetingId)]);
  if (!c.ok || !meeting.ok || !(c.value.movedFrom ?? []).includes(deps.areaId)) return minutesNotFound();
  const wasThere = isCoordinator(principal) || invitedAgencies(meeting.value).includes(member.agencyId);
  return wasThere ? appError('NOT_FOUND', CASE_MOVED) : minutesNotFound();
}

// loadMeeting refuses only with NOT_FOUND or NOT_PERMITTED; both keep their answer.
const fromMeetingError = (e: MeetingError): MinutesError =>
  e.code === 'NOT_PERMITTED' ? appError('NOT_PERMITTED', e.message) : minutesNotFound();

export const agencyNamesOf = (area: Area): Record<string, string> =>
  Object.fromEntries(area.agencies.map((a) => [a.id, a.name]));

/** Appends 'minutes.viewed' (ids and flags only) before minutes content is handed to anyone. */
export async function auditMinutesRead(
  deps: Pick<MinutesDeps, 'audit'>,
  actor: RequestActor,
  m: Minutes,
  details: Readonly<Record<string, string | number | boolean>>,
): Promise<void> {
  await deps.audit.append({
    tenantId: actor.tenantId,
    areaId: m.areaId,
    actorAadObjectId: actor.aadObjectId,
    action: 'minutes.viewed',
    entity: { type: 'minutes', id: m.id },
    outcome: 'success',
    details: { caseId: m.caseId, revision: m.revision, ...details },
  });
}
