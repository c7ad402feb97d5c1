import { meetingIdForCase } from '../../app/meetings';
import type { HandlerContext } from '../handler-context';

/** The same words whether the case does not exist, has no meeting, or is not this person's to see. */
export const NO_MEETING =
  'I cannot find a meeting for that case reference that you are part of. Check the reference (for example MAPPA-2026-0042).';

/** The meeting a command names by its case reference, or null (the reply then says so, once). */
export async function meetingFromArgs(h: HandlerContext, args: string, command: string): Promise<string | null> {
  if (!args.trim()) {
    await h.turn.sendActivity(`Type ${command} and the case reference, for example **${command} MAPPA-2026-0042**.`);
    return null;
  }
  const id = await meetingIdForCase(h.deps.meetings.run, args);
  if (!id) await h.turn.sendActivity(NO_MEETING);
  return id;
}

export const isPersonal = (h: HandlerContext) =>
  (h.turn.activity.conversation?.conversationType ?? 'personal') === 'personal';
