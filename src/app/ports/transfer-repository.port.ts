import type { z } from 'zod';
import type { Transfer, TransferState } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { ActionRecord } from './action-repository.port';
import type { CaseRecord } from './case-repository.port';
import type { ReminderPlan } from './reminder-repository.port';
import type { TransitionError, WriteContext } from './write-context.port';

export type NewTransfer = Omit<z.input<typeof Transfer>, 'version'>;

/** Which area a record leaves and joins, keyed by the transfer that moves it. */
export interface TransferMove {
  readonly transferId: string;
  /** The case the records belong to: each move is audited under it, so the case's trail shows them all. */
  readonly caseId: string;
  readonly fromAreaId: string;
  readonly toAreaId: string;
  /** The case's reference in the receiving area: records that name the case by it (reminders) take it on. */
  readonly ref: string;
}

/** Every record of a case that carries an area: all of them follow the case, so nothing is left behind. */
export type TransferredRecordKind = 'action' | 'reminder' | 'meeting' | 'minutes' | 'agencyUpdate';

/**
 * Transfers between areas and the record moves they make. FerretDB has no transactions, so a move is
 * a series of conditional, idempotent writes keyed by the transfer id: a record already moved by the
 * same transfer counts as moved, and a retry after a crash carries on where the last one stopped.
 * Every write is audited in both areas.
 */
export interface TransferRepository {
  /** Stores a new transfer, or returns the one already stored under its id (`created: false`). */
  create(input: NewTransfer, ctx: WriteContext): Promise<{ readonly transfer: Transfer; readonly created: boolean }>;
  get(id: string): Promise<Result<Transfer, AppError<'NOT_FOUND'>>>;
  /** The transfer still pending or accepting for a case, if any. */
  findOpenForCase(caseId: string): Promise<Transfer | null>;
  /** Transfers leaving or joining an area, newest first (only those in `states` when given). */
  listForArea(areaId: string, limit: number, states?: readonly TransferState[]): Promise<Transfer[]>;
  /** The newest transfer of the case the sending area knows by `caseRef`, whatever its state. */
  latestFromArea(fromAreaId: string, caseRef: string): Promise<Transfer | null>;
  /** Moves the state, conditional on the current one being in `from`. */
  advance(
    id: string,
    from: readonly TransferState[],
    to: TransferState,
    fields: Partial<Pick<Transfer, 'decidedBy' | 'decidedAt' | 'declineReason' | 'receivingRef'>>,
    ctx: WriteContext,
  ): Promise<Result<Transfer, TransitionError>>;
  /** The next case reference in an area (the same counter as new cases, so refs never clash). */
  allocateRef(areaId: string, year: string): Promise<string>;
  /**
   * The reference a case moving within this deployment takes in the receiving area: its own when no
   * case there has it (the receiving area's counter is moved past it, so it is never given again);
   * otherwise the receiving area's next number that no case in the deployment has, with the sending
   * area's counter moved past it too, so neither area ever gives it to another case.
   */
  refForMove(caseRef: string, fromAreaId: string, toAreaId: string, year: string): Promise<string>;
  /** The case's records (actions, reminders, meetings, minutes, agency updates) still in the sending area. */
  recordsToMove(caseId: string, fromAreaId: string): Promise<{ kind: TransferredRecordKind; id: string }[]>;
  /**
   * Moves one record, held (`transferHold`) so area-scoped readers of either side skip it until the
   * transfer is settled. True when it moved now or had already been moved by this transfer.
   */
  moveRecord(kind: TransferredRecordKind, id: string, move: TransferMove, ctx: WriteContext): Promise<boolean>;
  /** Moves the case itself under its new ref; the last record move, so the receiver sees it only complete. */
  moveCase(caseId: string, move: TransferMove, ctx: WriteContext): Promise<boolean>;
  /**
   * The id a record made by accepting an imported hand-over takes: derived from the transfer and the
   * sender's id, so a retry finds what an earlier attempt wrote, and a case that comes back to this
   * deployment later never meets its old records' ids.
   */
  importedId(transferId: string, sourceId: string): string;
  /**
   * Stores a record an imported hand-over brings, held for the transfer like a moved one. True when
   * stored now or already stored by this transfer; false when the id is taken by something else.
   */
  placeImportedAction(action: ActionRecord, transferId: string, ctx: WriteContext): Promise<boolean>;
  placeImportedReminder(plan: ReminderPlan, transferId: string, ctx: WriteContext): Promise<boolean>;
  /** Stores the imported case itself; the last record, so the receiver sees the case only complete. */
  placeImportedCase(c: CaseRecord, transferId: string, ctx: WriteContext): Promise<boolean>;
  /** Lifts the holds this transfer put on moved records; idempotent. */
  releaseHolds(transferId: string): Promise<number>;
}
