import type { Collection, Db, Filter } from 'mongodb';
import { z } from 'zod';
import {
  ActionRecord,
  DueQuery,
  type ActionChangeMeta,
  type ActionChanges,
  type ActionRepository,
  type AuditLog,
  type Clock,
  type ErasureOutcome,
  type NewAction,
  type UpdateError,
  type WriteContext,
} from '../app/ports';
import { Id, withHistoryEntry, withoutExtensionIfClosed } from '../domain';
import { eraseAction } from '../domain/erasure';
import type { AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import { eraseDocument } from './erasure-support';
import type { CollectionSpec } from './mongo';
import { notHeld } from './transfer-hold';
import {
  appendAudit,
  auditEventFor,
  auditUpdated,
  instantMapper,
  isDuplicateKeyError,
  mergeChanges,
  newId,
  notFound,
  versionedUpdate,
  type StoredDocument,
} from './repository-support';

export const ACTIONS: CollectionSpec = {
  name: 'actions',
  indexes: [
    // The scheduler's scan: open actions by due date (ISO dates sort as strings).
    { key: { status: 1, dueDate: 1 }, name: 'actions_status_due' },
    { key: { ownerAadObjectId: 1, status: 1, dueDate: 1 }, name: 'actions_owner_status_due' },
    { key: { caseId: 1, dueDate: 1 }, name: 'actions_case_due' },
    { key: { ownerAgencyId: 1, status: 1, dueDate: 1 }, name: 'actions_agency_status_due' },
  ],
};

const ActionDoc = ActionRecord.omit({ id: true, createdAt: true }).extend({ _id: Id, createdAt: z.date() });
type ActionDoc = z.infer<typeof ActionDoc>;

const { toDoc, readDoc, fromDoc } = instantMapper(ActionRecord, ActionDoc, ACTIONS.name, 'createdAt');
/** The stored shape of an action, for the transfer store that places an imported case's actions. */
export const actionDocOf = toDoc;

export class MongoActionRepository implements ActionRepository {
  private readonly col: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(ACTIONS.name);
  }

  async create(input: NewAction, ctx: WriteContext<'action.created'>): Promise<ActionRecord> {
    const action = ActionRecord.parse({ ...input, id: newId(), createdAt: this.clock.now().toISOString(), version: 0 });
    await this.col.insertOne(toDoc(action));
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'action.created',
        action.areaId,
        { type: 'action', id: action.id },
        { caseId: action.caseId, meetingId: action.meetingId, pillar: action.pillar },
      ),
      true,
    );
    return action;
  }

  async createOnce(
    id: string,
    input: NewAction,
    ctx: WriteContext<'action.created'>,
  ): Promise<{ action: ActionRecord; created: boolean }> {
    const action = ActionRecord.parse({ ...input, id, createdAt: this.clock.now().toISOString(), version: 0 });
    try {
      await this.col.insertOne(toDoc(action));
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const stored = await this.col.findOne({ _id: id });
      if (!stored) throw error;
      return { action: fromDoc(stored), created: false };
    }
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'action.created',
        action.areaId,
        { type: 'action', id: action.id },
        { caseId: action.caseId, meetingId: action.meetingId, pillar: action.pillar },
      ),
      true,
    );
    return { action, created: true };
  }

  async get(id: string): Promise<Result<ActionRecord, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? ok(fromDoc(raw)) : err(notFound('action', id));
  }

  async listForCase(caseId: string): Promise<ActionRecord[]> {
    const docs = await this.col.find({ caseId }).sort({ dueDate: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async listDue(query: z.input<typeof DueQuery>): Promise<ActionRecord[]> {
    const q = DueQuery.parse(query);
    // In progress is still open work: it is chased and counted as overdue just the same.
    const filter: Filter<StoredDocument> = {
      status: { $in: ['open', 'in_progress'] },
      dueDate: { $lte: q.onOrBefore },
    };
    if (q.areaId) {
      filter.areaId = q.areaId;
      // Mid-transfer the action belongs to neither side's lists until the move is complete.
      Object.assign(filter, notHeld);
    }
    const docs = await this.col
      .find(filter)
      .sort({ dueDate: 1 })
      .limit(q.limit ?? 500)
      .toArray();
    return docs.map(fromDoc);
  }

  async listForOwner(
    ownerAadObjectId: string,
    opts: { status?: ActionRecord['status'] } = {},
  ): Promise<ActionRecord[]> {
    const docs = await this.col
      .find({ ownerAadObjectId, status: opts.status ?? 'open' })
      .sort({ dueDate: 1 })
      .toArray();
    return docs.map(fromDoc);
  }

  async listUnownedForAgency(areaId: string, agencyId: string, limit: number): Promise<ActionRecord[]> {
    const docs = await this.col
      .find({
        areaId,
        ownerAgencyId: agencyId,
        status: { $in: ['open', 'in_progress'] },
        // Null matches a missing owner too.
        ownerAadObjectId: null,
        ...notHeld,
      })
      .sort({ dueDate: 1 })
      .limit(limit)
      .toArray();
    return docs.map(fromDoc);
  }

  async update(
    id: string,
    expectedVersion: number,
    changes: ActionChanges,
    ctx: WriteContext<'action.updated'>,
    meta: ActionChangeMeta = {},
  ): Promise<Result<ActionRecord, UpdateError>> {
    const at = this.clock.now().toISOString();
    const by = { aadObjectId: ctx.by.aadObjectId, displayName: ctx.by.displayName };
    // The whole history array is $set in the write conditional on { _id, version }: FerretDB v1 has no
    // transactions or arrayFilters, and the version guard makes a $set as safe as a $push here.
    const result = await versionedUpdate({
      col: this.col,
      entity: 'action',
      id,
      expectedVersion,
      read: readDoc,
      next: (doc) => {
        const current = fromDoc(doc);
        const merged = mergeChanges(current, changes, [
          'id',
          'areaId',
          'caseId',
          'meetingId',
          'createdAt',
          'version',
          'history',
        ]);
        return toDoc(withHistoryEntry(current, withoutExtensionIfClosed(merged), { by, at, ...meta }));
      },
    });
    return auditUpdated(this.audit, ctx, 'action.updated', { type: 'action', id }, result, fromDoc, (action) => ({
      status: action.status,
      ...(meta.event ? { event: meta.event } : {}),
    }));
  }

  async erase(id: string, ctx: WriteContext<'action.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>> {
    return eraseDocument({
      col: this.col,
      audit: this.audit,
      entity: 'action',
      id,
      read: readDoc,
      erase: (doc) => toDoc(eraseAction(fromDoc(doc))),
      action: 'action.erased',
      ctx,
    });
  }
}
