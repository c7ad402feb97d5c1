import { startMeeting } from '../../app/meetings';
import type { CommandHandler } from '../capability';
import { isPersonal, meetingFromArgs, NO_MEETING } from './find-meeting';
import { postMeetingCard } from './shared-card';

/** "minute-taker" (or "minute taker", with or without a colon) and a name, after the case reference. */
const MINUTE_TAKER = /\bminute[\s-]?taker\s*:?\s*/i;

/** The typed words split into the case reference and, if the chair named one, the minute-taker. */
export function startMeetingArgs(args: string): { readonly ref: string; readonly minuteTaker?: string } {
  const m = MINUTE_TAKER.exec(args);
  if (!m) return { ref: args };
  const minuteTaker = args.slice(m.index + m[0].length).trim();
  return { ref: args.slice(0, m.index).trim(), ...(minuteTaker ? { minuteTaker } : {}) };
}

/**
 * `start meeting` and the case reference (optionally `minute-taker: <name>` after it), typed by the chair (or the co-ordinator for the chair) in
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
  const { ref, minuteTaker } = startMeetingArgs(args);
  const meetingId = await meetingFromArgs(h, ref, 'start meeting', { bound: false });
  if (!meetingId) return;
  const res = await startMeeting(h.deps.meetings.run, h.principal, meetingId, {
    conversationId: h.turn.activity.conversation.id,
    ...(minuteTaker ? { minuteTaker } : {}),
  });
  if (!res.ok) {
    await h.turn.sendActivity(res.error.code === 'NOT_FOUND' ? NO_MEETING : res.error.message);
    return;
  }
  await postMeetingCard(h, meetingId);
};
