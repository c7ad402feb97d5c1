import { z } from 'zod';
import { Action, Id, IsoDate } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { Changes, ErasureOutcome, UpdateError, WriteContext } from './write-context.port';

/**
 * An action as stored: the domain action plus its area, which the domain schema lacks but the
 * audit chain (one per area) and area-scoped queries need.
 */
export const ActionRecord = Action.extend({ areaId: Id });
export type ActionRecord = z.infer<typeof ActionRecord>;

/** What `create` needs; the store assigns id, createdAt and version. */
export type NewAction = Omit<z.input<typeof ActionRecord>, 'id' | 'createdAt' | 'version'>;
export type ActionChanges = Changes<ActionRecord, 'id' | 'areaId' | 'caseId' | 'meetingId' | 'createdAt'>;

export const DueQuery = z.object({
  onOrBefore: IsoDate,
  areaId: Id.optional(),
  limit: z.number().int().positive().optional(),
});

/** RMP actions agreed at meetings, chased until done. */
export interface ActionRepository {
  create(input: NewAction, ctx: WriteContext<'action.created'>): Promise<ActionRecord>;
  /**
   * Creates the action under a caller-chosen id, or returns the one already stored under it
   * (`created: false`): a retried `end meeting` never writes an action twice.
   */
  createOnce(
    id: string,
    input: NewAction,
    ctx: WriteContext<'action.created'>,
  ): Promise<{ readonly action: ActionRecord; readonly created: boolean }>;
  get(id: string): Promise<Result<ActionRecord, AppError<'NOT_FOUND'>>>;
  /** Every action of a case, earliest due first. */
  listForCase(caseId: string): Promise<ActionRecord[]>;
  /** Open actions due on or before a date, earliest first: what the reminder scheduler chases. */
  listDue(query: z.input<typeof DueQuery>): Promise<ActionRecord[]>;
  /** An owner's actions (open by default), earliest due first: "my actions". */
  listForOwner(ownerAadObjectId: string, opts?: { status?: ActionRecord['status'] }): Promise<ActionRecord[]>;
  update(
    id: string,
    expectedVersion: number,
    changes: ActionChanges,
    ctx: WriteContext<'action.updated'>,
  ): Promise<Result<ActionRecord, UpdateError>>;
  /**
   * Erases the action's personal data (`eraseAction` in the domain) in one conditional write and appends
   * 'action.erased' with ids only. Idempotent: a record already erased is left alone (`erased: false`).
   */
  erase(id: string, ctx: WriteContext<'action.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>>;
}
