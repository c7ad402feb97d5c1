import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { membersCard } from './member.cards';

/** `members`: the area's members with their agencies and roles. */
export const membersCommand: CommandHandler = async (h) => {
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(await membersCard(h))));
};
