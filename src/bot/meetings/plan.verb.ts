import { addPlanAction } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { runStep } from './outcome';

/** The chair adds an agreed action under a pillar or contingency (the same action twice is kept once). */
export const planVerb: ExecuteHandler<MeetingFormPayload> = (h, p) =>
  runStep(h, p, 'plan', 'Action added to the plan.', () =>
    addPlanAction(h.deps.meetings.run, h.principal, p.meetingId, p.form),
  );
