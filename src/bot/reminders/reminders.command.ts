import { MessageFactory } from 'botbuilder';
import { remindersReport } from '../../app/reminders';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';
import { remindersCardData } from './cards';

/** `reminders` (co-ordinators, personal chat): due to go out, sent, and not delivered. */
export const remindersCommand: CommandHandler = async (h) => {
  let res;
  try {
    res = await remindersReport(h.deps.reminders.run, h.principal);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not list reminders');
    await h.turn.sendActivity('That did not go through: the database did not answer. Please try again in a moment.');
    return;
  }
  if (!res.ok) {
    await h.turn.sendActivity(res.error.message);
    return;
  }
  await h.turn.sendActivity(
    MessageFactory.attachment(cardAttachment(h.card('reminders', remindersCardData(res.value)))),
  );
};
