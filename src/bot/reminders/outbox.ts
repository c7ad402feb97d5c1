import type { ActionView } from '../../app/actions';
import type { DigestLine, ReminderNotice, ReminderOutbox } from '../../app/reminders';
import { digestCardData } from './cards';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import { describeError, type Logger } from '../../config/logger';
import { actionCardData } from '../actions/action.card';
import type { CardRenderer } from '../handler-context';
import { TeamsDeliveryError, type SendOptions, type TeamsMessenger } from '../proactive/messenger';

/**
 * Reminders out through the messenger's public methods. A person with no personal chat, or a send
 * Teams refused after its retries, is "not delivered" (counted on the reminder, shown by `reminders`,
 * and for actions reported to the co-ordinator by the sweep);
 * anything else is a fault and propagates, leaving the claim to expire.
 */
export function reminderOutbox(deps: {
  readonly messenger: Pick<TeamsMessenger, 'sendPersonal' | 'postCard'>;
  readonly conversations: Pick<ConversationDirectory, 'personalChatOf' | 'coordinatorChannel'>;
  readonly card: CardRenderer;
  readonly tenantId: string;
  readonly areaId: string;
  readonly logger: Logger;
}): ReminderOutbox {
  const delivered = async (send: () => Promise<unknown>): Promise<boolean> => {
    try {
      await send();
      return true;
    } catch (e) {
      if (!(e instanceof TeamsDeliveryError)) throw e;
      deps.logger.warn({ error: describeError(e) }, 'a reminder could not be delivered');
      return false;
    }
  };
  const personal = async (to: string, render: () => ReturnType<CardRenderer>, what: string, opts?: SendOptions) => {
    const chat = await deps.conversations.personalChatOf(deps.tenantId, to);
    if (!chat) return false;
    return delivered(() => deps.messenger.sendPersonal(chat, render(), what, opts));
  };
  return {
    // The sweep tells the co-ordinator once per action and recipient (a missing chat included); the
    // queue's own report would repeat it at every send, each a new message.
    actionCard: (to: string, view: ActionView, lead: string) =>
      personal(to, () => deps.card('action', actionCardData(view, { lead })), 'an action reminder', {
        reportFailure: false,
      }),
    personalNotice: (to: string, notice: ReminderNotice) =>
      personal(to, () => deps.card('notice', notice), 'a deadline reminder'),
    coordinatorNotice: async (notice: ReminderNotice) => {
      const channel = await deps.conversations.coordinatorChannel(deps.areaId);
      if (!channel) return false;
      return delivered(() => deps.messenger.postCard(channel, deps.card('notice', notice), 'an escalation'));
    },
  };
}

/** Posts the morning digest in the co-ordinator channel; false when none is set. */
export function digestPoster(deps: {
  readonly messenger: Pick<TeamsMessenger, 'postCard'>;
  readonly conversations: Pick<ConversationDirectory, 'coordinatorChannel'>;
  readonly card: CardRenderer;
  readonly areaId: string;
}): (lines: DigestLine[]) => Promise<boolean> {
  return async (lines) => {
    const channel = await deps.conversations.coordinatorChannel(deps.areaId);
    if (!channel) return false;
    await deps.messenger.postCard(channel, deps.card('reminders', digestCardData(lines)), 'the action digest');
    return true;
  };
}
