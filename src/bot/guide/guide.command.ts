import { MessageFactory } from 'botbuilder';
import { answerGuide } from '../../app/guide';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';
import { guideCardData } from './guide.card';

/**
 * `guide` (anywhere, for everyone enrolled): the topics, a topic, or a question matched to one. The
 * answer holds nothing about any case, so it may go to a channel or group chat as well.
 */
export const guideCommand: CommandHandler = async (h, args) => {
  let reply;
  try {
    reply = await answerGuide(h.deps.guide, args);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not answer guide');
    await h.turn.sendActivity('That did not go through: the database did not answer. Please try again in a moment.');
    return;
  }
  await h.turn.sendActivity(
    MessageFactory.attachment(cardAttachment(h.card('guide', guideCardData(reply, h.deps.areaName)))),
  );
};
