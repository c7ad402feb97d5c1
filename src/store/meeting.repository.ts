import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import type {
  AuditLog,
  ErasureOutcome,
  MeetingChanges,
  MeetingRepository,
  MeetingUpdateAction,
  NewMeeting,
  UpdateError,
  WriteContext,
} from '../app/ports';
import { Id, Meeting } from '../domain';
import { joinUrlKey } from '../domain/meeting.schema';
import { eraseMeeting } from '../domain/erasure';
import type { AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import { eraseDocument } from './erasure-support';
import type { CollectionSpec } from './mongo';
import {
  appendAudit,
  auditEventFor,
  auditUpdated,
  instantMapper,
  isDuplicateKeyError,
  mergeChanges,
  newId,
  notFound,
  versionConflict,
  versionedUpdate,
  type StoredDocument,
} from './repository-support';

export const MEETINGS: CollectionSpec = {
  name: 'meetings',
  indexes: [
    { key: { caseId: 1, sequence: 1 }, name: 'meetings_case_sequence_unique', unique: true },
    { key: { areaId: 1, status: 1, scheduledStart: 1 }, name: 'meetings_area_status_start' },
    { key: { 'run.conversationId': 1 }, name: 'meetings_run_conversation' },
    // One meeting per schedule card: two sends of the same card at once cannot both land, even when
    // the second reads the first's meeting and takes the next sequence number.
    { key: { scheduleKey: 1 }, name: 'meetings_schedule_key_unique', unique: true, sparse: true },
    // A Teams meeting event finds its meeting by join link: by equality on the stored key, not a pattern.
    { key: { joinKey: 1, areaId: 1 }, name: 'meetings_join_key', sparse: true },
  ],
};

const MeetingDoc = Meeting.omit({ id: true, scheduledStart: true }).extend({
  _id: Id,
  scheduledStart: z.date(),
  /** The store's lookup key for `onlineMeetingUrl` (see `joinLookupKey`); not part of the meeting. */
  joinKey: z.string().min(1).max(2048).optional(),
});
type MeetingDoc = z.infer<typeof MeetingDoc>;

const mapper = instantMapper(Meeting, MeetingDoc, MEETINGS.name, 'scheduledStart');
const { readDoc, fromDoc } = mapper;

/**
 * A join link as the store looks it up: the domain's key (scheme, host, decoded path, no query) in
 * one case, as Teams and Graph do not agree on the case of escapes or the host.
 */
const joinLookupKey = (url: string): string | null => joinUrlKey(url)?.toLowerCase() ?? null;

/** Every write of a meeting keeps its join-link key in step with its link (a replace drops a stale one). */
function toDoc(m: Meeting): MeetingDoc {
  const key = m.onlineMeetingUrl ? joinLookupKey(m.onlineMeetingUrl) : null;
  return { ...mapper.toDoc(m), ...(key ? { joinKey: key } : {}) };
}

export class MongoMeetingRepository implements MeetingRepository {
  private readonly col: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(MEETINGS.name);
  }

  async create(
    input: NewMeeting,
    ctx: WriteContext<'meeting.scheduled'>,
  ): Promise<Result<Meeting, AppError<'VERSION_CONFLICT'>>> {
    const meeting = Meeting.parse({ ...input, id: newId(), version: 0 });
    try {
      await this.col.insertOne(toDoc(meeting));
    } catch (error) {
      if (isDuplicateKeyError(error))
        return err(
          versionConflict('meeting', meeting.caseId, { sequence: meeting.sequence, reason: 'sequence_taken' }),
        );
      throw error;
    }
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'meeting.scheduled',
        meeting.areaId,
        { type: 'meeting', id: meeting.id },
        { caseId: meeting.caseId, kind: meeting.kind, sequence: meeting.sequence },
      ),
      true,
    );
    return ok(meeting);
  }

  async get(id: string): Promise<Result<Meeting, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? ok(fromDoc(raw)) : err(notFound('meeting', id));
  }

  async listForCase(caseId: string): Promise<Meeting[]> {
    const docs = await this.col.find({ caseId }).sort({ sequence: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async listForConversation(areaId: string, conversationId: string): Promise<Meeting[]> {
    const docs = await this.col
      .find({ areaId, 'run.conversationId': conversationId })
      .sort({ 'run.startedAt': -1 })
      .limit(20)
      .toArray();
    return docs.map(fromDoc);
  }

  async listScheduledByJoinUrl(areaId: string, joinUrl: string): Promise<Meeting[]> {
    const joinKey = joinLookupKey(joinUrl);
    if (!joinKey) return [];
    const docs = await this.col
      .find({ joinKey, areaId, status: 'scheduled' })
      .sort({ scheduledStart: 1 })
      .limit(20)
      .toArray();
    return docs.map(fromDoc);
  }

  async listScheduledBetween(areaId: string, from: Date, to: Date): Promise<Meeting[]> {
    const docs = await this.col
      .find({ areaId, status: 'scheduled', scheduledStart: { $gte: from, $lt: to } })
      .sort({ scheduledStart: 1 })
      .toArray();
    return docs.map(fromDoc);
  }

  async update(
    id: string,
    expectedVersion: number,
    changes: MeetingChanges,
    ctx: WriteContext<MeetingUpdateAction>,
  ): Promise<Result<Meeting, UpdateError>> {
    const result = await versionedUpdate({
      col: this.col,
      entity: 'meeting',
      id,
      expectedVersion,
      read: readDoc,
      next: (doc) => toDoc(mergeChanges(fromDoc(doc), changes, ['id', 'areaId', 'caseId', 'sequence', 'version'])),
    });
    return auditUpdated(this.audit, ctx, 'meeting.updated', { type: 'meeting', id }, result, fromDoc);
  }

  async updateAtTurn(
    id: string,
    expectedVersion: number,
    expectedTurn: number,
    changes: MeetingChanges,
    ctx: WriteContext<MeetingUpdateAction>,
  ): Promise<Result<Meeting, UpdateError>> {
    const result = await versionedUpdate({
      col: this.col,
      entity: 'meeting',
      id,
      expectedVersion,
      read: readDoc,
      next: (doc) => toDoc(mergeChanges(fromDoc(doc), changes, ['id', 'areaId', 'caseId', 'sequence', 'version'])),
      condition: { 'run.round.turn': expectedTurn },
      refuse: (doc) =>
        doc.run?.round?.turn === expectedTurn
          ? null
          : versionConflict('meeting', id, { expectedTurn, reason: 'turn_moved' }),
    });
    return auditUpdated(this.audit, ctx, 'meeting.run_updated', { type: 'meeting', id }, result, fromDoc, () => ({
      turn: expectedTurn + 1,
    }));
  }

  async erase(id: string, ctx: WriteContext<'meeting.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>> {
    return eraseDocument({
      col: this.col,
      audit: this.audit,
      entity: 'meeting',
      id,
      read: readDoc,
      erase: (doc) => toDoc(eraseMeeting(fromDoc(doc))),
      action: 'meeting.erased',
      ctx,
    });
  }
}
