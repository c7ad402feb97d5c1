import { recordRisk } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { runStep } from './outcome';

/** The chair records the risk of serious harm: level, and to whom. */
export const riskVerb: ExecuteHandler<MeetingFormPayload> = (h, p) =>
  runStep(h, p, 'risk', 'Risk of serious harm recorded.', () =>
    recordRisk(h.deps.meetings.run, h.principal, p.meetingId, p.form),
  );
