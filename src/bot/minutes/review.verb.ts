import type { ExecuteHandler } from '../capability';
import { isPersonal } from '../meetings/find-meeting';
import { logFailure } from '../notifications/log-failure';
import { minutesAnswer } from './minutes.card';
import { openForReview, reviewCardOf } from './review.card';

/**
 * The chair's review. In personal chat, the review card. From the shared card, the review goes to
 * the chair's personal chat (section text never goes to the shared conversation) and the click is
 * answered with the card as this reader sees it, saying where the review went.
 */
export const reviewVerb: ExecuteHandler<{ minutesId: string }> = async (h, p) => {
  const opened = await openForReview(h, p.minutesId);
  if (!opened.ok) return opened.card;
  const card = reviewCardOf(h, opened.view);
  if (isPersonal(h)) return card;
  const chat = await h.deps.conversations.personalChatOf(h.principal.tenantId, h.principal.aadObjectId);
  if (chat) {
    try {
      await h.deps.minutes.messenger.sendPersonal(chat, card, 'the minutes review');
      return minutesAnswer(h, p.minutesId, {
        notice: 'The minutes are in your personal chat with the bot for review.',
      });
    } catch (e) {
      logFailure(h.deps.logger, e, 'could not send the minutes review');
    }
  }
  return minutesAnswer(h, p.minutesId, {
    notice: `Open your personal chat with the bot and type minutes ${opened.view.caseRef} to review them.`,
  });
};
