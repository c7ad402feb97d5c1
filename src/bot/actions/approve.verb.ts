import { approveExtension } from '../../app/actions';
import type { ExecuteHandler } from '../capability';
import type { ActionFormPayload } from './catalogue';
import { extensionCard } from './cards';
import { afterDecision } from './decide';
import { runUpdate } from './run-update';

/** "Approve the new date": the co-ordinator moves the due date to the date on the card. */
export const approveVerb: ExecuteHandler<ActionFormPayload> = (h, p) =>
  runUpdate(h, p, approveExtension, extensionCard(h), (o) => afterDecision(h, o));
