import { recordAttendance } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { stepOutcome } from './outcome';

/** A member marks their agency present; the chair records any agency's attendance. */
export const attendanceVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) =>
  stepOutcome(
    h,
    p,
    await recordAttendance(h.deps.meetings.run, h.principal, p.meetingId, p.form),
    'attendance',
    'Attendance recorded.',
  );
