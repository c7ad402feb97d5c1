import { meetingIdForCase, meetingIdForConversation } from '../../app/meetings';
import type { HandlerContext } from '../handler-context';

/** The same words whether the case does not exist, has no meeting, or is not this person's to see. */
export const NO_MEETING =
  'I cannot find a meeting for that case reference that you are part of. Check the reference (for example MAPPA-2026-0042).';

/**
 * The meeting a command names by its case reference, or, typed without one in the conversation a
 * meeting was started in, that meeting; null when there is none (the reply then says so, once).
 */
export async function meetingFromArgs(
  h: HandlerContext,
  args: string,
  command: string,
  opts: { readonly bound: boolean; readonly orLastHeld?: boolean } = { bound: true },
): Promise<string | null> {
  const example = `**${command} MAPPA-2026-0042**`;
  if (!args.trim()) {
    if (!opts.bound) {
      await h.turn.sendActivity(`Type ${command} and the case reference, for example ${example}.`);
      return null;
    }
    if (isPersonal(h)) {
      await h.turn.sendActivity(
        `Here in our chat I need the case: type ${command} and the case reference, for example ${example}. In the meeting's own chat, ${command} alone is enough.`,
      );
      return null;
    }
    const bound = await meetingIdForConversation(h.deps.meetings.run, h.turn.activity.conversation.id);
    if (!bound)
      await h.turn.sendActivity(
        `No meeting has been started in this conversation. Type ${command} and the case reference, for example ${example}.`,
      );
    return bound;
  }
  const id = await meetingIdForCase(h.deps.meetings.run, args, { orLastHeld: opts.orLastHeld === true });
  if (!id) await h.turn.sendActivity(NO_MEETING);
  return id;
}

/**
 * A click on a meeting card the clicker can see but is not part of (their agency was not invited, or
 * the meeting is gone): true, and the same either way, so it says nothing about the meeting or case.
 */
export const NOT_INVITED = 'Only members of the agencies invited to this meeting can do that.';

export const isPersonal = (h: HandlerContext) =>
  (h.turn.activity.conversation?.conversationType ?? 'personal') === 'personal';
