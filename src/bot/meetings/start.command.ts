import { startMeeting } from '../../app/meetings';
import type { CommandHandler } from '../capability';
import { isPersonal, meetingFromArgs, NO_MEETING } from './find-meeting';
import { postMeetingCard } from './shared-card';

/**
 * `start meeting` and the case reference, typed by the chair (or the co-ordinator for the chair) in
 * the conversation the meeting runs in: binds the meeting to it and posts the one shared card there.
 * Typed again, it posts the card afresh (later steps then update the newest copy).
 */
export const startMeetingCommand: CommandHandler = async (h, args) => {
  if (isPersonal(h)) {
    await h.turn.sendActivity(
      'Type **start meeting** and the case reference in the meeting chat, group chat or channel where the meeting is held, mentioning me.',
    );
    return;
  }
  const meetingId = await meetingFromArgs(h, args, 'start meeting', { bound: false });
  if (!meetingId) return;
  const res = await startMeeting(h.deps.meetings.run, h.principal, meetingId, {
    conversationId: h.turn.activity.conversation.id,
  });
  if (!res.ok) {
    await h.turn.sendActivity(res.error.code === 'NOT_FOUND' ? NO_MEETING : res.error.message);
    return;
  }
  await postMeetingCard(h, meetingId);
};
