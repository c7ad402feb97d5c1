import { MessageFactory } from 'botbuilder';
import { myActions } from '../../app/reminders';
import { actionCardData } from '../actions/action.card';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';

/** `my actions` (personal chat): the caller's open actions, soonest first, each as its own card with its buttons. */
export const myActionsCommand: CommandHandler = async (h) => {
  let mine;
  try {
    mine = await myActions(h.deps.reminders.run, h.principal);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not list my actions');
    await h.turn.sendActivity('That did not go through: the database did not answer. Please try again in a moment.');
    return;
  }
  if (mine.views.length === 0) {
    await h.turn.sendActivity('You have no open actions.');
    return;
  }
  const more = mine.more > 0 ? ` The ${mine.more} due later are not shown; close these first.` : '';
  await h.turn.sendActivity(
    `You have ${mine.views.length + mine.more} open action${mine.views.length + mine.more === 1 ? '' : 's'}, soonest due first.${more}`,
  );
  await h.turn.sendActivity(
    MessageFactory.carousel(mine.views.map((v) => cardAttachment(h.card('action', actionCardData(v))))),
  );
};
