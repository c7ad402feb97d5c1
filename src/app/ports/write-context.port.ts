import { z } from 'zod';
import { Actor, TenantId } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { RecordedAuditAction } from './audit-log.port';

/**
 * Whoever causes a write or a personal-data read: a signed-in Teams user, or a service identity
 * (e.g. the intake API) that the composition root names. The tenant is needed because audit events
 * are kept per tenant, and the display name because decisions record who took them.
 */
export const RequestActor = Actor.extend({ tenantId: TenantId });
export type RequestActor = z.infer<typeof RequestActor>;

/** Audit details are ids, codes and counts only (see `AuditEvent`): never case content. */
export type AuditDetails = Readonly<Record<string, string | number | boolean>>;

/**
 * Passed to every repository write. `action` lets a use case name what happened more precisely than
 * the repository's default (e.g. 'case.exited' rather than 'case.updated'); the type only admits the
 * actions that make sense for that repository.
 */
export interface WriteContext<A extends RecordedAuditAction = RecordedAuditAction> {
  readonly by: RequestActor;
  readonly action?: A;
  readonly details?: AuditDetails;
}

/**
 * What an `erase` did: `erased` is false when the record held no personal data any more (erased by
 * an earlier, interrupted run), in which case nothing was written or audited.
 */
export interface ErasureOutcome {
  readonly erased: boolean;
}

/** Failures of a versioned `update`. */
export type UpdateError = AppError<'NOT_FOUND' | 'VERSION_CONFLICT'>;

/** Failures of a one-way state transition (decide, approve, withdraw). */
export type TransitionError = AppError<'NOT_FOUND' | 'VERSION_CONFLICT' | 'ALREADY_DECIDED' | 'ILLEGAL_TRANSITION'>;

/**
 * Fields a caller may change through `update`: keys left out stay as stored, a key given as
 * `undefined` removes an optional field. Identity, ownership, creation time and the version are the
 * store's, so they are excluded at compile time (and ignored at run time).
 */
export type Changes<T, Fixed extends keyof T> = Partial<Omit<T, Fixed | 'version'>>;
