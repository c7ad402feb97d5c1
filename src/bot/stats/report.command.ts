import { MessageFactory } from 'botbuilder';
import { parsePeriod } from '../../app/stats';
import { ukDateOf } from '../../domain/dates';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { reportCard } from './report.card';

/** `report [from] [to]`: the area's statistics card, for co-ordinators in personal chat. */
export const reportCommand: CommandHandler = async (h, args) => {
  const deps = h.deps.stats;
  if (!deps) {
    await h.turn.sendActivity('Statistics are not set up in this deployment.');
    return;
  }
  const period = parsePeriod(args, ukDateOf(deps.run.clock.now()));
  if (!period.ok) {
    await h.turn.sendActivity(`${period.error.message} You typed: report ${args.slice(0, 60)}`);
    return;
  }
  const card = await reportCard(h, deps, period.value);
  await h.turn.sendActivity(typeof card === 'string' ? card : MessageFactory.attachment(cardAttachment(card)));
};
