import { MessageFactory } from 'botbuilder';
import { z } from 'zod';
import { casesDueForRetentionReview, eraseCase, type RetentionDeps } from '../../app/retention';
import { ukDateOf } from '../../domain/dates';
import { cardAttachment, type AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../mappa.bot';

const EraseSubmit = z.object({
  caseRef: z.string().max(40).default(''),
  confirmation: z.string().max(40).default(''),
  forceReason: z.string().max(2000).default(''),
});

/** `retention`: exited cases whose review date has come, by reference only. */
export async function retentionCommand(h: HandlerContext, deps: RetentionDeps): Promise<void> {
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
        : 'Review with the owning agencies; an admin can then type **erase <case ref>**.',
    facts: items.map((i) => ({
      title: i.caseRef,
      value: `exited ${i.exitDate}, review due ${i.dueOn}${i.erasureInterrupted ? ' (erasure interrupted: run it again)' : ''}`,
    })),
  });
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}

/** `erase <case ref>`: the confirmation card; nothing is erased until it is submitted. */
export async function eraseCommand(h: HandlerContext, args: string): Promise<void> {
  const caseRef = args.trim().toUpperCase().slice(0, 40);
  if (!caseRef) {
    await h.turn.sendActivity('Which case? Type **erase** followed by the case reference.');
    return;
  }
  const card = h.card('erase-confirm', { caseRef, formError: '', values: { confirmation: '', forceReason: '' } });
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}

export async function eraseCardAction(
  h: HandlerContext,
  deps: RetentionDeps,
  data: Record<string, unknown>,
): Promise<AdaptiveCardJson> {
  const parsed = EraseSubmit.safeParse(data);
  const input = parsed.success ? parsed.data : { caseRef: '', confirmation: '', forceReason: '' };
  const force = input.forceReason.trim() ? { force: { reason: input.forceReason.trim() } } : {};
  const res = await eraseCase(deps, h.principal, input.caseRef, input.confirmation, force);
  if (!res.ok) {
    return h.card('erase-confirm', {
      caseRef: input.caseRef,
      formError: res.error.message,
      values: { confirmation: input.confirmation, forceReason: input.forceReason },
    });
  }
  const s = res.value;
  return h.card('notice', {
    title: `Personal data erased from ${s.caseRef}`,
    message: s.resumed
      ? 'An interrupted erasure has been completed.'
      : 'The erasure is complete and recorded in the audit trail.',
    facts: [
      { title: 'Records erased', value: String(s.total) },
      { title: 'Subject record', value: s.subjectKept ? 'kept (they have another open case)' : 'erased' },
      { title: 'Erased by', value: h.principal.member?.displayName ?? 'admin' },
    ],
  });
}
