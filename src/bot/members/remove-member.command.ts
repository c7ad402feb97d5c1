import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { pickForm } from './member.cards';

/** `remove member`: the pick form; the card's Remove button does the work (`member.remove`). */
export const removeMemberCommand: CommandHandler = async (h) => {
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(await pickForm(h, 'member.remove'))));
};
