import { MessageFactory } from 'botbuilder';
import { viewCase } from '../../app/actions';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';
import { caseCardData, type PendingHandOver } from './case.card';

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
  const pending = await pendingHandOver(h, res.value.caseRecord.id, res.value.caseRecord.areaId);
  await h.turn.sendActivity(
    MessageFactory.attachment(cardAttachment(h.card('case', caseCardData(res.value, pending)))),
  );
};

/** A transfer of this case out of this area still waiting for an answer (or part-way accepted), if any. */
async function pendingHandOver(
  h: Parameters<CommandHandler>[0],
  caseId: string,
  areaId: string,
): Promise<PendingHandOver | null> {
  const bot = h.deps.transfer;
  if (!bot) return null;
  try {
    const t = await bot.use.transfers.findOpenForCase(caseId);
    if (!t || t.fromAreaId !== areaId) return null;
    const names = await bot.areaNames(t);
    return { toAreaName: names[t.toAreaId] ?? t.toAreaId, since: t.requestedAt };
  } catch (e) {
    // The case card still helps without this line; the failure is logged, not shown.
    logFailure(h.deps.logger, e, 'could not look up a pending transfer');
    return null;
  }
}
