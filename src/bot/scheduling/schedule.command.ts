import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { loadScheduleOptions, scheduleCard } from './schedule.card';

/**
 * `schedule meeting MAPPA-2026-0042`: the schedule card. A case the caller may not see gets the same
 * answer as one that does not exist.
 */
export const scheduleCommand: CommandHandler = async (h, args) => {
  const ref = args.trim();
  const o = ref ? await loadScheduleOptions(h, ref) : null;
  const card =
    o === null
      ? h.card('notice', {
          title: 'Which case?',
          message: 'Type schedule meeting and the case reference, for example schedule meeting MAPPA-2026-0042.',
          facts: [],
        })
      : o.ok
        ? scheduleCard(h, o.value, undefined, {}, '')
        : h.card('notice', {
            title: o.error.code === 'NOT_FOUND' ? 'Case not found' : 'Cannot schedule a meeting',
            message: 'fieldErrors' in o.error ? Object.values(o.error.fieldErrors).join(' ') : o.error.message,
            facts: [],
          });
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
};
