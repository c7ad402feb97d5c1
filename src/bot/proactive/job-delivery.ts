import type { ConversationTarget } from '../../app/ports/conversations.port';
import type { CardData } from '../cards/render';
import type { CardRenderer } from '../handler-context';
import type { TeamsMessenger } from './messenger';

/** What scheduled jobs post through: notice cards framed with the marking, and plain personal messages. */
export function jobDelivery(messenger: TeamsMessenger, card: CardRenderer) {
  return {
    postNotice: (channel: ConversationTarget, notice: CardData<'notice'>, what: string) =>
      messenger.postCard(channel, card('notice', notice), what),
    sendText: (chat: ConversationTarget, text: string, what: string) => messenger.sendPersonal(chat, text, what),
  };
}
