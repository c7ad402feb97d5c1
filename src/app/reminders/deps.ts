import type { ActionView } from '../actions';
import type { AgencyUpdateRepository } from '../ports/agency-update-repository.port';
import type { MeetingRepository } from '../ports/meeting-repository.port';
import type { MinutesRepository } from '../ports/minutes-repository.port';
import type { NotificationRepository } from '../ports/notification-repository.port';
import type { ReferralRepository } from '../ports/referral-repository.port';
import type { ActionRepository } from '../ports/action-repository.port';
import type { CaseRepository } from '../ports/case-repository.port';
import type { Clock } from '../ports/clock.port';
import type { MemberRepository } from '../ports/member-repository.port';
import type { ReminderRepository } from '../ports/reminder-repository.port';

/** A card-less notice: the bot frames it with the marking. Channel notices carry no names. */
export interface ReminderNotice {
  readonly title: string;
  readonly message: string;
  readonly facts: { title: string; value: string }[];
}

/**
 * How reminders leave the bot. Each answers true when Teams took the message and false when it could
 * not be delivered (no personal chat, app removed, refused after retries); a throw is a crash, and
 * leaves the claim to run out so another instance sends.
 */
export interface ReminderOutbox {
  actionCard(toAadObjectId: string, view: ActionView, lead: string): Promise<boolean>;
  personalNotice(toAadObjectId: string, notice: ReminderNotice): Promise<boolean>;
  coordinatorNotice(notice: ReminderNotice): Promise<boolean>;
}

/** The records a process deadline is read from, to see whether its step is still open. */
export interface DeadlineSources {
  readonly notifications: Pick<NotificationRepository, 'get'>;
  readonly referrals: Pick<ReferralRepository, 'get'>;
  readonly meetings: Pick<MeetingRepository, 'get' | 'listForCase'>;
  readonly minutes: Pick<MinutesRepository, 'getForMeeting'>;
  readonly agencyUpdates: Pick<AgencyUpdateRepository, 'listForMeeting'>;
}

export interface ReminderDeps {
  readonly reminders: ReminderRepository;
  readonly actions: Pick<ActionRepository, 'get' | 'listForOwner' | 'listUnownedForAgency' | 'listDue'>;
  readonly cases: Pick<CaseRepository, 'get'>;
  readonly members: Pick<MemberRepository, 'getArea' | 'listMembers'>;
  readonly clock: Clock;
  readonly deadlines: DeadlineSources;
  readonly areaId: string;
}
