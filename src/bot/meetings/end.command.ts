import { endMeeting } from '../../app/meetings';
import type { CommandHandler } from '../capability';
import { endedText } from './end.verb';
import { meetingFromArgs, NO_MEETING } from './find-meeting';
import { updateMeetingCard } from './shared-card';
import { postMinutesCard } from '../minutes';

/** `end meeting` and the case reference: closes the record, or lists what is still missing. */
export const endMeetingCommand: CommandHandler = async (h, args) => {
  const meetingId = await meetingFromArgs(h, args, 'end meeting');
  if (!meetingId) return;
  const res = await endMeeting(h.deps.meetings.run, h.principal, meetingId);
  if (!res.ok && res.error.code === 'NOT_FOUND') {
    await h.turn.sendActivity(NO_MEETING);
    return;
  }
  if (res.ok && !res.value.alreadyEnded) await updateMeetingCard(h, meetingId);
  if (res.ok && !res.value.alreadyEnded) await postMinutesCard(h, meetingId);
  await h.turn.sendActivity(endedText(res).text);
};
