import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import {
  NotificationDecision,
  NotificationRecord,
  type AuditLog,
  type Clock,
  type ErasureOutcome,
  type NewNotification,
  type NotificationChanges,
  type NotificationRepository,
  type TransitionError,
  type UpdateError,
  type WriteContext,
} from '../app/ports';
import { Id, type Notification } from '../domain';
import { eraseNotification } from '../domain/erasure';
import type { AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import { eraseDocument } from './erasure-support';
import type { CollectionSpec } from './mongo';
import {
  appendAudit,
  auditEventFor,
  auditUpdated,
  classifyTransitionMiss,
  fromDate,
  isDuplicateKeyError,
  mergeChanges,
  newId,
  notFound,
  parseStored,
  stripUndefined,
  toDate,
  versionedUpdate,
  without,
  type StoredDocument,
} from './repository-support';

export const NOTIFICATIONS: CollectionSpec = {
  name: 'notifications',
  indexes: [
    /*
     * Idempotent intake. One field holding area and external ref, rather than a sparse compound
     * (areaId, externalRef) index: MongoDB indexes a document in a sparse compound index when any key
     * is present, so every in-bot notification (no externalRef) would collide on (areaId, null).
     */
    { key: { intakeKey: 1 }, name: 'notifications_intake_key_unique', unique: true, sparse: true },
    { key: { areaId: 1, status: 1, createdAt: 1 }, name: 'notifications_area_status_created' },
    { key: { subjectId: 1 }, name: 'notifications_subject' },
    { key: { caseId: 1 }, name: 'notifications_case' },
  ],
};

const NotificationDoc = NotificationRecord.omit({ id: true, createdAt: true }).extend({
  _id: Id,
  createdAt: z.date(),
  intakeKey: z.string().optional(),
});
type NotificationDoc = z.infer<typeof NotificationDoc>;

const intakeKey = (areaId: string, externalRef: string): string => `${areaId}\u001f${externalRef.trim()}`;

function toDoc(n: NotificationRecord): NotificationDoc {
  const { id, createdAt, ...rest } = NotificationRecord.parse(n);
  return NotificationDoc.parse(
    stripUndefined({
      _id: id,
      createdAt: toDate(createdAt),
      intakeKey: rest.externalRef ? intakeKey(rest.areaId, rest.externalRef) : undefined,
      ...rest,
    }),
  );
}

function readDoc(raw: unknown): NotificationDoc {
  return parseStored(NotificationDoc, raw, NOTIFICATIONS.name);
}

function fromDoc(raw: unknown): NotificationRecord {
  const { _id, createdAt, ...rest } = without(readDoc(raw), 'intakeKey');
  return { id: _id, createdAt: fromDate(createdAt), ...rest };
}

const DECIDED: readonly Notification['status'][] = ['accepted', 'returned'];

export class MongoNotificationRepository implements NotificationRepository {
  private readonly col: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(NOTIFICATIONS.name);
  }

  async create(input: NewNotification, ctx: WriteContext<'notification.received'>): Promise<NotificationRecord> {
    const record = this.newRecord(input, undefined);
    await this.col.insertOne(toDoc(record));
    await this.audited(record, ctx);
    return record;
  }

  async createIfAbsent(
    input: NewNotification,
    externalRef: string,
    ctx: WriteContext<'notification.received'>,
  ): Promise<{ notification: NotificationRecord; created: boolean }> {
    const record = this.newRecord(input, externalRef);
    try {
      await this.col.insertOne(toDoc(record));
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findByExternalRef(record.areaId, externalRef);
      // The unique index refused us, so the winner's document exists unless it was deleted since.
      if (!existing.ok)
        throw new Error(`Notification intake: duplicate ${NOTIFICATIONS.name} key but no document for it`, {
          cause: error,
        });
      return { notification: existing.value, created: false };
    }
    await this.audited(record, ctx);
    return { notification: record, created: true };
  }

  async get(id: string): Promise<Result<NotificationRecord, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? ok(fromDoc(raw)) : err(notFound('notification', id));
  }

  async findByExternalRef(
    areaId: string,
    externalRef: string,
  ): Promise<Result<NotificationRecord, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ intakeKey: intakeKey(areaId, externalRef) });
    return raw ? ok(fromDoc(raw)) : err(notFound('notification', externalRef));
  }

  async listByStatus(
    areaId: string,
    status: Notification['status'],
    opts: { limit?: number } = {},
  ): Promise<NotificationRecord[]> {
    const docs = await this.col
      .find({ areaId, status })
      .sort({ createdAt: 1 })
      .limit(opts.limit ?? 100)
      .toArray();
    return docs.map(fromDoc);
  }

  async decide(
    id: string,
    decision: NotificationDecision & { readonly caseId?: string },
    ctx: WriteContext<'notification.decided'>,
  ): Promise<Result<NotificationRecord, TransitionError>> {
    const { caseId, ...rest } = decision;
    const parsed = NotificationDecision.parse(rest);
    const $set: Record<string, unknown> = { status: parsed.outcome, decision: stripUndefined(parsed) };
    if (caseId !== undefined) $set.caseId = Id.parse(caseId);
    const raw = await this.col.findOneAndUpdate(
      { _id: id, status: 'received' },
      { $set, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (!raw)
      return err(
        await classifyTransitionMiss({ col: this.col, entity: 'notification', id, read: readDoc, decided: DECIDED }),
      );
    const record = fromDoc(raw);
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'notification.decided',
        record.areaId,
        { type: 'notification', id },
        { outcome: parsed.outcome, ...(caseId ? { caseId } : {}) },
      ),
      true,
    );
    return ok(record);
  }

  async update(
    id: string,
    expectedVersion: number,
    changes: NotificationChanges,
    ctx: WriteContext<'notification.updated'>,
  ): Promise<Result<NotificationRecord, UpdateError>> {
    const result = await versionedUpdate({
      col: this.col,
      entity: 'notification',
      id,
      expectedVersion,
      read: readDoc,
      next: (doc) =>
        toDoc(
          mergeChanges(fromDoc(doc), changes, [
            'id',
            'areaId',
            'status',
            'createdAt',
            'notifiedBy',
            'externalRef',
            'decision',
            'version',
          ]),
        ),
    });
    return auditUpdated(this.audit, ctx, 'notification.updated', { type: 'notification', id }, result, fromDoc);
  }

  async listForCase(caseId: string): Promise<NotificationRecord[]> {
    const docs = await this.col.find({ caseId }).sort({ createdAt: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async listForSubject(subjectId: string): Promise<NotificationRecord[]> {
    const docs = await this.col.find({ subjectId }).sort({ createdAt: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async erase(
    id: string,
    ctx: WriteContext<'notification.erased'>,
  ): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>> {
    return eraseDocument({
      col: this.col,
      audit: this.audit,
      entity: 'notification',
      id,
      read: readDoc,
      erase: (doc) => toDoc(eraseNotification(fromDoc(doc))),
      action: 'notification.erased',
      ctx,
    });
  }

  private newRecord(input: NewNotification, externalRef: string | undefined): NotificationRecord {
    return NotificationRecord.parse({
      ...input,
      externalRef,
      id: newId(),
      status: 'received',
      createdAt: this.clock.now().toISOString(),
      version: 0,
    });
  }

  private audited(record: NotificationRecord, ctx: WriteContext<'notification.received'>): Promise<void> {
    const details = {
      category: record.category,
      leadAgencyId: record.leadAgencyId,
      ...(record.externalRef ? { intake: true } : {}),
    };
    return appendAudit(
      this.audit,
      auditEventFor(ctx, 'notification.received', record.areaId, { type: 'notification', id: record.id }, details),
      true,
    );
  }
}
