import type { z } from 'zod';
import type { Result } from '../../lib/result';
import type { AppError } from '../../lib/errors';
import type { Subject, SubjectIdentifiers } from '../../domain';
import type { Changes, ErasureOutcome, UpdateError, WriteContext } from './write-context.port';

/** What `create` needs; the store assigns id and version. */
export type NewSubject = Omit<z.input<typeof Subject>, 'id' | 'version'>;
export type SubjectChanges = Changes<Subject, 'id' | 'areaId'>;

/** One identifier to look a person up by; PNC and CRN are matched case-insensitively. */
export type IdentifierQuery = {
  readonly [K in keyof SubjectIdentifiers]-?: { readonly kind: K; readonly value: string };
}[keyof SubjectIdentifiers];

/**
 * People MAPPA manages. Reading a subject is reading personal data, so user-facing reads go through
 * `CaseRepository.getForReader`, which audits them; these reads are for matching during intake.
 */
export interface SubjectRepository {
  create(input: NewSubject, ctx: WriteContext<'subject.created'>): Promise<Subject>;
  get(id: string): Promise<Result<Subject, AppError<'NOT_FOUND'>>>;
  /** Subjects in an area holding this identifier (normally zero or one). Index-backed for PNC and CRN. */
  findByIdentifier(areaId: string, query: IdentifierQuery): Promise<Subject[]>;
  /** Subjects in an area born on this day (index-backed): `find` compares their names itself. */
  findByDateOfBirth(areaId: string, dateOfBirth: string): Promise<Subject[]>;
  update(
    id: string,
    expectedVersion: number,
    changes: SubjectChanges,
    ctx: WriteContext<'subject.updated'>,
  ): Promise<Result<Subject, UpdateError>>;
  /**
   * Erases the subject's personal data (`eraseSubject` in the domain) in one conditional write and appends
   * 'subject.erased' with ids only. Idempotent: a record already erased is left alone (`erased: false`).
   */
  erase(id: string, ctx: WriteContext<'subject.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>>;
}
