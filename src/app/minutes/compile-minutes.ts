import { compileMinutesDraft } from '../../domain/minutes-compile';
import type { Minutes } from '../../domain/minutes.schema';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { loadArea } from '../meetings/shared';
import { agencyNamesOf, minutesNotFound, type MinutesDeps, type MinutesError } from './shared';

/**
 * Draft minutes for a held meeting, compiled from its record. Idempotent: a meeting has one set of
 * minutes, so a repeated call (or two at once) returns the draft already there, edits and all.
 * Recorded as written by whoever ended the meeting, because that act is what produced them.
 */
export async function compileMinutes(
  deps: MinutesDeps,
  meetingId: string,
): Promise<Result<{ minutes: Minutes; created: boolean }, MinutesError>> {
  const existing = await deps.minutes.getForMeeting(meetingId);
  if (existing.ok) return ok({ minutes: existing.value, created: false });
  const found = await deps.meetings.get(meetingId);
  if (!found.ok || found.value.areaId !== deps.areaId) return err(minutesNotFound());
  const meeting = found.value;
  const endedBy = meeting.run?.endedBy;
  if (meeting.status !== 'held' || !endedBy)
    return err(appError('ILLEGAL_TRANSITION', 'Minutes are compiled once the meeting has ended.'));
  const c = await deps.cases.get(meeting.caseId);
  if (!c.ok) return err(minutesNotFound());
  const area = await loadArea(deps);
  const actions = await deps.actions.listForCase(meeting.caseId);
  const draft = compileMinutesDraft({
    meeting,
    caseRef: c.value.ref,
    caseCategory: c.value.category,
    updates: await deps.agencyUpdates.listForMeeting(meeting.id),
    actions,
    agencyNames: agencyNamesOf(area),
  });
  const started = await deps.minutes.startForMeeting(
    { ...draft, actionIds: actions.filter((a) => a.meetingId === meeting.id).map((a) => a.id) },
    { by: { ...endedBy, tenantId: area.tenantId } },
  );
  return ok(started);
}

/**
 * `end meeting`'s hook: best effort, because the meeting has ended whatever happens here. Without a
 * minutes store, or on any failure, there is simply no draft yet; `compileMinutes` makes it later.
 */
export async function draftMinutesAfterEnd(
  deps: Omit<MinutesDeps, 'minutes'> & { readonly minutes?: MinutesDeps['minutes'] },
  meetingId: string,
): Promise<void> {
  const { minutes } = deps;
  if (!minutes) return;
  try {
    await compileMinutes({ ...deps, minutes }, meetingId);
  } catch {
    // Deliberately swallowed: an outage here must not turn a completed close into an error.
  }
}
