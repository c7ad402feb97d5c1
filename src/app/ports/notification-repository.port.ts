import { z } from 'zod';
import { Actor, IsoDate, IsoDateTime, Notification } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { Changes, ErasureOutcome, TransitionError, UpdateError, WriteContext } from './write-context.port';

/** The sending system's own id for a notification, which makes intake idempotent. */
export const ExternalRef = z.string().trim().min(1).max(200);

/** The co-ordinator's answer to a notification. Not in the domain schema yet, so the port adds it. */
export const NotificationDecision = z.object({
  outcome: z.enum(['accepted', 'returned']),
  decidedBy: Actor,
  decidedAt: IsoDateTime,
  /** Why it was returned (or any note on acceptance); kept with the record, never in audit details. */
  reason: z.string().trim().max(2000).optional(),
  /** When the co-ordinator awaits a referral: the date it is due (the reminder job chases it). */
  referralDue: IsoDate.optional(),
});
export type NotificationDecision = z.infer<typeof NotificationDecision>;

/** A notification as stored: the domain notification, its intake reference and its decision. */
export const NotificationRecord = Notification.extend({
  externalRef: ExternalRef.optional(),
  decision: NotificationDecision.optional(),
});
export type NotificationRecord = z.infer<typeof NotificationRecord>;

/** What `create` needs; the store assigns id, status 'received', createdAt and version. */
export type NewNotification = Omit<z.input<typeof Notification>, 'id' | 'status' | 'createdAt' | 'version'>;
export type NotificationChanges = Changes<Notification, 'id' | 'areaId' | 'status' | 'createdAt' | 'notifiedBy'>;

/** Notifications from lead agencies, decided once by the co-ordinator. */
export interface NotificationRepository {
  /** A notification raised in the bot ('notification.received'). */
  create(input: NewNotification, ctx: WriteContext<'notification.received'>): Promise<NotificationRecord>;
  /**
   * Idempotent intake: stores the notification unless one with the same `externalRef` already exists
   * in the area, in which case that one comes back with `created: false` and nothing is audited.
   * Safe under concurrency: two simultaneous deliveries yield one record and the same id.
   */
  createIfAbsent(
    input: NewNotification,
    externalRef: string,
    ctx: WriteContext<'notification.received'>,
  ): Promise<{ notification: NotificationRecord; created: boolean }>;
  get(id: string): Promise<Result<NotificationRecord, AppError<'NOT_FOUND'>>>;
  findByExternalRef(areaId: string, externalRef: string): Promise<Result<NotificationRecord, AppError<'NOT_FOUND'>>>;
  /** Oldest first, so the co-ordinator's queue is worked in order of arrival. */
  listByStatus(
    areaId: string,
    status: Notification['status'],
    opts?: { limit?: number },
  ): Promise<NotificationRecord[]>;
  /**
   * Records the co-ordinator's decision, only while the notification is 'received'. If someone decided
   * first, the answer is ALREADY_DECIDED with the current status in `meta`.
   */
  decide(
    id: string,
    decision: NotificationDecision & { readonly caseId?: string },
    ctx: WriteContext<'notification.decided'>,
  ): Promise<Result<NotificationRecord, TransitionError>>;
  update(
    id: string,
    expectedVersion: number,
    changes: NotificationChanges,
    ctx: WriteContext<'notification.updated'>,
  ): Promise<Result<NotificationRecord, UpdateError>>;
  /** Notifications that opened or were joined to a case, oldest first. */
  listForCase(caseId: string): Promise<NotificationRecord[]>;
  /** Every notification about a subject, oldest first. */
  listForSubject(subjectId: string): Promise<NotificationRecord[]>;
  /**
   * Erases the notification's personal data (`eraseNotification` in the domain) in one conditional write and appends
   * 'notification.erased' with ids only. Idempotent: a record already erased is left alone (`erased: false`).
   */
  erase(id: string, ctx: WriteContext<'notification.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>>;
}
