import { MessageFactory } from 'botbuilder';
import { findCase } from '../../app/find';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';

/** One answer for "no such case" and "a case you may not see", so a search reveals nothing. */
export const NO_MATCH = 'No case you can see matches that search.';

/**
 * `find` (personal chat): cases matching an identifier, within the searcher's need-to-know. A bad
 * format is answered with the format expected; what was typed stays in the chat above.
 */
export const findCommand: CommandHandler = async (h, args) => {
  let res;
  try {
    res = await findCase(h.deps.find, h.principal, args);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not search for a case');
    await h.turn.sendActivity('That did not go through: the database did not answer. Please try again in a moment.');
    return;
  }
  if (!res.ok) {
    await h.turn.sendActivity(res.error.message);
    return;
  }
  const { cases, more } = res.value;
  if (cases.length === 0) {
    await h.turn.sendActivity(NO_MATCH);
    return;
  }
  const card = h.card('find-results', {
    statusLine:
      cases.length === 1
        ? '1 case you can see matches this search'
        : `${cases.length} cases you can see match this search`,
    cases: [...cases],
    moreText: more ? `Only the ${cases.length} newest are listed: search by case reference to narrow it down.` : '',
  });
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
};
