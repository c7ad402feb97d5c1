import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import type {
  AuditLog,
  Clock,
  ErasureOutcome,
  MinutesChanges,
  MinutesRepository,
  MinutesUpdateAction,
  NewMinutes,
  RequestActor,
  TransitionError,
  UpdateError,
  WriteContext,
} from '../app/ports';
import { Actor, Id, Minutes } from '../domain';
import { eraseMinutes } from '../domain/erasure';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import { eraseDocument } from './erasure-support';
import type { CollectionSpec } from './mongo';
import {
  appendAudit,
  auditEventFor,
  auditUpdated,
  instantMapper,
  classifyTransitionMiss,
  isDuplicateKeyError,
  mergeChanges,
  newId,
  notFound,
  versionedUpdate,
  type StoredDocument,
} from './repository-support';

export const MINUTES: CollectionSpec = {
  name: 'minutes',
  indexes: [
    // One set of minutes per meeting; enforced on insert, where every backend reports 11000.
    { key: { meetingId: 1 }, name: 'minutes_meeting_unique', unique: true },
    { key: { caseId: 1, createdAt: 1 }, name: 'minutes_case_created' },
  ],
};

const MinutesDoc = Minutes.omit({ id: true, createdAt: true }).extend({ _id: Id, createdAt: z.date() });
type MinutesDoc = z.infer<typeof MinutesDoc>;

const { toDoc, readDoc, fromDoc } = instantMapper(Minutes, MinutesDoc, MINUTES.name, 'createdAt');

export class MongoMinutesRepository implements MinutesRepository {
  private readonly col: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(MINUTES.name);
  }

  async startForMeeting(
    input: NewMinutes,
    ctx: WriteContext<'minutes.created'>,
  ): Promise<{ minutes: Minutes; created: boolean }> {
    const minutes = Minutes.parse({
      ...input,
      id: newId(),
      status: 'draft',
      createdAt: this.clock.now().toISOString(),
      version: 0,
    });
    try {
      await this.col.insertOne(toDoc(minutes));
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.getForMeeting(minutes.meetingId);
      if (!existing.ok) throw new Error('Minutes: duplicate meeting key but no document for it', { cause: error });
      return { minutes: existing.value, created: false };
    }
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'minutes.created',
        minutes.areaId,
        { type: 'minutes', id: minutes.id },
        { meetingId: minutes.meetingId },
      ),
      true,
    );
    return { minutes, created: true };
  }

  async get(id: string): Promise<Result<Minutes, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? ok(fromDoc(raw)) : err(notFound('minutes', id));
  }

  async getForMeeting(meetingId: string): Promise<Result<Minutes, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ meetingId });
    return raw ? ok(fromDoc(raw)) : err(notFound('minutes', meetingId));
  }

  async getForReader(id: string, reader: RequestActor): Promise<Result<Minutes, AppError<'NOT_FOUND'>>> {
    const found = await this.get(id);
    if (!found.ok) return found;
    await appendAudit(
      this.audit,
      auditEventFor({ by: reader }, 'minutes.viewed', found.value.areaId, { type: 'minutes', id }),
      false,
    );
    return found;
  }

  async update(
    id: string,
    expectedVersion: number,
    changes: MinutesChanges,
    ctx: WriteContext<MinutesUpdateAction>,
  ): Promise<Result<Minutes, UpdateError | AppError<'ALREADY_DECIDED'>>> {
    const result = await versionedUpdate({
      col: this.col,
      entity: 'minutes',
      id,
      expectedVersion,
      read: readDoc,
      // Approved minutes are the record of the meeting; corrections go through a new approval cycle, not an edit.
      condition: { status: { $ne: 'approved' } },
      refuse: (doc) =>
        doc.status === 'approved'
          ? appError('ALREADY_DECIDED', 'The minutes are approved.', { entity: 'minutes', id, status: doc.status })
          : null,
      next: (doc) =>
        toDoc(
          mergeChanges(fromDoc(doc), changes, [
            'id',
            'areaId',
            'caseId',
            'meetingId',
            'approvedBy',
            'approvedAt',
            'createdAt',
            'version',
          ]),
        ),
    });
    return auditUpdated(this.audit, ctx, 'minutes.updated', { type: 'minutes', id }, result, fromDoc);
  }

  async approve(
    id: string,
    expectedVersion: number,
    approvedBy: Actor,
    ctx: WriteContext<'minutes.approved'>,
  ): Promise<Result<Minutes, TransitionError>> {
    const approver = Actor.parse(approvedBy);
    const raw = await this.col.findOneAndUpdate(
      { _id: id, version: expectedVersion, status: { $in: ['draft', 'circulated'] } },
      {
        $set: { status: 'approved', approvedBy: approver, approvedAt: this.clock.now().toISOString() },
        $inc: { version: 1 },
      },
      { returnDocument: 'after' },
    );
    if (!raw)
      return err(
        await classifyTransitionMiss({
          col: this.col,
          entity: 'minutes',
          id,
          read: readDoc,
          decided: ['approved'],
          expectedVersion,
        }),
      );
    const minutes = fromDoc(raw);
    await appendAudit(
      this.audit,
      auditEventFor(ctx, 'minutes.approved', minutes.areaId, { type: 'minutes', id }, { version: minutes.version }),
      true,
    );
    return ok(minutes);
  }

  async listForCase(caseId: string): Promise<Minutes[]> {
    const docs = await this.col.find({ caseId }).sort({ createdAt: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async erase(id: string, ctx: WriteContext<'minutes.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>> {
    // No status condition, unlike `update`: approval freezes the minutes against edits, not against erasure.
    return eraseDocument({
      col: this.col,
      audit: this.audit,
      entity: 'minutes',
      id,
      read: readDoc,
      erase: (doc) => toDoc(eraseMinutes(fromDoc(doc))),
      action: 'minutes.erased',
      ctx,
    });
  }
}
