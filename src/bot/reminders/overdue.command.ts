import { MessageFactory } from 'botbuilder';
import { overdueReport } from '../../app/reminders';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';
import { overdueCardData } from './cards';

/** `overdue` (co-ordinators, personal chat): every overdue action and late deadline, by agency. */
export const overdueCommand: CommandHandler = async (h) => {
  let res;
  try {
    res = await overdueReport(h.deps.reminders.run, h.principal);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not list overdue work');
    await h.turn.sendActivity('That did not go through: the database did not answer. Please try again in a moment.');
    return;
  }
  if (!res.ok) {
    await h.turn.sendActivity(res.error.message);
    return;
  }
  const card = h.card('reminders', overdueCardData(h.deps.areaName, res.value.groups, res.value.total));
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
};
