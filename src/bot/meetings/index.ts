import type { CapabilityHandlers } from '../capability';
import { actionReviewVerb } from './action-review.verb';
import { attendanceVerb } from './attendance.verb';
import { MEETING_CATALOGUE } from './catalogue';
import { decisionVerb } from './decision.verb';
import { endMeetingCommand } from './end.command';
import { endVerb } from './end.verb';
import { formVerb } from './form.verb';
import { meetingCommand } from './meeting.command';
import { planVerb } from './plan.verb';
import { refreshVerb, refreshView } from './refresh.verb';
import { chairOnlyRefused } from './refused';
import { riskVerb } from './risk.verb';
import { roundMoveVerb } from './round-move.verb';
import { roundOpenVerb } from './round-open.verb';
import { startMeetingCommand } from './start.command';
import { updateOpenVerb } from './update-open.verb';
import { updateSaveVerb } from './update-save.verb';
import { viewVerb } from './view.verb';

export const meetings = {
  commands: {
    'start meeting': { run: startMeetingCommand },
    meeting: { run: meetingCommand },
    'end meeting': { run: endMeetingCommand },
  },
  verbs: {
    'meeting.refresh': { execute: refreshVerb, view: refreshView },
    'meeting.form': { execute: formVerb },
    'meeting.attendance': { execute: attendanceVerb },
    'meeting.actionReview': { execute: actionReviewVerb },
    'meeting.round.open': { execute: roundOpenVerb, refused: chairOnlyRefused },
    'meeting.round.move': { execute: roundMoveVerb, refused: chairOnlyRefused },
    'meeting.update.open': { execute: updateOpenVerb },
    'meeting.update.save': { execute: updateSaveVerb },
    'meeting.risk': { execute: riskVerb, refused: chairOnlyRefused },
    'meeting.plan': { execute: planVerb, refused: chairOnlyRefused },
    'meeting.view': { execute: viewVerb },
    'meeting.decision': { execute: decisionVerb, refused: chairOnlyRefused },
    'meeting.end': { execute: endVerb, refused: chairOnlyRefused },
  },
} satisfies CapabilityHandlers<typeof MEETING_CATALOGUE>;
