import type { ReferralDeps } from '../../app/referrals';
import type { CardPostRepository } from '../../app/ports/card-posts.port';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import type { MemberRepository } from '../../app/ports/member-repository.port';
import type { NotificationRepository } from '../../app/ports/notification-repository.port';
import type { Principal } from '../../domain/policy';
import type { AdaptiveCardJson } from '../cards/render';
import type { TeamsMessenger } from '../proactive/messenger';

/** What the referral cards need beyond the use cases: ways out of the bot that the lead wires. */
export interface ReferralHandlerDeps extends ReferralDeps {
  /** A short-lived download link for the MAPPA A, or null when exporting is not set up. */
  readonly exportLink?: (referralId: string, reader: Principal) => Promise<string | null>;
  /** Posts the question card to the referrer's personal chat. */
  readonly notifyReferrer?: (referrerAadObjectId: string, card: AdaptiveCardJson) => Promise<void>;
}

/** The co-ordinator channel's copy of each referral card: posted on submit, updated on every change. */
export interface ReferralChannelDeps {
  readonly referrals: ReferralHandlerDeps;
  readonly messenger: TeamsMessenger;
  readonly cardPosts: CardPostRepository;
  readonly conversations: ConversationDirectory;
  readonly marking: string;
  readonly members: Pick<MemberRepository, 'listMembers'>;
  readonly tenantId: string;
  /** The person's notifications, whose channel card's thread the referral card joins. */
  readonly notifications: Pick<NotificationRepository, 'listForCase'>;
}
