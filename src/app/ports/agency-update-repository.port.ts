import type { z } from 'zod';
import type { AgencyUpdate } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { ErasureOutcome, WriteContext } from './write-context.port';

/** What `save` needs; the store assigns the id (one update per agency per meeting) and the version. */
export type NewAgencyUpdate = Omit<z.input<typeof AgencyUpdate>, 'id' | 'version'>;

/** A save that lost a race: the stored update as it now is (null if it has gone), so the caller can show it. */
export type UpdateSaveConflict = AppError<'VERSION_CONFLICT'> & { readonly current: AgencyUpdate | null };

/** Each agency's update (or report in lieu) for a meeting, versioned so concurrent typists never overwrite. */
export interface AgencyUpdateRepository {
  /** Not audited: for use cases, which audit the reads they hand to users. */
  get(meetingId: string, agencyId: string): Promise<AgencyUpdate | null>;
  listForMeeting(meetingId: string): Promise<AgencyUpdate[]>;
  /** Every update for the case's meetings, for erasure. */
  listForCase(caseId: string): Promise<AgencyUpdate[]>;
  /**
   * Stores the agency's update. `expectedVersion` null means "there is none yet"; otherwise the write
   * succeeds only against that version. A lost race returns the current update, never overwrites it.
   */
  save(
    input: NewAgencyUpdate,
    expectedVersion: number | null,
    ctx: WriteContext<'agency_update.saved'>,
  ): Promise<Result<AgencyUpdate, UpdateSaveConflict>>;
  /**
   * Erases the update's free text and names (`eraseAgencyUpdate` in the domain) in one conditional write
   * and appends 'agency_update.erased' with ids only. Idempotent: one already erased is left alone.
   */
  erase(id: string, ctx: WriteContext<'agency_update.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>>;
}
