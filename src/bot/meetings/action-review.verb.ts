import { reviewPreviousAction } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { runStep } from './outcome';

/** The owning agency or the chair marks one of last meeting's actions done / in progress / not done. */
export const actionReviewVerb: ExecuteHandler<MeetingFormPayload> = (h, p) =>
  runStep(
    h,
    p,
    'actions',
    (reviewed) => reviewed.notice,
    () => reviewPreviousAction(h.deps.meetings.run, h.principal, p.meetingId, p.form),
  );
