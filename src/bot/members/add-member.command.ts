import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { addForm } from './member.cards';

/** `add member`: the form; the card's Add button does the work (`member.add`). */
export const addMemberCommand: CommandHandler = async (h) => {
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(await addForm(h))));
};
