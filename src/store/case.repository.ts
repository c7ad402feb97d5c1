import type { Collection, Db, Filter } from 'mongodb';
import { z } from 'zod';
import {
  CaseErasure,
  CaseRecord,
  ExitedCaseQuery,
  type AuditLog,
  type CaseChanges,
  type CaseDossier,
  type CaseRepository,
  type CaseUpdateAction,
  type Clock,
  type IdentifierQuery,
  type NewCase,
  type RequestActor,
  type TransitionError,
  type UpdateError,
  type WriteContext,
} from '../app/ports';
import { Id, ukDateOf, type Case } from '../domain';
import { eraseCaseContent } from '../domain/erasure';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import type { CollectionSpec } from './mongo';
import {
  appendAudit,
  auditEventFor,
  auditUpdated,
  instantMapper,
  isDuplicateKeyError,
  keepFixed,
  mergeChanges,
  newId,
  notFound,
  parseStored,
  stripUndefined,
  versionConflict,
  versionedUpdate,
  type StoredDocument,
} from './repository-support';
import { identifierFilter, SUBJECTS, subjectFromDoc } from './subject.repository';

export const CASES: CollectionSpec = {
  name: 'cases',
  indexes: [
    { key: { areaId: 1, ref: 1 }, name: 'cases_area_ref_unique', unique: true },
    { key: { subjectId: 1, createdAt: -1 }, name: 'cases_subject_created' },
    { key: { areaId: 1, status: 1 }, name: 'cases_area_status' },
  ],
};
/** Named counters (case refs per area and year); one document each, keyed by _id. */
export const COUNTERS: CollectionSpec = { name: 'counters', indexes: [] };

const CaseDoc = CaseRecord.omit({ id: true, createdAt: true }).extend({ _id: Id, createdAt: z.date() });
type CaseDoc = z.infer<typeof CaseDoc>;
const CounterDoc = z.object({ _id: z.string(), n: z.number().int().positive() });

const { toDoc, readDoc, fromDoc } = instantMapper(CaseRecord, CaseDoc, CASES.name, 'createdAt');
/** The stored shape of a case, for the transfer store that places an imported case. */
export const caseDocOf = toDoc;

/** Set when a case is created and never changed by an update. */
const FIXED: readonly (keyof CaseRecord)[] = [
  'id',
  'ref',
  'areaId',
  'subjectId',
  'jurisdiction',
  'createdAt',
  'version',
  // Moved only by beginErasure and completeErasure.
  'erasure',
  'erasedAt',
  'erasedBy',
  // Set only by a transfer's move of the case.
  'movedFrom',
];

/** Enough for a few admins pressing "erase" at once; the losers then find the erasure done. */
const MAX_COMPLETE_ATTEMPTS = 5;

/** Refs are never reused, so a rare collision (a counter restored from backup) just takes the next number. */
const MAX_REF_ATTEMPTS = 5;

export class MongoCaseRepository implements CaseRepository {
  private readonly col: Collection<StoredDocument>;
  private readonly counters: Collection<StoredDocument>;
  private readonly subjects: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(CASES.name);
    this.counters = db.collection(COUNTERS.name);
    this.subjects = db.collection(SUBJECTS.name);
  }

  async create(input: NewCase, ctx: WriteContext<'case.created'>): Promise<CaseRecord> {
    const now = this.clock.now();
    const year = ukDateOf(now).slice(0, 4);
    const id = newId();
    for (let attempt = 1; ; attempt++) {
      const ref = await this.nextRef(input.areaId, year);
      const record = CaseRecord.parse({ ...input, id, ref, createdAt: now.toISOString(), version: 0 });
      try {
        await this.col.insertOne(toDoc(record));
      } catch (error) {
        if (isDuplicateKeyError(error) && attempt < MAX_REF_ATTEMPTS) continue;
        throw error;
      }
      await appendAudit(
        this.audit,
        auditEventFor(ctx, 'case.created', record.areaId, { type: 'case', id }, { ref }),
        true,
      );
      return record;
    }
  }

  async get(id: string): Promise<Result<CaseRecord, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? ok(fromDoc(raw)) : err(notFound('case', id));
  }

  async getByRef(areaId: string, ref: string): Promise<Result<CaseRecord, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ areaId, ref: ref.trim().toUpperCase() });
    return raw ? ok(fromDoc(raw)) : err(notFound('case', ref));
  }

  async getForReader(
    id: string,
    reader: RequestActor,
    known?: CaseRecord,
  ): Promise<Result<CaseDossier, AppError<'NOT_FOUND'>>> {
    const found = known?.id === id ? ok(known) : await this.get(id);
    if (!found.ok) return found;
    const c = found.value;
    const rawSubject = await this.subjects.findOne({ _id: c.subjectId });
    await appendAudit(
      this.audit,
      auditEventFor({ by: reader }, 'case.viewed', c.areaId, { type: 'case', id }, { ref: c.ref }),
      false,
    );
    return ok({ case: c, subject: rawSubject ? subjectFromDoc(rawSubject) : null });
  }

  async findBySubjectIdentifier(areaId: string, query: IdentifierQuery): Promise<CaseRecord[]> {
    const subjects = await this.subjects
      .find(identifierFilter(areaId, query), { projection: { _id: 1 } })
      .limit(50)
      .toArray();
    if (subjects.length === 0) return [];
    const docs = await this.col
      .find({ areaId, subjectId: { $in: subjects.map((s) => s._id) } })
      .sort({ createdAt: -1 })
      .toArray();
    return docs.map(fromDoc);
  }

  async listForSubject(subjectId: string): Promise<CaseRecord[]> {
    const docs = await this.col.find({ subjectId }).sort({ createdAt: -1 }).toArray();
    return docs.map(fromDoc);
  }

  async update(
    id: string,
    expectedVersion: number,
    changes: CaseChanges,
    ctx: WriteContext<CaseUpdateAction>,
  ): Promise<Result<CaseRecord, UpdateError>> {
    return this.write(id, expectedVersion, (current) => mergeChanges(current, changes, FIXED), ctx);
  }

  async save(next: Case, ctx: WriteContext<CaseUpdateAction>): Promise<Result<CaseRecord, UpdateError>> {
    return this.write(
      next.id,
      next.version,
      (current) => keepFixed({ ...next, ref: current.ref }, current, FIXED),
      ctx,
    );
  }

  private async write(
    id: string,
    expectedVersion: number,
    change: (current: CaseRecord) => CaseRecord,
    ctx: WriteContext<CaseUpdateAction>,
  ): Promise<Result<CaseRecord, UpdateError>> {
    const result = await versionedUpdate({
      col: this.col,
      entity: 'case',
      id,
      expectedVersion,
      read: readDoc,
      next: (doc) => toDoc(change(fromDoc(doc))),
      // Once erasure starts, any write could put personal data back into a case being emptied of it.
      condition: { erasure: { $exists: false } },
      refuse: (doc) =>
        doc.erasure ? versionConflict('case', id, { reason: 'erasure', erasure: doc.erasure.status }) : null,
    });
    return auditUpdated(this.audit, ctx, 'case.updated', { type: 'case', id }, result, fromDoc, (c) => ({
      ref: c.ref,
    }));
  }

  async listExited(areaId: string, query: z.input<typeof ExitedCaseQuery> = {}): Promise<CaseRecord[]> {
    const q = ExitedCaseQuery.parse(query);
    const filter: Filter<StoredDocument> = { areaId, status: 'exited' };
    // ISO dates compare correctly as strings, and a missing exit date never matches $lte.
    if (q.exitDateOnOrBefore !== undefined) filter['keyDates.exitDate'] = { $lte: q.exitDateOnOrBefore };
    if (q.erasure === 'not_done') filter['erasure.status'] = { $ne: 'done' };
    if (q.erasure === 'in_progress') filter['erasure.status'] = 'in_progress';
    const docs = await this.col.find(filter).sort({ 'keyDates.exitDate': 1, _id: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async beginErasure(
    id: string,
    expectedVersion: number,
    opts: { readonly forceReason?: string },
    ctx: WriteContext<'case.erasure_started'>,
  ): Promise<Result<CaseRecord, TransitionError>> {
    const erasure = CaseErasure.parse(
      stripUndefined({
        status: 'in_progress',
        startedAt: this.clock.now().toISOString(),
        by: ctx.by.aadObjectId,
        forceReason: opts.forceReason,
      }),
    );
    const raw = await this.col.findOneAndUpdate(
      { _id: id, version: expectedVersion, status: 'exited', erasure: { $exists: false } },
      { $set: { erasure }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (!raw) return err(await this.classifyErasureMiss(id, expectedVersion));
    const c = fromDoc(raw);
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'case.erasure_started',
        c.areaId,
        { type: 'case', id },
        { ref: c.ref, forced: erasure.forceReason !== undefined },
      ),
      true,
    );
    return ok(c);
  }

  async completeErasure(id: string, ctx: WriteContext<'case.erased'>): Promise<Result<CaseRecord, TransitionError>> {
    const finish = (c: CaseRecord): CaseRecord => {
      if (!c.erasure) throw new Error(`completeErasure on case ${c.id} with no erasure`);
      return {
        ...eraseCaseContent(c),
        erasure: { ...c.erasure, status: 'done' },
        erasedAt: this.clock.now().toISOString(),
        erasedBy: ctx.by.aadObjectId,
      };
    };
    for (let attempt = 1; attempt <= MAX_COMPLETE_ATTEMPTS; attempt++) {
      const raw = await this.col.findOne({ _id: id });
      if (!raw) return err(notFound('case', id));
      const current = fromDoc(raw);
      if (!current.erasure || current.erasure.status === 'done') {
        return err(await this.classifyErasureMiss(id, current.version));
      }
      const result = await versionedUpdate({
        col: this.col,
        entity: 'case',
        id,
        expectedVersion: current.version,
        read: readDoc,
        next: (doc) => toDoc(finish(fromDoc(doc))),
        condition: { 'erasure.status': 'in_progress' },
      });
      if (!result.ok) {
        if (result.error.code === 'NOT_FOUND') return result;
        continue;
      }
      const c = fromDoc(result.value.doc);
      await appendAudit(
        this.audit,
        auditEventFor(ctx, 'case.erased', c.areaId, { type: 'case', id }, { ref: c.ref }),
        true,
      );
      return ok(c);
    }
    throw new Error(`Completing the erasure of case ${id} lost ${MAX_COMPLETE_ATTEMPTS} races with other writers`);
  }

  /** Why a conditional erasure write matched nothing, in the order a caller can act on. */
  private async classifyErasureMiss(id: string, expectedVersion: number): Promise<TransitionError> {
    const raw = await this.col.findOne({ _id: id });
    if (!raw) return notFound('case', id);
    const c = fromDoc(raw);
    if (c.erasure?.status === 'done') {
      return appError('ALREADY_DECIDED', 'The case has already been erased.', { entity: 'case', id, erasure: 'done' });
    }
    if (c.erasure) {
      return appError('ALREADY_DECIDED', 'An erasure of the case has started; run it again to finish it.', {
        entity: 'case',
        id,
        erasure: c.erasure.status,
      });
    }
    if (c.version !== expectedVersion) {
      return versionConflict('case', id, { expectedVersion, currentVersion: c.version });
    }
    if (c.status !== 'exited') {
      return appError('ILLEGAL_TRANSITION', 'Only an exited case can be erased.', {
        entity: 'case',
        id,
        status: c.status,
      });
    }
    return appError('ILLEGAL_TRANSITION', 'The erasure of the case has not been started.', { entity: 'case', id });
  }

  /** `$inc` on a per-area, per-year counter: atomic, so concurrent creations never share a number. */
  private async nextRef(areaId: string, year: string): Promise<string> {
    const key = `case-ref:${areaId}:${year}`;
    const bump = () =>
      this.counters.findOneAndUpdate({ _id: key }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' });
    let raw;
    try {
      raw = await bump();
    } catch (error) {
      // Two first-ever upserts of the same counter can race on MongoDB; the loser's retry finds the document.
      if (!isDuplicateKeyError(error)) throw error;
      raw = await bump();
    }
    const { n } = parseStored(CounterDoc, raw, COUNTERS.name);
    return `MAPPA-${year}-${String(n).padStart(4, '0')}`;
  }
}
