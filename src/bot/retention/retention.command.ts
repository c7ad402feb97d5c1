import { MessageFactory } from 'botbuilder';
import { casesDueForRetentionReview } from '../../app/retention';
import { ukDateOf } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';

/** `retention`: exited cases whose review date has come, by reference only. */
export const retentionCommand: CommandHandler = async (h) => {
  const deps = h.deps.retention;
  const res = await casesDueForRetentionReview(deps, h.principal, ukDateOf(deps.clock.now()));
  if (!res.ok) {
    await h.turn.sendActivity(res.error.message);
    return;
  }
  const items = res.value;
  const card = h.card('notice', {
    title: 'Cases due for retention review',
    message:
      items.length === 0
        ? 'No exited case has reached its review date.'
        : 'Review with the owning agencies; an admin can then type **erase** and the case reference, for example **erase MAPPA-2016-0007**.',
    facts: items.map((i) => ({
      title: i.caseRef,
      value: `exited ${formatUkDate(i.exitDate)}, review due ${formatUkDate(i.dueOn)}${i.erasureInterrupted ? ' (erasure interrupted: run it again)' : ''}`,
    })),
  });
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
};
