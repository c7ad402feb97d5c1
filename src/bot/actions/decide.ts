import type { ActionOutcome } from '../../app/actions';
import { formatUkDate } from '../../domain/format';
import type { HandlerContext } from '../handler-context';
import { logFailure } from '../notifications/log-failure';
import { tellPersonally, updateExtensionInChannel } from './channel';

/**
 * After an extension decision: the channel card changes for everyone, and whoever asked (and the named
 * owner, if another person) is told in personal chat. A failed message does not undo the decision.
 */
export async function afterDecision(h: HandlerContext, outcome: ActionOutcome): Promise<string> {
  const { view } = outcome;
  const a = view.action;
  const asked = [...a.history].reverse().find((x) => x.event === 'extension_requested');
  const decision = a.history.at(-1);
  const approved = outcome.event === 'extension_approved';
  const people = [asked?.by.aadObjectId, a.ownerAadObjectId].filter((x): x is string => !!x);
  try {
    await updateExtensionInChannel(h, view);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not update an extension card');
  }
  try {
    await tellPersonally(
      h,
      people,
      h.card('notice', {
        title: approved ? `Extension approved: ${view.caseRef}` : `Extension refused: ${view.caseRef}`,
        message: approved
          ? `Your action "${a.text}" is now due by ${formatUkDate(a.dueDate)}.`
          : `Your action "${a.text}" stays due by ${formatUkDate(a.dueDate)}. Reason: ${decision?.note ?? ''}`,
        facts: [{ title: 'Decided by', value: decision?.by.displayName ?? '' }],
        nextSteps: [{ title: 'Show the case', command: `case ${view.caseRef}` }],
      }),
    );
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not tell the owner of an extension decision');
    return approved
      ? 'Approved. The owner could not be told in Teams just now: please let them know.'
      : 'Refused. The owner could not be told in Teams just now: please let them know.';
  }
  return approved ? 'Approved: the owner has been told.' : 'Refused: the owner has been told.';
}
