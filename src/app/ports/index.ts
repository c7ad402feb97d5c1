// Ports the use cases depend on; src/store implements them on MongoDB.
import type { ActionRepository } from './action-repository.port';
import type { AgencyUpdateRepository } from './agency-update-repository.port';
import type { AuditLog } from './audit-log.port';
import type { CaseRepository } from './case-repository.port';
import type { MeetingRepository } from './meeting-repository.port';
import type { MemberRepository } from './member-repository.port';
import type { MinutesRepository } from './minutes-repository.port';
import type { NotificationRepository } from './notification-repository.port';
import type { ReferralRepository } from './referral-repository.port';
import type { SubjectRepository } from './subject-repository.port';
import type { TransferRepository } from './transfer-repository.port';

export * from './clock.port';
export * from './write-context.port';
export * from './audit-log.port';
export * from './subject-repository.port';
export * from './case-repository.port';
export * from './notification-repository.port';
export * from './referral-repository.port';
export * from './meeting-repository.port';
export * from './minutes-repository.port';
export * from './action-repository.port';
export * from './agency-update-repository.port';
export * from './member-repository.port';
export * from './conversations.port';
export * from './search-term-hasher.port';
export * from './reminder-repository.port';

/** Every repository, as the composition root hands them to use cases. */
export interface Repositories {
  readonly audit: AuditLog;
  readonly subjects: SubjectRepository;
  readonly cases: CaseRepository;
  readonly notifications: NotificationRepository;
  readonly referrals: ReferralRepository;
  readonly meetings: MeetingRepository;
  readonly minutes: MinutesRepository;
  readonly actions: ActionRepository;
  readonly agencyUpdates: AgencyUpdateRepository;
  readonly members: MemberRepository;
  readonly transfers: TransferRepository;
}
export * from './online-meeting.port';
export type * from './telemetry.port';
export * from './transfer-repository.port';
export * from './transfer-signer.port';
export * from './outbound-queue.port';
