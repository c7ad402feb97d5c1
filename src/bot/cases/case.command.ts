import { MessageFactory } from 'botbuilder';
import { viewCase } from '../../app/actions';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';
import { caseCardData } from './case.card';

const ASK = 'Which case? Type case and the case reference, for example case MAPPA-2026-0042.';

/**
 * `case` and a reference (personal chat): where the case stands. A case that does not exist and one
 * the caller may not see get the same words, so a reference reveals nothing.
 */
export const caseCommand: CommandHandler = async (h, args) => {
  if (!args) {
    await h.turn.sendActivity(ASK);
    return;
  }
  let res;
  try {
    res = await viewCase(h.deps.actions.run, h.principal, args);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not open a case view');
    await h.turn.sendActivity('That did not go through: the database did not answer. Please try again in a moment.');
    return;
  }
  if (!res.ok) {
    await h.turn.sendActivity(res.error.code === 'VALIDATION_FAILED' ? ASK : res.error.message);
    return;
  }
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(h.card('case', caseCardData(res.value)))));
};
