import { createHash } from 'node:crypto';
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
  SectionConflict,
  TransitionError,
  UpdateError,
  WriteContext,
} from '../app/ports';
import { Actor, Id, Minutes, minutesContent, sectionSpec, type MinutesSectionId } from '../domain';
import { eraseMinutes } from '../domain/erasure';
import { canonicalJson } from '../lib/canonical-json';
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
  parseStored,
  stripUndefined,
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

/** Approved revisions, insert-only: what was approved stays readable after any correction. */
export const MINUTES_VERSIONS: CollectionSpec = {
  name: 'minutesVersions',
  indexes: [{ key: { minutesId: 1, revision: 1 }, name: 'minutes_versions_revision' }],
};

/** SHA-256 of the canonical JSON of what the minutes record (see `minutesContent`). */
export const minutesContentHash = (m: Minutes): string =>
  createHash('sha256')
    .update(canonicalJson(minutesContent(m)))
    .digest('hex');

const MinutesDoc = Minutes.omit({ id: true, createdAt: true }).extend({ _id: Id, createdAt: z.date() });
type MinutesDoc = z.infer<typeof MinutesDoc>;

const { toDoc, readDoc, fromDoc } = instantMapper(Minutes, MinutesDoc, MINUTES.name, 'createdAt');

const StoredVersion = z.object({ _id: z.string(), minutesId: Id, revision: z.number(), minutes: Minutes });
const parseStoredVersion = (raw: unknown): Minutes => parseStored(StoredVersion, raw, MINUTES_VERSIONS.name).minutes;

export class MongoMinutesRepository implements MinutesRepository {
  private readonly col: Collection<StoredDocument>;
  private readonly versions: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(MINUTES.name);
    this.versions = db.collection(MINUTES_VERSIONS.name);
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
            'contentHash',
            'revision',
            'correction',
            'sectionVersions',
          ]),
        ),
    });
    return auditUpdated(this.audit, ctx, 'minutes.updated', { type: 'minutes', id }, result, fromDoc);
  }

  async editSection(
    id: string,
    section: MinutesSectionId,
    expectedSectionVersion: number,
    value: unknown,
    ctx: WriteContext<'minutes.updated'>,
  ): Promise<Result<Minutes, AppError<'NOT_FOUND' | 'ALREADY_DECIDED'> | SectionConflict>> {
    const field = sectionSpec(section).field;
    const counter = `sectionVersions.${section}`;
    const change = value === undefined ? { $unset: { [field]: '' } } : { $set: { [field]: stripUndefined(value) } };
    // Conditional on the section's own counter, so an edit elsewhere in the draft never blocks this one.
    const raw = await this.col.findOneAndUpdate(
      { _id: id, status: { $ne: 'approved' }, [counter]: expectedSectionVersion },
      { ...change, $inc: { [counter]: 1, version: 1 } },
      { returnDocument: 'after' },
    );
    if (!raw) {
      const current = await this.get(id);
      if (!current.ok) return current;
      if (current.value.status === 'approved')
        return err(appError('ALREADY_DECIDED', 'The minutes are approved.', { entity: 'minutes', id }));
      return err({
        ...appError('VERSION_CONFLICT', undefined, { entity: 'minutes', id, section }),
        current: current.value,
      });
    }
    const minutes = fromDoc(raw);
    await appendAudit(
      this.audit,
      auditEventFor(ctx, 'minutes.updated', minutes.areaId, { type: 'minutes', id }, { section }),
      true,
    );
    return ok(minutes);
  }

  async approve(
    id: string,
    expectedVersion: number,
    approvedBy: Actor,
    ctx: WriteContext<'minutes.approved'>,
  ): Promise<Result<Minutes, TransitionError>> {
    const approver = Actor.parse(approvedBy);
    const miss = async () =>
      err(
        await classifyTransitionMiss({
          col: this.col,
          entity: 'minutes',
          id,
          read: readDoc,
          decided: ['approved'],
          expectedVersion,
        }),
      );
    const read = await this.get(id);
    if (!read.ok || read.value.version !== expectedVersion) return miss();
    // The version pins the content, so the hash is of exactly what the approver read.
    const contentHash = minutesContentHash(read.value);
    const raw = await this.col.findOneAndUpdate(
      { _id: id, version: expectedVersion, status: { $in: ['draft', 'circulated'] } },
      {
        $set: { status: 'approved', approvedBy: approver, approvedAt: this.clock.now().toISOString(), contentHash },
        $inc: { version: 1 },
      },
      { returnDocument: 'after' },
    );
    if (!raw) return miss();
    const minutes = fromDoc(raw);
    await this.keepApproved(minutes);
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'minutes.approved',
        minutes.areaId,
        { type: 'minutes', id },
        { version: minutes.version, revision: minutes.revision },
      ),
      true,
    );
    return ok(minutes);
  }

  // Idempotent: a retry after a crash (or the correction that follows) writes the same copy once.
  private async keepApproved(m: Minutes): Promise<void> {
    try {
      await this.versions.insertOne({
        _id: `${m.id}:${m.revision}`,
        minutesId: m.id,
        revision: m.revision,
        minutes: stripUndefined(Minutes.parse(m)),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async startCorrection(
    id: string,
    expectedVersion: number,
    correction: { readonly reason: string; readonly by: Actor },
    ctx: WriteContext<'minutes.corrected'>,
  ): Promise<Result<Minutes, TransitionError>> {
    const read = await this.get(id);
    if (!read.ok) return read;
    const current = read.value;
    if (current.status !== 'approved')
      return err(appError('ILLEGAL_TRANSITION', undefined, { entity: 'minutes', id, status: current.status }));
    if (current.version !== expectedVersion)
      return err(appError('VERSION_CONFLICT', undefined, { entity: 'minutes', id }));
    await this.keepApproved(current);
    const raw = await this.col.findOneAndUpdate(
      { _id: id, version: expectedVersion, status: 'approved' },
      {
        $set: {
          status: 'draft',
          correction: {
            reason: correction.reason,
            by: Actor.parse(correction.by),
            at: this.clock.now().toISOString(),
            corrects: current.revision,
          },
        },
        $unset: { approvedBy: '', approvedAt: '', contentHash: '' },
        $inc: { version: 1, revision: 1 },
      },
      { returnDocument: 'after' },
    );
    if (!raw) return err(appError('VERSION_CONFLICT', undefined, { entity: 'minutes', id }));
    const minutes = fromDoc(raw);
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'minutes.corrected',
        minutes.areaId,
        { type: 'minutes', id },
        { revision: minutes.revision, corrects: current.revision },
      ),
      true,
    );
    return ok(minutes);
  }

  async listVersions(id: string): Promise<Minutes[]> {
    const kept = await this.versions.find({ minutesId: id }).sort({ revision: 1 }).toArray();
    const approved = kept.map((d) => parseStoredVersion(d));
    const head = await this.get(id);
    if (head.ok && !approved.some((m) => m.revision === head.value.revision)) approved.push(head.value);
    return approved;
  }

  async listForCase(caseId: string): Promise<Minutes[]> {
    const docs = await this.col.find({ caseId }).sort({ createdAt: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async erase(id: string, ctx: WriteContext<'minutes.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>> {
    // The kept approved revisions hold the same personal text, so they go first: a retry redoes them harmlessly.
    for (const raw of await this.versions.find({ minutesId: id }).toArray()) {
      const kept = parseStoredVersion(raw);
      await this.versions.updateOne({ _id: raw._id }, { $set: { minutes: stripUndefined(eraseMinutes(kept)) } });
    }
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
