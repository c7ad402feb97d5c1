import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';

/** `erase <case ref>`: the confirmation card; nothing is erased until it is submitted. */
export const eraseCommand: CommandHandler = async (h, args) => {
  const caseRef = args.trim().toUpperCase().slice(0, 40);
  if (!caseRef) {
    await h.turn.sendActivity('Which case? Type **erase** followed by the case reference.');
    return;
  }
  const card = h.card('erase-confirm', { caseRef, formError: '', values: { confirmation: '', forceReason: '' } });
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
};
