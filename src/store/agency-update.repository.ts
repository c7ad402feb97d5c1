import type { Collection, Db } from 'mongodb';
import type { AgencyUpdateRepository, AuditLog, NewAgencyUpdate, UpdateSaveConflict, WriteContext } from '../app/ports';
import type { ErasureOutcome } from '../app/ports';
import { AgencyUpdate, Id } from '../domain';
import { eraseAgencyUpdate } from '../domain/erasure';
import type { AppError } from '../lib/errors';
import { appError } from '../lib/errors';
import { eraseDocument } from './erasure-support';
import { err, ok, type Result } from '../lib/result';
import type { CollectionSpec } from './mongo';
import {
  appendAudit,
  auditEventFor,
  isDuplicateKeyError,
  parseStored,
  stripUndefined,
  type StoredDocument,
} from './repository-support';

export const AGENCY_UPDATES: CollectionSpec = {
  name: 'agencyUpdates',
  indexes: [
    { key: { meetingId: 1, agencyId: 1 }, name: 'agency_updates_meeting_agency' },
    { key: { caseId: 1 }, name: 'agency_updates_case' },
  ],
};

const UpdateDoc = AgencyUpdate.omit({ id: true }).extend({ _id: Id });

const toDoc = (u: AgencyUpdate) => {
  const { id, ...rest } = AgencyUpdate.parse(u);
  return UpdateDoc.parse(stripUndefined({ ...rest, _id: id }));
};
const fromDoc = (raw: unknown): AgencyUpdate => {
  const { _id, ...rest } = parseStored(UpdateDoc, raw, AGENCY_UPDATES.name);
  return { ...rest, id: _id };
};

/** One document per (meeting, agency), so the id itself stops two first saves from both landing. */
const idOf = (meetingId: string, agencyId: string) => `${meetingId}:${agencyId}`;

export class MongoAgencyUpdateRepository implements AgencyUpdateRepository {
  private readonly col: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(AGENCY_UPDATES.name);
  }

  async get(meetingId: string, agencyId: string): Promise<AgencyUpdate | null> {
    const raw = await this.col.findOne({ _id: idOf(meetingId, agencyId) });
    return raw ? fromDoc(raw) : null;
  }

  async listForMeeting(meetingId: string): Promise<AgencyUpdate[]> {
    const docs = await this.col.find({ meetingId }).sort({ agencyId: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async listForCase(caseId: string): Promise<AgencyUpdate[]> {
    const docs = await this.col.find({ caseId }).sort({ _id: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async erase(
    id: string,
    ctx: WriteContext<'agency_update.erased'>,
  ): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>> {
    return eraseDocument({
      col: this.col,
      audit: this.audit,
      entity: 'agency_update',
      id,
      read: (raw) => parseStored(UpdateDoc, raw, AGENCY_UPDATES.name),
      erase: (doc) => toDoc(eraseAgencyUpdate(fromDoc(doc))),
      action: 'agency_update.erased',
      ctx,
    });
  }

  async save(
    input: NewAgencyUpdate,
    expectedVersion: number | null,
    ctx: WriteContext<'agency_update.saved'>,
  ): Promise<Result<AgencyUpdate, UpdateSaveConflict>> {
    const id = idOf(input.meetingId, input.agencyId);
    const next = AgencyUpdate.parse({ ...input, id, version: (expectedVersion ?? -1) + 1 });
    const conflict = async (): Promise<Result<AgencyUpdate, UpdateSaveConflict>> =>
      err({
        ...appError('VERSION_CONFLICT', 'Someone else saved this update first.', {
          entity: 'agency_update',
          id,
          expectedVersion: expectedVersion ?? -1,
        }),
        current: await this.get(input.meetingId, input.agencyId),
      });
    if (expectedVersion === null) {
      try {
        await this.col.insertOne(toDoc(next));
      } catch (error) {
        if (isDuplicateKeyError(error)) return conflict();
        throw error;
      }
    } else {
      // A whole-document replace conditional on the version read: the typist's text is the update.
      const written = await this.col.findOneAndReplace({ _id: id, version: expectedVersion }, toDoc(next), {
        returnDocument: 'after',
      });
      if (!written) return conflict();
    }
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'agency_update.saved',
        next.areaId,
        { type: 'agency_update', id },
        { meetingId: next.meetingId, agencyId: next.agencyId, status: next.status, version: next.version },
      ),
      true,
    );
    return ok(next);
  }
}
