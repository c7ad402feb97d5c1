import { giveClosingView } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { runStep } from './outcome';

/** A present agency's view on level and category in the closing round. */
export const viewVerb: ExecuteHandler<MeetingFormPayload> = (h, p) =>
  runStep(h, p, 'view', "Your agency's view is recorded.", () =>
    giveClosingView(h.deps.meetings.run, h.principal, p.meetingId, p.form),
  );
