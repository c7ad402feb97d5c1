import type { ExecuteHandler } from '../capability';
import { helpCard, isPersonal } from './help.card';

/** The help card in place of the one clicked. */
export const helpVerb: ExecuteHandler<unknown> = (h) =>
  Promise.resolve(helpCard(h.card, h.principal, { personalChat: isPersonal(h.turn) }));
