import type { ActionDeps } from '../../app/actions';
import type { CardPostRepository } from '../../app/ports/card-posts.port';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import type { MemberRepository } from '../../app/ports/member-repository.port';
import type { TeamsMessenger } from '../proactive/messenger';

/** What the action and case cards need beyond the use cases: the co-ordinator channel and personal chats. */
export interface ActionBotDeps {
  readonly run: ActionDeps;
  readonly messenger: TeamsMessenger;
  readonly cardPosts: CardPostRepository;
  readonly conversations: ConversationDirectory;
  readonly members: Pick<MemberRepository, 'listMembers'>;
  readonly tenantId: string;
}
