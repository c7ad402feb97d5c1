import type { SubmitHandler } from '../capability';

/**
 * A review-card button (edit, submit, save, answer) reaches the router only when no referral walk is
 * open in this chat: the card is from a walk that has ended.
 */
export const walkClosed: SubmitHandler = async (h) => {
  await h.turn.sendActivity('That referral card is out of date. Type **refer** to carry on with your referral.');
};
