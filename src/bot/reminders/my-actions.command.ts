import { MessageFactory } from 'botbuilder';
import type { ActionView } from '../../app/actions';
import { myActions } from '../../app/reminders';
import { actionCardData } from '../actions/action.card';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';

/**
 * `my actions` (personal chat): the caller's open actions, soonest first, each as its own card with its
 * buttons; then, apart, their agency's open actions that name no owner.
 */
export const myActionsCommand: CommandHandler = async (h) => {
  let mine;
  try {
    mine = await myActions(h.deps.reminders.run, h.principal);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not list my actions');
    await h.turn.sendActivity('That did not go through: the database did not answer. Please try again in a moment.');
    return;
  }
  const cards = (views: readonly ActionView[]) =>
    MessageFactory.carousel(views.map((v) => cardAttachment(h.card('action', actionCardData(v)))));
  const own = mine.views.length + mine.more;
  const more = mine.more > 0 ? ` The ${mine.more} due later are not shown; close these first.` : '';
  // Kept apart from their own: nobody is named on these, so everyone in the agency is reminded of them.
  const u = mine.unowned;
  const shared = u ? u.views.length + u.more : 0;
  await h.turn.sendActivity(
    own > 0
      ? `You have ${own} open action${own === 1 ? '' : 's'}, soonest due first.${more}`
      : shared > 0
        ? 'You have no open actions of your own.'
        : 'You have no open actions.',
  );
  if (mine.views.length > 0) await h.turn.sendActivity(cards(mine.views));
  if (u && shared > 0) {
    const later = u.more > 0 ? ` The ${u.more} due later are not shown.` : '';
    // Said only when true for this reader: updating also needs a role that may update actions.
    const who = u.views.some((v) => v.mayUpdate)
      ? `: anyone in ${u.agencyName} may update ${shared === 1 ? 'it' : 'them'}`
      : '';
    await h.turn.sendActivity(
      `${u.agencyName} has ${shared} open action${shared === 1 ? '' : 's'} with no named owner, soonest due first${who}.${later}`,
    );
    if (u.views.length > 0) await h.turn.sendActivity(cards(u.views));
  }
};
