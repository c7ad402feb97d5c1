import type { MeetingDeps } from '../../app/meetings';
import type { CardPostRepository } from '../../app/ports/card-posts.port';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import type { OnlineMeetingCalendar } from '../../app/ports/online-meeting.port';
import type { AfterTurnWork } from '../scheduling/after-turn';
import type { TeamsMessenger } from '../proactive/messenger';

/** What the meeting cards need beyond the use cases: personal invitations and the shared card's updates. */
export interface MeetingBotDeps {
  readonly run: MeetingDeps;
  readonly messenger: TeamsMessenger;
  readonly cardPosts: CardPostRepository;
  readonly conversations: ConversationDirectory;
  /** The Outlook invitation with a Teams join link, when Microsoft Graph is configured for it. */
  readonly calendar?: OnlineMeetingCalendar;
  /** Where invitations run after the scheduling reply; without it they run untracked. */
  readonly afterTurn?: AfterTurnWork;
}
