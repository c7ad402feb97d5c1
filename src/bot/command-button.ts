import type { Activity } from 'botbuilder';
import { z } from 'zod';

/**
 * A button that stands for a typed command ("Start the MAPPA A referral" sends `refer new …`): an
 * Action.Submit whose data is `{ command }`. Teams' own `msteams.imBack` does the same in Teams, but
 * other hosts (the Agents Playground) drop it; plain Action.Submit data works everywhere.
 */
export const CommandButtonData = z.strictObject({ command: z.string().trim().min(1).max(300) });

/**
 * Turns a command button's click into the command as if typed, before anything reads the turn, so the
 * router's role, enrolment and personal-chat checks (and an open referral walk) treat it exactly as
 * typed text. Anything else is left alone.
 */
export function readCommandButton(activity: Partial<Activity>): void {
  // Runs before the router checks the activity's shape, so it reads nothing it has not checked itself.
  const text: unknown = activity.text;
  if (activity.type !== 'message' || (text !== undefined && text !== null && text !== '')) return;
  const button = CommandButtonData.safeParse(activity.value);
  if (!button.success) return;
  activity.text = button.data.command;
  activity.value = undefined;
}
