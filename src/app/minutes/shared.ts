import type { Area } from '../../domain/area.schema';
import { Id } from '../../domain/common.schema';
import type { Minutes } from '../../domain/minutes.schema';
import type { Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
// The meeting's access rule (invited agencies or the co-ordinator) is the minutes' rule: one source.
import { loadArea, loadMeeting, type Access, type MeetingDeps, type MeetingError } from '../meetings/shared';
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
  if (!found.ok || found.value.areaId !== deps.areaId) return err(minutesNotFound());
  const loaded = await loadMeeting(deps, principal, found.value.meetingId, access);
  if (!loaded.ok) return err(fromMeetingError(loaded.error));
  const area = await loadArea(deps);
  const reader = area.agencies.find((a) => a.id === principal.member?.agencyId);
  return ok({
    minutes: found.value,
    caseRef: loaded.value.caseRecord.ref,
    actor: loaded.value.actor,
    area,
    readerHasVisorAccess: reader?.visorAccess ?? false,
  });
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
