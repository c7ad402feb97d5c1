import { reviewPreviousAction } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { stepOutcome } from './outcome';

/** The owning agency or the chair marks one of last meeting's actions done / in progress / not done. */
export const actionReviewVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) =>
  stepOutcome(
    h,
    p,
    await reviewPreviousAction(h.deps.meetings.run, h.principal, p.meetingId, p.form),
    'actions',
    'Previous action reviewed.',
  );
