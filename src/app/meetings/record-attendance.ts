import { z } from 'zod';
import type { Meeting } from '../../domain/meeting.schema';
import { recordAttendance as applyAttendance } from '../../domain/meeting-run';
import type { Principal } from '../../domain/policy';
import { err, type Result } from '../../lib/result';
import {
  changeRun,
  fieldErrorsOf,
  forChairDetails,
  invitedAgencies,
  loadMeeting,
  runsMeeting,
  validation,
} from './shared';
import type { MeetingDeps, MeetingError } from './shared';

export const AttendanceInput = z.object({
  agencyId: z.string().trim().min(1, 'Choose the agency.'),
  status: z.enum(['present', 'apologies', 'substitute', 'report_sent'], {
    error: 'Choose present, apologies, substitute or report sent.',
  }),
  substituteName: z.string().trim().max(200, 'Keep the name under 200 characters.').optional(),
});

/**
 * An invitee marks their own agency present; the chair records any agency's attendance (present,
 * apologies, substitute, report sent).
 */
export async function recordAttendance(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<Meeting, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'contribute');
  if (!loaded.ok) return loaded;
  const { meeting, actor } = loaded.value;
  const parsed = AttendanceInput.safeParse(raw);
  if (!parsed.success) return err(validation(fieldErrorsOf(parsed.error)));
  const input = parsed.data;
  if (!invitedAgencies(meeting).includes(input.agencyId))
    return err(validation({ agencyId: 'That agency was not invited to this meeting.' }));
  const chair = runsMeeting(principal, meeting);
  if (!chair && (input.agencyId !== principal.member?.agencyId || input.status !== 'present'))
    return err(
      validation({ status: "You can mark your own agency present; the chair records everyone else's attendance." }),
    );
  if (input.status === 'substitute' && !input.substituteName)
    return err(validation({ substituteName: 'Name the substitute.' }));
  const own = input.agencyId === principal.member?.agencyId && input.status === 'present';
  const by = { aadObjectId: actor.aadObjectId, displayName: actor.displayName };
  return changeRun(
    deps,
    meeting,
    actor,
    (run) =>
      applyAttendance(run, {
        agencyId: input.agencyId,
        status: input.status,
        ...(input.status === 'substitute' && input.substituteName ? { substituteName: input.substituteName } : {}),
        recordedBy: by,
      }),
    { forChair: own ? undefined : forChairDetails(principal, meeting) },
  );
}
