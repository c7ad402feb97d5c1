import { addPlanAction } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { stepOutcome } from './outcome';

/** The chair adds an agreed action under a pillar or contingency (the same action twice is kept once). */
export const planVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) =>
  stepOutcome(
    h,
    p,
    await addPlanAction(h.deps.meetings.run, h.principal, p.meetingId, p.form),
    'plan',
    'Action added to the plan.',
  );
