import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { pickForm } from './member.cards';

/** `set role`: the pick form; the card's Save roles button does the work (`member.setRoles`). */
export const setRoleCommand: CommandHandler = async (h) => {
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(await pickForm(h, 'member.setRoles'))));
};
