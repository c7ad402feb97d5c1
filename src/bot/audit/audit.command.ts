import { MessageFactory } from 'botbuilder';
import { caseAccessLog } from '../../app/cases';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';

/** `audit <case ref>`: the case's access log, for co-ordinators. */
export const auditCommand: CommandHandler = async (h, args) => {
  if (!args) {
    await h.turn.sendActivity(
      'Which case? Type **audit** followed by the case reference, for example `audit MAPPA-2026-0042`.',
    );
    return;
  }
  const res = await caseAccessLog(
    { cases: h.deps.cases, audit: h.deps.audit, areaId: h.deps.areaId, members: h.deps.members.members },
    h.principal,
    args,
  );
  if (!res.ok) {
    await h.turn.sendActivity(
      res.error.code === 'VALIDATION_FAILED'
        ? res.error.message
        : `I can't find a case ${args.slice(0, 40)} that you can see.`,
    );
    return;
  }
  const card = h.card('audit-log', { caseRef: res.value.caseRef, events: res.value.events });
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
};
