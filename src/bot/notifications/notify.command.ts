import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { notificationFormCard } from './notification-form.card';

/** `notify`: the notification form, with a draft id that makes a double submit harmless. */
export const notifyCommand: CommandHandler = async (h) => {
  const card = await notificationFormCard(h, {}, {}, '');
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
};
