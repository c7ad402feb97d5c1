import { createHash } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { ActionRecord } from '../app/ports/action-repository.port';
import type { CaseRecord } from '../app/ports/case-repository.port';
import type { ReminderPlan } from '../app/ports/reminder-repository.port';
import { z } from 'zod';
import type { AuditLog } from '../app/ports/audit-log.port';
import type { Clock } from '../app/ports/clock.port';
import type {
  NewTransfer,
  TransferMove,
  TransferRepository,
  TransferredRecordKind,
} from '../app/ports/transfer-repository.port';
import type { RecordedAuditAction } from '../app/ports/audit-log.port';
import type { TransitionError, WriteContext } from '../app/ports/write-context.port';
import { canMoveTransfer, Transfer, type TransferState } from '../domain';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import { ACTIONS, actionDocOf } from './action.repository';
import { AGENCY_UPDATES } from './agency-update.repository';
import { MEETINGS } from './meeting.repository';
import { MINUTES, MINUTES_VERSIONS } from './minutes.repository';
import { CASES, caseDocOf, COUNTERS } from './case.repository';
import type { CollectionSpec } from './mongo';
import { dueSlotOf, REMINDERS } from './reminder.repository';
import { TRANSFER_HOLD } from './transfer-hold';
import { appendAudit, isDuplicateKeyError, notFound, parseStored, stripUndefined } from './repository-support';

export const TRANSFERS: CollectionSpec = {
  name: 'transfers',
  indexes: [
    { key: { caseId: 1, state: 1 }, name: 'transfers_case_state' },
    { key: { fromAreaId: 1, requestedAt: -1 }, name: 'transfers_from' },
    { key: { toAreaId: 1, requestedAt: -1 }, name: 'transfers_to' },
  ],
};

const TransferDoc = Transfer.omit({ id: true }).extend({ _id: z.string() });
type TransferDoc = z.infer<typeof TransferDoc>;
const HeldReminder = z.object({ _id: z.string(), nextAt: z.date() });
const CounterDoc = z.object({ _id: z.string(), n: z.number().int().positive() });

function fromDoc(raw: unknown): Transfer {
  const { _id, ...rest } = parseStored(TransferDoc, raw, TRANSFERS.name);
  return Transfer.parse({ ...rest, id: _id });
}

export class MongoTransferRepository implements TransferRepository {
  private readonly col: Collection<TransferDoc>;
  private readonly moved: Readonly<Record<TransferredRecordKind, Collection<{ _id: string }>>>;
  private readonly cases: Collection<{ _id: string }>;
  private readonly counters: Collection<{ _id: string }>;
  private readonly minutesVersions: Collection<{ _id: string }>;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection<TransferDoc>(TRANSFERS.name);
    this.moved = {
      action: db.collection(ACTIONS.name),
      reminder: db.collection(REMINDERS.name),
      meeting: db.collection(MEETINGS.name),
      minutes: db.collection(MINUTES.name),
      agencyUpdate: db.collection(AGENCY_UPDATES.name),
    };
    this.minutesVersions = db.collection(MINUTES_VERSIONS.name);
    this.cases = db.collection(CASES.name);
    this.counters = db.collection(COUNTERS.name);
  }

  /** One event in each area's chain: the transfer is a fact of both. */
  private async auditBoth(
    t: Pick<Transfer, 'id' | 'caseId' | 'fromAreaId' | 'toAreaId' | 'mode'>,
    action: RecordedAuditAction,
    ctx: WriteContext,
    details: Record<string, string | number | boolean> = {},
  ): Promise<void> {
    // Across deployments only this side's area is in this database; the other side audits its own.
    const areas =
      t.mode === 'import' ? [t.toAreaId] : t.mode === 'export' ? [t.fromAreaId] : [t.fromAreaId, t.toAreaId];
    for (const areaId of areas) {
      await appendAudit(
        this.audit,
        {
          tenantId: ctx.by.tenantId,
          areaId,
          actorAadObjectId: ctx.by.aadObjectId,
          action,
          entity: { type: 'case', id: t.caseId },
          details: { transferId: t.id, fromAreaId: t.fromAreaId, toAreaId: t.toAreaId, ...details },
        },
        true,
      );
    }
  }

  async create(input: NewTransfer, ctx: WriteContext): Promise<{ transfer: Transfer; created: boolean }> {
    const t = Transfer.parse({ ...input, version: 0 });
    const { id, ...rest } = t;
    try {
      await this.col.insertOne(stripUndefined({ _id: id, ...rest }) as TransferDoc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.col.findOne({ _id: id });
      return { transfer: fromDoc(existing), created: false };
    }
    await this.auditBoth(t, t.mode === 'import' ? 'case.transfer_imported' : 'case.transfer_requested', ctx);
    return { transfer: t, created: true };
  }

  async get(id: string): Promise<Result<Transfer, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? ok(fromDoc(raw)) : err(notFound('transfer', id));
  }

  async findOpenForCase(caseId: string): Promise<Transfer | null> {
    const raw = await this.col.findOne({ caseId, state: { $in: ['pending', 'accepting'] } });
    return raw ? fromDoc(raw) : null;
  }

  async listForArea(areaId: string, limit: number, states?: readonly TransferState[]): Promise<Transfer[]> {
    const docs = await this.col
      .find({
        $or: [{ fromAreaId: areaId }, { toAreaId: areaId }],
        ...(states ? { state: { $in: [...states] } } : {}),
      })
      .sort({ requestedAt: -1 })
      .limit(limit)
      .toArray();
    return docs.map(fromDoc);
  }

  async latestFromArea(fromAreaId: string, caseRef: string): Promise<Transfer | null> {
    const [raw] = await this.col.find({ fromAreaId, caseRef }).sort({ requestedAt: -1 }).limit(1).toArray();
    return raw ? fromDoc(raw) : null;
  }

  async advance(
    id: string,
    from: readonly TransferState[],
    to: TransferState,
    fields: Partial<Pick<Transfer, 'decidedBy' | 'decidedAt' | 'declineReason' | 'receivingRef'>>,
    ctx: WriteContext,
  ): Promise<Result<Transfer, TransitionError>> {
    const allowed = from.filter((s) => canMoveTransfer(s, to));
    const raw = await this.col.findOneAndUpdate(
      { _id: id, state: { $in: allowed } },
      { $set: { ...stripUndefined(fields), state: to }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (!raw) {
      const current = await this.col.findOne({ _id: id });
      if (!current) return err(notFound('transfer', id));
      return err(
        current.state === 'declined' || current.state === 'accepted' || current.state === 'withdrawn'
          ? appError('ALREADY_DECIDED', undefined, { entity: 'transfer', id, state: current.state })
          : appError('ILLEGAL_TRANSITION', undefined, { entity: 'transfer', id, status: current.state }),
      );
    }
    const t = fromDoc(raw);
    const action: RecordedAuditAction =
      to === 'declined'
        ? 'case.transfer_declined'
        : to === 'withdrawn'
          ? 'case.transfer_withdrawn'
          : to === 'accepted'
            ? 'case.transfer_accepted'
            : 'case.transfer_accepting';
    await this.auditBoth(t, action, ctx);
    return ok(t);
  }

  async allocateRef(areaId: string, year: string): Promise<string> {
    return refOf(year, await this.bumpCounter(`case-ref:${areaId}:${year}`, { $inc: { n: 1 } }));
  }

  async refForMove(caseRef: string, fromAreaId: string, toAreaId: string, year: string): Promise<string> {
    const own = /^MAPPA-(\d{4})-(\d{4,})$/.exec(caseRef);
    if (
      own &&
      (await this.cases.countDocuments({ areaId: toAreaId, ref: caseRef } as never)) === 0 &&
      (await this.holdRef(toAreaId, caseRef))
    ) {
      // The receiving area never numbers a case of its own with this reference later.
      await this.bumpCounter(`case-ref:${toAreaId}:${own[1]!}`, { $max: { n: Number(own[2]) } });
      return caseRef;
    }
    for (;;) {
      const n = await this.bumpCounter(`case-ref:${toAreaId}:${year}`, { $inc: { n: 1 } });
      const ref = refOf(year, n);
      // Another area may already have numbered a case so; skip it, as a retry of `create` would.
      if ((await this.cases.countDocuments({ ref } as never)) > 0) continue;
      await this.bumpCounter(`case-ref:${fromAreaId}:${year}`, { $max: { n } });
      return ref;
    }
  }

  /**
   * Keeps `ref` for one case moving into the area: two accepts of cases with the same reference from
   * different areas (each area numbers its own) would otherwise both keep it, and the second move would
   * fail on the area's unique reference for good. The first insert wins; the other is renumbered.
   */
  private async holdRef(toAreaId: string, ref: string): Promise<boolean> {
    try {
      await this.counters.insertOne({ _id: `case-ref-held:${toAreaId}:${ref}` });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  private async bumpCounter(key: string, update: object): Promise<number> {
    const bump = () =>
      this.counters.findOneAndUpdate({ _id: key }, update as never, { upsert: true, returnDocument: 'after' });
    let raw;
    try {
      raw = await bump();
    } catch (error) {
      // Two first-ever upserts of the same counter can race; the loser's retry finds the document.
      if (!isDuplicateKeyError(error)) throw error;
      raw = await bump();
    }
    return parseStored(CounterDoc, raw, COUNTERS.name).n;
  }

  async recordsToMove(caseId: string, fromAreaId: string): Promise<{ kind: TransferredRecordKind; id: string }[]> {
    const out: { kind: TransferredRecordKind; id: string }[] = [];
    for (const kind of ['action', 'reminder', 'meeting', 'minutes', 'agencyUpdate'] as const) {
      const docs = await this.moved[kind]
        .find({ caseId, areaId: fromAreaId } as never, { projection: { _id: 1 } })
        .sort({ _id: 1 })
        .toArray();
      out.push(...docs.map((d) => ({ kind, id: d._id })));
    }
    return out;
  }

  async moveRecord(kind: TransferredRecordKind, id: string, move: TransferMove, ctx: WriteContext): Promise<boolean> {
    const col = this.moved[kind];
    // The approved revisions kept beside the minutes carry the area inside them; they move first, so
    // a retry (which finds the minutes only while they are still the sender's) never skips them.
    if (kind === 'minutes')
      await this.minutesVersions.updateMany(
        { minutesId: id } as never,
        {
          $set: { 'minutes.areaId': move.toAreaId },
        } as never,
      );
    const res = await col.updateOne(
      { _id: id, caseId: move.caseId, areaId: move.fromAreaId } as never,
      {
        $set: {
          areaId: move.toAreaId,
          [TRANSFER_HOLD]: move.transferId,
          movedAt: this.clock.now(),
          ...(kind === 'reminder' ? { caseRef: move.ref } : {}),
        },
      } as never,
    );
    if (res.modifiedCount === 1) {
      await this.auditBoth(
        {
          id: move.transferId,
          caseId: move.caseId,
          fromAreaId: move.fromAreaId,
          toAreaId: move.toAreaId,
          mode: 'local',
        },
        'case.transfer_record_moved',
        ctx,
        { kind, recordId: id },
      );
      return true;
    }
    // A retry: moved already by this transfer counts as moved; anything else is not ours to move.
    const already = await col.findOne({ _id: id, areaId: move.toAreaId, [TRANSFER_HOLD]: move.transferId } as never);
    return already !== null;
  }

  async moveCase(caseId: string, move: TransferMove, ctx: WriteContext): Promise<boolean> {
    const res = await this.cases.updateOne(
      { _id: caseId, areaId: move.fromAreaId } as never,
      {
        $set: { areaId: move.toAreaId, ref: move.ref, transferredIn: move.transferId },
        // Old cards of the case in the sending area can then say it moved, rather than "not found".
        $addToSet: { movedFrom: move.fromAreaId },
        $inc: { version: 1 },
      } as never,
    );
    if (res.modifiedCount === 1) {
      await this.auditBoth(
        { id: move.transferId, caseId, fromAreaId: move.fromAreaId, toAreaId: move.toAreaId, mode: 'local' },
        'case.transfer_record_moved',
        ctx,
        { kind: 'case', ref: move.ref },
      );
      return true;
    }
    const already = await this.cases.findOne({
      _id: caseId,
      areaId: move.toAreaId,
      transferredIn: move.transferId,
    } as never);
    return already !== null;
  }

  importedId(transferId: string, sourceId: string): string {
    // A UUID-shaped digest: as long as the ids this store makes, whatever the sender's ids look like.
    const h = createHash('sha256').update(`${transferId}\u0000${sourceId}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  /** Inserts once; a duplicate id counts as placed (`already`) only when this transfer placed it. */
  private async placeOnce(
    col: Collection<{ _id: string }>,
    doc: { _id: string } & Record<string, unknown>,
    mark: Record<string, string>,
  ): Promise<'now' | 'already' | 'taken'> {
    try {
      await col.insertOne({ ...doc, ...mark } as never);
      return 'now';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return (await col.findOne({ _id: doc._id, ...mark } as never)) !== null ? 'already' : 'taken';
    }
  }

  private async auditPlaced(
    transferId: string,
    entity: { areaId: string; caseId: string },
    kind: 'action' | 'reminder' | 'case',
    ctx: WriteContext,
  ): Promise<void> {
    const t = await this.col.findOne({ _id: transferId });
    if (!t) return;
    await this.auditBoth(
      { id: transferId, caseId: entity.caseId, fromAreaId: t.fromAreaId, toAreaId: t.toAreaId, mode: 'import' },
      'case.transfer_record_moved',
      ctx,
      { kind },
    );
  }

  async placeImportedAction(action: ActionRecord, transferId: string, ctx: WriteContext): Promise<boolean> {
    const doc = actionDocOf(action) as unknown as { _id: string } & Record<string, unknown>;
    const placed = await this.placeOnce(this.moved.action, doc, { [TRANSFER_HOLD]: transferId });
    if (placed === 'now') await this.auditPlaced(transferId, action, 'action', ctx);
    return placed !== 'taken';
  }

  async placeImportedReminder(plan: ReminderPlan, transferId: string, ctx: WriteContext): Promise<boolean> {
    const { id, nextAt, ...fields } = plan;
    const now = this.clock.now();
    const doc = {
      _id: id,
      ...fields,
      status: 'scheduled',
      nextAt: new Date(nextAt),
      dueSlot: dueSlotOf(new Date(nextAt), now),
      claimToken: null,
      updatedAt: now,
      lastSentAt: null,
      escalatedAt: null,
      sends: [],
      undelivered: 0,
    };
    const placed = await this.placeOnce(this.moved.reminder, doc, { [TRANSFER_HOLD]: transferId });
    if (placed === 'now') await this.auditPlaced(transferId, plan, 'reminder', ctx);
    return placed !== 'taken';
  }

  async placeImportedCase(c: CaseRecord, transferId: string, ctx: WriteContext): Promise<boolean> {
    const doc = caseDocOf(c) as unknown as { _id: string } & Record<string, unknown>;
    const placed = await this.placeOnce(this.cases, doc, { transferredIn: transferId });
    if (placed === 'now') await this.auditPlaced(transferId, { areaId: c.areaId, caseId: c.id }, 'case', ctx);
    return placed !== 'taken';
  }

  async releaseHolds(transferId: string): Promise<number> {
    let n = await this.releaseReminders(transferId);
    for (const [kind, col] of Object.entries(this.moved)) {
      if (kind === 'reminder') continue;
      const res = await col.updateMany(
        { [TRANSFER_HOLD]: transferId } as never,
        {
          $unset: { [TRANSFER_HOLD]: '' },
        } as never,
      );
      n += res.modifiedCount;
    }
    return n;
  }

  /**
   * A held reminder is invisible to the due query, whose area mark may meanwhile have passed its slot
   * (or it came from another area): released, it takes the slot of a write made now, so it is found.
   * One at a time, each conditional on the nextAt read, since that slot depends on it.
   */
  private async releaseReminders(transferId: string): Promise<number> {
    const col = this.moved.reminder;
    let n = 0;
    for (;;) {
      const raw = await col.findOne({ [TRANSFER_HOLD]: transferId } as never, { projection: { _id: 1, nextAt: 1 } });
      if (!raw) return n;
      const { _id, nextAt } = parseStored(HeldReminder, raw, REMINDERS.name);
      const res = await col.updateOne(
        { _id, nextAt, [TRANSFER_HOLD]: transferId } as never,
        { $unset: { [TRANSFER_HOLD]: '' }, $set: { dueSlot: dueSlotOf(nextAt, this.clock.now()) } } as never,
      );
      n += res.modifiedCount;
    }
  }
}

const refOf = (year: string, n: number): string => `MAPPA-${year}-${String(n).padStart(4, '0')}`;
