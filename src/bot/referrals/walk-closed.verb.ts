import type { SubmitHandler } from '../capability';
import type { FromCard } from './dialog/referral.dialog';
import { REFERRAL_DIALOG_ID } from './dialog/walk';

/**
 * A walk card's button (answer, edit, submit, save) reaches the router only when no referral walk is
 * open in this chat: the walk ended (save, cancel, submit, a restart). The walk is begun with the
 * card, so its answers are saved and the walk carries on from it, an old Submit is answered with what
 * became of the referral, and a card for a referral that is gone says so.
 */
export const walkClosed: SubmitHandler = async (h) => {
  const value: unknown = h.turn.activity.value;
  const card = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  await h.beginDialog(REFERRAL_DIALOG_ID, { card } satisfies FromCard);
};
