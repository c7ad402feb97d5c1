import type { z } from 'zod';
import type { Actor, Minutes, MinutesSectionId } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type {
  Changes,
  ErasureOutcome,
  RequestActor,
  TransitionError,
  UpdateError,
  WriteContext,
} from './write-context.port';

/** What `startForMeeting` needs; the store assigns id, status 'draft', createdAt and version. */
export type NewMinutes = Omit<
  z.input<typeof Minutes>,
  'id' | 'status' | 'approvedBy' | 'approvedAt' | 'createdAt' | 'version'
>;
export type MinutesChanges = Changes<
  Minutes,
  | 'id'
  | 'areaId'
  | 'caseId'
  | 'meetingId'
  | 'approvedBy'
  | 'approvedAt'
  | 'createdAt'
  | 'contentHash'
  | 'revision'
  | 'correction'
  | 'sectionVersions'
>;

/** A section edit that lost a race: the section as the other person saved it, for the loser to compare. */
export type SectionConflict = AppError<'VERSION_CONFLICT'> & { readonly current: Minutes };
export type MinutesUpdateAction = 'minutes.updated' | 'minutes.circulated';

/** Meeting minutes (MAPPA B/C): a draft saved as the meeting runs, approved once by the chair. */
export interface MinutesRepository {
  /**
   * Starts the minutes of a meeting, or returns the ones already started: a meeting has one set of
   * minutes, even if two people press "start minutes" together.
   */
  startForMeeting(
    input: NewMinutes,
    ctx: WriteContext<'minutes.created'>,
  ): Promise<{ minutes: Minutes; created: boolean }>;
  get(id: string): Promise<Result<Minutes, AppError<'NOT_FOUND'>>>;
  getForMeeting(meetingId: string): Promise<Result<Minutes, AppError<'NOT_FOUND'>>>;
  /** A user's read of the minutes; appends 'minutes.viewed' before returning anything. */
  getForReader(id: string, reader: RequestActor): Promise<Result<Minutes, AppError<'NOT_FOUND'>>>;
  /** Edits a draft or circulated set; approved minutes are refused with ALREADY_DECIDED. */
  update(
    id: string,
    expectedVersion: number,
    changes: MinutesChanges,
    ctx: WriteContext<MinutesUpdateAction>,
  ): Promise<Result<Minutes, UpdateError | AppError<'ALREADY_DECIDED'>>>;
  /**
   * Replaces one section of a draft, conditional on that section's own version (not the document's),
   * so edits to different sections both land and a second edit of the same section gets a conflict
   * carrying the current minutes. Approved minutes are refused with ALREADY_DECIDED.
   */
  editSection(
    id: string,
    section: MinutesSectionId,
    expectedSectionVersion: number,
    value: unknown,
    ctx: WriteContext<'minutes.updated'>,
  ): Promise<Result<Minutes, AppError<'NOT_FOUND' | 'ALREADY_DECIDED'> | SectionConflict>>;
  /**
   * Approves the version the chair read, storing the SHA-256 of the canonical content and keeping an
   * immutable copy of the approved revision; a second approval gets ALREADY_DECIDED.
   */
  approve(
    id: string,
    expectedVersion: number,
    approvedBy: Actor,
    ctx: WriteContext<'minutes.approved'>,
  ): Promise<Result<Minutes, TransitionError>>;
  /**
   * Opens the next revision of approved minutes as a draft, with the reason and who asked; the
   * approved revision stays as it was in the version history.
   */
  startCorrection(
    id: string,
    expectedVersion: number,
    correction: { readonly reason: string; readonly by: Actor },
    ctx: WriteContext<'minutes.corrected'>,
  ): Promise<Result<Minutes, TransitionError>>;
  /** Every approved revision, oldest first, then the current draft if a correction is open. */
  listVersions(id: string): Promise<Minutes[]>;
  /** Every set of minutes of a case's meetings, oldest first. */
  listForCase(caseId: string): Promise<Minutes[]>;
  /**
   * Erases the minutes' free text (`eraseMinutes` in the domain) in one conditional write and appends
   * 'minutes.erased' with ids only, whatever their status: approval protects the record of the
   * meeting from edits, not from a deliberate erasure. Idempotent (`erased: false` when already done).
   */
  erase(id: string, ctx: WriteContext<'minutes.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>>;
}
