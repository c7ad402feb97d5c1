import { z } from 'zod';
import { Case, Subject } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { IdentifierQuery } from './subject-repository.port';
import type { Changes, RequestActor, UpdateError, WriteContext } from './write-context.port';

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

/** A case as stored: the domain case plus its reference. */
export const CaseRecord = Case.extend({ ref: CaseRef });
export type CaseRecord = z.infer<typeof CaseRecord>;

/** A case with the person it is about, as shown to a user; every such read is audited. */
export const CaseDossier = z.object({ case: CaseRecord, subject: Subject.nullable() });
export type CaseDossier = z.infer<typeof CaseDossier>;

/** What `create` needs; the store assigns id, ref, createdAt and version. */
export type NewCase = Omit<z.input<typeof Case>, 'id' | 'createdAt' | 'version'>;
export type CaseChanges = Changes<Case, 'id' | 'areaId' | 'subjectId' | 'jurisdiction' | 'createdAt'>;
export type CaseUpdateAction = 'case.updated' | 'case.decision_recorded' | 'case.exited';

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
  /** A user's read of a case and its subject; appends 'case.viewed' before returning anything. */
  getForReader(id: string, reader: RequestActor): Promise<Result<CaseDossier, AppError<'NOT_FOUND'>>>;
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
}
