import { giveClosingView } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { stepOutcome } from './outcome';

/** A present agency's view on level and category in the closing round. */
export const viewVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) =>
  stepOutcome(
    h,
    p,
    await giveClosingView(h.deps.meetings.run, h.principal, p.meetingId, p.form),
    'view',
    "Your agency's view is recorded.",
  );
