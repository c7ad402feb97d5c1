import type { z } from 'zod';
import type { Referral, ReferralDecision, ReferralStatus } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { Changes, ErasureOutcome, TransitionError, UpdateError, WriteContext } from './write-context.port';

/** What `create` needs; the store assigns id, status 'draft', createdAt and version. */
export type NewReferral = Omit<
  z.input<typeof Referral>,
  'id' | 'status' | 'submittedAt' | 'decision' | 'createdAt' | 'version'
>;
/** Draft edits; status, submission and decision move only through the transitions below. */
export type ReferralChanges = Changes<Referral, 'id' | 'areaId' | 'status' | 'submittedAt' | 'decision' | 'createdAt'>;

/** MAPPA A referrals: saved section by section as drafts, then submitted, then decided once. */
export interface ReferralRepository {
  create(input: NewReferral, ctx: WriteContext<'referral.created'>): Promise<Referral>;
  get(id: string): Promise<Result<Referral, AppError<'NOT_FOUND'>>>;
  /** Oldest first: the co-ordinator's queue of submitted referrals, or drafts for housekeeping. */
  listByStatus(areaId: string, status: ReferralStatus, opts?: { limit?: number }): Promise<Referral[]>;
  /** A referrer's own referrals, newest first (optionally one status). */
  listByReferrer(referrerAadObjectId: string, opts?: { status?: ReferralStatus; limit?: number }): Promise<Referral[]>;
  /** Saves draft sections; refused with ILLEGAL_TRANSITION once the referral has left 'draft'. */
  update(
    id: string,
    expectedVersion: number,
    changes: ReferralChanges,
    ctx: WriteContext<'referral.updated'>,
  ): Promise<Result<Referral, UpdateError | AppError<'ILLEGAL_TRANSITION'>>>;
  /** draft → submitted, against the version the referrer reviewed. */
  submit(
    id: string,
    expectedVersion: number,
    submittedAt: string,
    ctx: WriteContext<'referral.submitted'>,
  ): Promise<Result<Referral, TransitionError>>;
  /**
   * Puts a submitted referral awaiting an identity check on the case the co-ordinator chose, clearing
   * the check, in one conditional write; a second resolver gets ILLEGAL_TRANSITION.
   */
  resolveIdentity(
    id: string,
    expectedVersion: number,
    caseId: string,
    ctx: WriteContext<'referral.updated'>,
  ): Promise<Result<Referral, TransitionError>>;
  /** submitted → accepted | declined, once; a second decider gets ALREADY_DECIDED. */
  decide(
    id: string,
    decision: ReferralDecision,
    ctx: WriteContext<'referral.decided'>,
  ): Promise<Result<Referral, TransitionError>>;
  /** draft | submitted → withdrawn. */
  withdraw(id: string, ctx: WriteContext<'referral.withdrawn'>): Promise<Result<Referral, TransitionError>>;
  /** Referrals linked to a case, oldest first. */
  listForCase(caseId: string): Promise<Referral[]>;
  /** Referrals whose subject section names this subject, linked to a case or not, oldest first. */
  listForSubject(subjectId: string): Promise<Referral[]>;
  /**
   * Erases the referral's personal data (`eraseReferral` in the domain) in one conditional write and appends
   * 'referral.erased' with ids only. Idempotent: a record already erased is left alone (`erased: false`).
   */
  erase(id: string, ctx: WriteContext<'referral.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>>;
}
