import { endMeeting } from '../../app/meetings';
import type { CommandHandler } from '../capability';
import { endedText } from './end.verb';
import { meetingFromArgs, NO_MEETING } from './find-meeting';
import { updateMeetingCard } from './shared-card';
import { postMinutesCard } from '../minutes';
import { minutesSummary } from '../../app/minutes';
import { statusLine } from '../minutes/minutes.card';
import type { HandlerContext } from '../handler-context';

/**
 * Said only to someone the use case let through (the chair or co-ordinator): where the minutes of the
 * ended meeting stand and how to open them. Anyone else got the unknown-reference answer before this.
 */
async function alreadyEnded(h: HandlerContext, meetingId: string): Promise<string> {
  const s = await minutesSummary(h.deps.minutes.run, meetingId);
  if (!s) return 'This meeting has already ended (minutes: not drafted yet). Nothing was changed.';
  return (
    `This meeting has already ended (minutes: ${statusLine(s)}). Nothing was changed. ` +
    `Type **minutes ${s.caseRef}** in our personal chat to open them.`
  );
}

/** `end meeting` and the case reference: closes the record, or lists what is still missing. */
export const endMeetingCommand: CommandHandler = async (h, args) => {
  const meetingId = await meetingFromArgs(h, args, 'end meeting', { bound: true, orLastHeld: true });
  if (!meetingId) return;
  const res = await endMeeting(h.deps.meetings.run, h.principal, meetingId);
  if (!res.ok && res.error.code === 'NOT_FOUND') {
    await h.turn.sendActivity(NO_MEETING);
    return;
  }
  if (res.ok && !res.value.alreadyEnded) await updateMeetingCard(h, meetingId);
  if (res.ok && !res.value.alreadyEnded) await postMinutesCard(h, meetingId);
  if (res.ok && res.value.alreadyEnded) {
    await h.turn.sendActivity(await alreadyEnded(h, meetingId));
    return;
  }
  await h.turn.sendActivity(endedText(res).text);
};
