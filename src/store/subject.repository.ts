import type { Collection, Db, Filter } from 'mongodb';
import { z } from 'zod';
import type {
  AuditLog,
  ErasureOutcome,
  IdentifierQuery,
  NewSubject,
  SubjectChanges,
  SubjectRepository,
  UpdateError,
  WriteContext,
} from '../app/ports';
// PNC and CRN carry a letter people type in either case: stored normalised so lookups are exact.
import { Id, normaliseIdentifier, Subject, type SubjectIdentifiers } from '../domain';
import { eraseSubject } from '../domain/erasure';
import type { AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import { eraseDocument } from './erasure-support';
import type { CollectionSpec } from './mongo';
import {
  appendAudit,
  auditEventFor,
  auditUpdated,
  mergeChanges,
  newId,
  notFound,
  parseStored,
  stripUndefined,
  versionedUpdate,
  type StoredDocument,
} from './repository-support';

export const SUBJECTS: CollectionSpec = {
  name: 'subjects',
  indexes: [
    { key: { areaId: 1, 'identifiers.pnc': 1 }, name: 'subjects_area_pnc' },
    { key: { areaId: 1, 'identifiers.crn': 1 }, name: 'subjects_area_crn' },
    // `find` by ViSOR reference and by name with date of birth would otherwise scan the area's subjects.
    { key: { areaId: 1, 'identifiers.visor': 1 }, name: 'subjects_area_visor' },
    { key: { areaId: 1, dateOfBirth: 1 }, name: 'subjects_area_dob' },
  ],
};

export const SubjectDoc = Subject.omit({ id: true }).extend({ _id: Id });
export type SubjectDoc = z.infer<typeof SubjectDoc>;

export function subjectToDoc(s: Subject): SubjectDoc {
  const { id, identifiers, ...rest } = Subject.parse(s);
  const normalised = Object.fromEntries(
    Object.entries(identifiers).map(([k, v]) => [
      k,
      typeof v === 'string' ? normaliseIdentifier(k as keyof SubjectIdentifiers, v) : v,
    ]),
  );
  return SubjectDoc.parse(stripUndefined({ _id: id, identifiers: normalised, ...rest }));
}

export function subjectFromDoc(raw: unknown): Subject {
  const { _id, ...rest } = parseStored(SubjectDoc, raw, SUBJECTS.name);
  return { id: _id, ...rest };
}

/** The filter for one identifier, shared with the case repository's lookup. */
export function identifierFilter(areaId: string, query: IdentifierQuery): Filter<StoredDocument> {
  return { areaId, [`identifiers.${query.kind}`]: normaliseIdentifier(query.kind, query.value) };
}

export class MongoSubjectRepository implements SubjectRepository {
  private readonly col: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(SUBJECTS.name);
  }

  async create(input: NewSubject, ctx: WriteContext<'subject.created'>): Promise<Subject> {
    const doc = subjectToDoc(Subject.parse({ ...input, id: newId(), version: 0 }));
    await this.col.insertOne(doc);
    const subject = subjectFromDoc(doc);
    await appendAudit(
      this.audit,
      auditEventFor(ctx, 'subject.created', subject.areaId, { type: 'subject', id: subject.id }),
      true,
    );
    return subject;
  }

  async get(id: string): Promise<Result<Subject, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? ok(subjectFromDoc(raw)) : err(notFound('subject', id));
  }

  async findByIdentifier(areaId: string, query: IdentifierQuery): Promise<Subject[]> {
    const docs = await this.col.find(identifierFilter(areaId, query)).limit(50).toArray();
    return docs.map(subjectFromDoc);
  }

  async findByDateOfBirth(areaId: string, dateOfBirth: string): Promise<Subject[]> {
    const docs = await this.col.find({ areaId, dateOfBirth }).limit(200).toArray();
    return docs.map(subjectFromDoc);
  }

  async update(
    id: string,
    expectedVersion: number,
    changes: SubjectChanges,
    ctx: WriteContext<'subject.updated'>,
  ): Promise<Result<Subject, UpdateError>> {
    const result = await versionedUpdate({
      col: this.col,
      entity: 'subject',
      id,
      expectedVersion,
      read: (raw) => parseStored(SubjectDoc, raw, SUBJECTS.name),
      next: (doc) => subjectToDoc(mergeChanges(subjectFromDoc(doc), changes, ['id', 'areaId', 'version'])),
    });
    return auditUpdated(this.audit, ctx, 'subject.updated', { type: 'subject', id }, result, subjectFromDoc);
  }

  async erase(id: string, ctx: WriteContext<'subject.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>> {
    return eraseDocument({
      col: this.col,
      audit: this.audit,
      entity: 'subject',
      id,
      read: (raw) => parseStored(SubjectDoc, raw, SUBJECTS.name),
      erase: (doc) => subjectToDoc(eraseSubject(subjectFromDoc(doc))),
      action: 'subject.erased',
      ctx,
    });
  }
}
