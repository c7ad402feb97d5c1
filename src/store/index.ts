import type { Db } from 'mongodb';
import type { Clock, Repositories } from '../app/ports';
import { ACTIONS, MongoActionRepository } from './action.repository';
import { AGENCY_UPDATES, MongoAgencyUpdateRepository } from './agency-update.repository';
import { AUDIT_CHECKPOINTS, AUDIT_EVENTS, AUDIT_QUEUE, AUDIT_SEQUENCER, MongoAuditLog } from './audit-log.repository';
import { BOT_STATE_COLLECTION } from './bot-state.storage';
import { CASES, COUNTERS, MongoCaseRepository } from './case.repository';
import { MEETINGS, MongoMeetingRepository } from './meeting.repository';
import { AREAS, MEMBERS, MongoMemberRepository } from './member.repository';
import { MongoTransferRepository, TRANSFERS } from './transfer.repository';
import { MINUTES, MINUTES_VERSIONS, MongoMinutesRepository } from './minutes.repository';
import type { CollectionSpec } from './mongo';
import { MongoNotificationRepository, NOTIFICATIONS } from './notification.repository';
import { MongoReferralRepository, REFERRALS } from './referral.repository';
import { MongoSubjectRepository, SUBJECTS } from './subject.repository';
import { CARD_POSTS } from './card-post.repository';
import { CONVERSATION_COLLECTIONS } from './conversation.repository';
import { INTAKE_CLAIMS } from './intake-claim.repository';
import { JOB_RUNS } from './job-lease.repository';
import { LINK_CLAIMS } from './link-claims.repository';
import { MEMBER_SYNC } from './member-sync.store';
import { REFERRAL_QUESTIONS } from './referral-questions.repository';
import { OUTBOUND, OUTBOUND_LOG, OUTBOUND_STEPS } from './outbound-queue.repository';
import { REMINDER_MARKS, REMINDERS } from './reminder.repository';
import { STATS_INDEXES } from './stats.query';

export { connectMongo, DatabaseUnavailableError, type CollectionSpec, type MongoHandle } from './mongo';
export { MongoBotStorage, StateConflictError } from './bot-state.storage';
export { GENESIS_HASH, MongoAuditLog } from './audit-log.repository';
export { CorruptDocumentError } from './repository-support';
export { dueSlotOf, MongoReminderRepository, REMINDER_MARKS, REMINDERS } from './reminder.repository';
export { MongoStatsQuery } from './stats.query';

/** Every collection the bot uses, with its indexes; `connectMongo` creates them at start-up. */
export const ALL_COLLECTIONS: readonly CollectionSpec[] = [
  BOT_STATE_COLLECTION,
  AUDIT_EVENTS,
  AUDIT_QUEUE,
  AUDIT_CHECKPOINTS,
  AUDIT_SEQUENCER,
  SUBJECTS,
  CASES,
  COUNTERS,
  NOTIFICATIONS,
  REFERRALS,
  MEETINGS,
  MINUTES,
  MINUTES_VERSIONS,
  ACTIONS,
  AGENCY_UPDATES,
  MEMBERS,
  AREAS,
  REFERRAL_QUESTIONS,
  INTAKE_CLAIMS,
  CARD_POSTS,
  TRANSFERS,
  JOB_RUNS,
  LINK_CLAIMS,
  MEMBER_SYNC,
  OUTBOUND,
  OUTBOUND_LOG,
  OUTBOUND_STEPS,
  REMINDERS,
  REMINDER_MARKS,
  ...CONVERSATION_COLLECTIONS,
  ...STATS_INDEXES,
];

/**
 * The MongoDB adapters for every port, sharing one audit log so every write and audited read lands
 * in the same per-area chain.
 */
export function createRepositories(db: Db, clock: Clock): Repositories & { readonly audit: MongoAuditLog } {
  const audit = new MongoAuditLog(db, clock);
  return {
    audit,
    subjects: new MongoSubjectRepository(db, audit),
    cases: new MongoCaseRepository(db, clock, audit),
    notifications: new MongoNotificationRepository(db, clock, audit),
    referrals: new MongoReferralRepository(db, clock, audit),
    meetings: new MongoMeetingRepository(db, audit),
    minutes: new MongoMinutesRepository(db, clock, audit),
    actions: new MongoActionRepository(db, clock, audit),
    agencyUpdates: new MongoAgencyUpdateRepository(db, audit),
    members: new MongoMemberRepository(db, audit),
    transfers: new MongoTransferRepository(db, clock, audit),
  };
}
