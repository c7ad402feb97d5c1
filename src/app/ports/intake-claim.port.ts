import { z } from 'zod';
import { Id, IsoDateTime } from '../../domain';

/**
 * How far one intake got. Each step is recorded as soon as it lands, so a retry after a crash or a
 * database outage resumes from there instead of writing the subject or the case a second time.
 */
export const IntakeProgress = z.object({
  subjectId: Id.optional(),
  /**
   * Set just before the case is created. The store picks case ids, so a retry that finds this without
   * `caseId` knows a case may exist that nobody recorded, and looks for it before creating another.
   */
  caseStartedAt: IsoDateTime.optional(),
  caseId: Id.optional(),
  /** The case was the person's open case already (joined), not one this intake opened. */
  caseJoined: z.boolean().optional(),
  notificationId: Id.optional(),
});
export type IntakeProgress = z.infer<typeof IntakeProgress>;

export interface IntakeClaim {
  /** When the first attempt for this key claimed it. */
  readonly claimedAt: string;
  readonly progress: IntakeProgress;
}

/**
 * Leases on intake idempotency keys (one per area and key). Only the lease holder writes the
 * subject, case and notification for a key, so two deliveries of the same notification at once
 * produce one of each; a holder that dies loses the lease when it expires.
 */
export interface IntakeClaimRepository {
  /**
   * Takes (or renews) the lease for `owner` unless another owner holds a live one, returning what
   * earlier attempts recorded; null while someone else holds it.
   */
  acquire(areaId: string, key: string, owner: string, leaseMs: number): Promise<IntakeClaim | null>;
  /** Records progress under the lease; false when the lease has passed to another owner. */
  record(areaId: string, key: string, owner: string, progress: Partial<IntakeProgress>): Promise<boolean>;
  /** Ends the lease early so a retry need not wait for it to expire. */
  release(areaId: string, key: string, owner: string): Promise<void>;
}
