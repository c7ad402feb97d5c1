import { refuseExtension } from '../../app/actions';
import type { ExecuteHandler } from '../capability';
import type { ActionFormPayload } from './catalogue';
import { extensionCard } from './cards';
import { afterDecision } from './decide';
import { runUpdate } from './run-update';

/** "Refuse the extension": the due date stays; the reason is required and goes to the owner. */
export const refuseVerb: ExecuteHandler<ActionFormPayload> = (h, p) =>
  runUpdate(h, p, refuseExtension, extensionCard(h), (o) => afterDecision(h, o));
