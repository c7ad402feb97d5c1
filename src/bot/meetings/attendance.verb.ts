import { recordAttendance } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import { meetingParticipantRole, teamsMeetingIdOf } from '../meeting-events';
import type { MeetingFormPayload } from './catalogue';
import { runStep } from './outcome';
import { meetingAnswer } from './shared-card';

export const JOIN_FIRST =
  'Nothing was changed: Teams does not list you in this meeting yet. Join the meeting first, then press again.';

/**
 * A member marks their agency present; the chair records any agency's attendance on the form. In a
 * Teams meeting's chat, "Mark my agency present" counts only from someone Teams lists in the meeting
 * (being in the chat is not attending); in a group chat or channel thread there is no call to check.
 */
export const attendanceVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) => {
  const selfMarked = p.form.form !== 'attendance';
  if (selfMarked && teamsMeetingIdOf(h.turn.activity) && (await meetingParticipantRole(h)) === null)
    return meetingAnswer(h, p.meetingId, { notice: JOIN_FIRST });
  return runStep(h, p, 'attendance', 'Attendance recorded.', () =>
    recordAttendance(h.deps.meetings.run, h.principal, p.meetingId, p.form),
  );
};
