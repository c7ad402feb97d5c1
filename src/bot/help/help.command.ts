import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import type { OpenCommandHandler } from '../capability';
import { helpCard, isPersonal } from './help.card';

/** `help`, and the welcome card's Show help button. */
export const helpCommand: OpenCommandHandler = async (h) => {
  await h.turn.sendActivity(
    MessageFactory.attachment(cardAttachment(helpCard(h.card, h.principal, { personalChat: isPersonal(h.turn) }))),
  );
};
