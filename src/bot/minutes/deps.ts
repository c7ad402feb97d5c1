import type { MinutesDeps } from '../../app/minutes';
import type { CardPostRepository } from '../../app/ports/card-posts.port';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import type { MinutesDocumentFormat } from '../../app/ports/minutes-document.port';
import type { Principal } from '../../domain/policy';
import type { TeamsMessenger } from '../proactive/messenger';

/** What the minutes cards need beyond the use cases: the shared card's post and single-use links. */
export interface MinutesBotDeps {
  readonly run: MinutesDeps;
  /** A single-use download link for this reader, or null when the minutes are not theirs to read. */
  readonly link: (reader: Principal, minutesId: string, format: MinutesDocumentFormat) => Promise<string | null>;
  readonly messenger: TeamsMessenger;
  readonly cardPosts: CardPostRepository;
  readonly conversations: ConversationDirectory;
  readonly linkTtlSeconds: number;
}
