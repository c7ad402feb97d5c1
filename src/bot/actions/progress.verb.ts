import { recordProgress } from '../../app/actions';
import type { ExecuteHandler } from '../capability';
import type { ActionFormPayload } from './catalogue';
import { actionCard } from './cards';
import { runUpdate } from './run-update';

/** "Save progress note": the note is kept and the action marked in progress. */
export const progressVerb: ExecuteHandler<ActionFormPayload> = (h, p) =>
  runUpdate(h, p, recordProgress, actionCard(h), () => Promise.resolve('Progress note saved.'));
