import type { ReceiveDeps } from '../../app/notifications';
import type { CardPostRepository } from '../../app/ports/card-posts.port';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import type { TeamsMessenger } from '../proactive/messenger';

/** What the notification cards need beyond the use cases: the channel card's post and its updates. */
export interface NotificationBotDeps {
  readonly receive: ReceiveDeps;
  readonly messenger: TeamsMessenger;
  readonly cardPosts: CardPostRepository;
  readonly conversations: ConversationDirectory;
}
