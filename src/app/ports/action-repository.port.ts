import { z } from 'zod';
import { Action, Id, IsoDate, type ActionEvent } from '../../domain';
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
// The history is appended by the store in the same write, never written by a caller.
export type ActionChanges = Changes<ActionRecord, 'id' | 'areaId' | 'caseId' | 'meetingId' | 'createdAt' | 'history'>;

/** What the history entry of an update says beyond the fields that changed. */
export interface ActionChangeMeta {
  readonly event?: ActionEvent;
  /** The note or reason kept with the change (free text: never in the audit log). */
  readonly note?: string;
  /** The date an extension request asked for (kept in the history beside its reason). */
  readonly askedFor?: IsoDate;
}

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
  /** Open and in-progress actions due on or before a date, earliest first: `overdue` and the digest. */
  listDue(query: z.input<typeof DueQuery>): Promise<ActionRecord[]>;
  /** An owner's actions (open by default), earliest due first: "my actions". */
  listForOwner(ownerAadObjectId: string, opts?: { status?: ActionRecord['status'] }): Promise<ActionRecord[]>;
  /**
   * An agency's open and in-progress actions in an area with no named owner (the agency's members are
   * reminded of them), earliest due first, at most `limit`: the rest of "my actions".
   */
  listUnownedForAgency(areaId: string, agencyId: string, limit: number): Promise<ActionRecord[]>;
  /**
   * Conditional on `expectedVersion`; appends one history entry (who, when, what changed, `meta`'s
   * event and note) in the same write, so concurrent updates never lose one another's change: the
   * second gets VERSION_CONFLICT and nothing is written.
   */
  update(
    id: string,
    expectedVersion: number,
    changes: ActionChanges,
    ctx: WriteContext<'action.updated'>,
    meta?: ActionChangeMeta,
  ): Promise<Result<ActionRecord, UpdateError>>;
  /**
   * Erases the action's personal data (`eraseAction` in the domain) in one conditional write and appends
   * 'action.erased' with ids only. Idempotent: a record already erased is left alone (`erased: false`).
   */
  erase(id: string, ctx: WriteContext<'action.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>>;
}
