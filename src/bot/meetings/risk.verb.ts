import { recordRisk } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { stepOutcome } from './outcome';

/** The chair records the risk of serious harm: level, and to whom. */
export const riskVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) =>
  stepOutcome(
    h,
    p,
    await recordRisk(h.deps.meetings.run, h.principal, p.meetingId, p.form),
    'risk',
    'Risk of serious harm recorded.',
  );
