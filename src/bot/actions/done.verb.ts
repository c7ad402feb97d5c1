import { markDone } from '../../app/actions';
import type { ExecuteHandler } from '../capability';
import type { ActionFormPayload } from './catalogue';
import { actionCard } from './cards';
import { runUpdate } from './run-update';

/** "Mark done": closes the action with the note saying what was done. */
export const doneVerb: ExecuteHandler<ActionFormPayload> = (h, p) =>
  runUpdate(h, p, markDone, actionCard(h), () => Promise.resolve('Marked done. The next meeting will see your note.'));
