import { z } from 'zod';
import { AadObjectId, Case, Id, IsoDate, IsoDateTime, Subject } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { IdentifierQuery } from './subject-repository.port';
import type { Changes, RequestActor, TransitionError, UpdateError, WriteContext } from './write-context.port';

/**
 * The human reference shown on channel cards instead of a name: per area, per year, allocated
 * atomically, e.g. 'MAPPA-2026-0042'. Not in the domain `Case` yet, so the port adds it.
 */
export const CaseRef = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^MAPPA-\d{4}-\d{4,}$/, 'case reference like MAPPA-2026-0042');
export type CaseRef = z.infer<typeof CaseRef>;

/**
 * An admin's erasure of the case's personal data, which spans many documents and so cannot be one
 * write. 'in_progress' is set first; 'done' only once every related record is erased, so a run cut
 * short is visible and is finished by running it again.
 */
export const CaseErasure = z.object({
  status: z.enum(['in_progress', 'done']),
  startedAt: IsoDateTime,
  /** The admin who started it. */
  by: AadObjectId,
  /** Why an admin erased before the review date; the justification is kept with the case. */
  forceReason: z.string().trim().min(1).max(500).optional(),
});
export type CaseErasure = z.infer<typeof CaseErasure>;

/**
 * A case as stored: the domain case plus its reference and its erasure. `erasedAt` and `erasedBy`
 * (who completed it) are set in the same write as `erasure.status: 'done'`.
 */
export const CaseRecord = Case.extend({
  ref: CaseRef,
  erasure: CaseErasure.optional(),
  erasedAt: IsoDateTime.optional(),
  erasedBy: AadObjectId.optional(),
  /**
   * Areas of this deployment the case was moved out of by an accepted transfer: an old card of the
   * case clicked there says it moved, instead of showing it or saying it never existed.
   */
  movedFrom: z.array(Id).max(100).optional(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

/** A case with the person it is about, as shown to a user; every such read is audited. */
export const CaseDossier = z.object({ case: CaseRecord, subject: Subject.nullable() });
export type CaseDossier = z.infer<typeof CaseDossier>;

/** What `create` needs; the store assigns id, ref, createdAt and version. */
export type NewCase = Omit<z.input<typeof Case>, 'id' | 'createdAt' | 'version'>;
export type CaseChanges = Changes<Case, 'id' | 'areaId' | 'subjectId' | 'jurisdiction' | 'createdAt'>;
export type CaseUpdateAction = 'case.updated' | 'case.decision_recorded' | 'case.exited';

export const ExitedCaseQuery = z.object({
  /** Only cases whose recorded exit date is on or before this day (which leaves out those with none). */
  exitDateOnOrBefore: IsoDate.optional(),
  /**
   * Which erasure state to list: by default every case not yet erased; 'in_progress' finds runs cut
   * short (whatever their exit date); 'any' includes erased ones too.
   */
  erasure: z.enum(['not_done', 'in_progress', 'any']).default('not_done'),
});

/**
 * MAPPA cases. Level, category and status changes are computed by the domain (`transition`,
 * `recordDecision`) and saved with `update`, which only succeeds against the version the use case
 * read, so two co-ordinators deciding at once cannot both win.
 */
export interface CaseRepository {
  /** Allocates the next ref for the area and year, then stores the case at version 0 ('case.created'). */
  create(input: NewCase, ctx: WriteContext<'case.created'>): Promise<CaseRecord>;
  /** For use cases and the scheduler; not audited, so never hand its result to a user as is. */
  get(id: string): Promise<Result<CaseRecord, AppError<'NOT_FOUND'>>>;
  getByRef(areaId: string, ref: string): Promise<Result<CaseRecord, AppError<'NOT_FOUND'>>>;
  /**
   * A user's read of a case and its subject; appends 'case.viewed' before returning anything. `known`:
   * the case as the caller read or wrote it this turn, so only the subject is read (ignored for another id).
   */
  getForReader(
    id: string,
    reader: RequestActor,
    known?: CaseRecord,
  ): Promise<Result<CaseDossier, AppError<'NOT_FOUND'>>>;
  /** Cases in an area whose subject holds the identifier (PNC, CRN…), newest first. */
  findBySubjectIdentifier(areaId: string, query: IdentifierQuery): Promise<CaseRecord[]>;
  listForSubject(subjectId: string): Promise<CaseRecord[]>;
  /** Conditional on `expectedVersion`; a stale version gets VERSION_CONFLICT, a missing id NOT_FOUND. */
  update(
    id: string,
    expectedVersion: number,
    changes: CaseChanges,
    ctx: WriteContext<CaseUpdateAction>,
  ): Promise<Result<CaseRecord, UpdateError>>;
  /**
   * Stores the case a domain function returned (`transition`, `recordDecision`), conditional on the
   * `version` it carries (the one read; the domain never changes it). Fields the domain dropped, such
   * as a cleared `pendingReferralId`, are removed; identity fields and the ref are kept as stored.
   */
  save(next: Case, ctx: WriteContext<CaseUpdateAction>): Promise<Result<CaseRecord, UpdateError>>;

  /**
   * Exited cases of an area, earliest exit first: what the retention review works through.
   */
  listExited(areaId: string, query?: z.input<typeof ExitedCaseQuery>): Promise<CaseRecord[]>;
  /**
   * Marks the case's erasure 'in_progress' ('case.erasure_started'), conditional on the version read
   * and on the case being exited with no erasure yet. From then on `update` and `save` refuse the
   * case (VERSION_CONFLICT with meta.reason 'erasure'), so nothing is written back into it.
   * A case already erased or being erased gets ALREADY_DECIDED; one not exited, ILLEGAL_TRANSITION.
   */
  beginErasure(
    id: string,
    expectedVersion: number,
    opts: { readonly forceReason?: string },
    ctx: WriteContext<'case.erasure_started'>,
  ): Promise<Result<CaseRecord, TransitionError>>;
  /**
   * The last step: erases the case's own personal data (`eraseCaseContent`) and sets erasure 'done',
   * `erasedAt` and `erasedBy` in one write, conditional on the erasure being 'in_progress'
   * ('case.erased', with the caller's counts in `ctx.details`). Call it only after every related
   * record is erased. A case already done gets ALREADY_DECIDED; one never started, ILLEGAL_TRANSITION.
   */
  completeErasure(id: string, ctx: WriteContext<'case.erased'>): Promise<Result<CaseRecord, TransitionError>>;
}
