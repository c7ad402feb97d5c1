import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import type {
  AuditLog,
  Clock,
  ErasureOutcome,
  NewReferral,
  ReferralChanges,
  ReferralRepository,
  TransitionError,
  UpdateError,
  WriteContext,
} from '../app/ports';
import { Id, IsoDateTime, Referral, ReferralDecision, type ReferralStatus } from '../domain';
import { eraseReferral } from '../domain/erasure';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import { eraseDocument } from './erasure-support';
import type { CollectionSpec } from './mongo';
import {
  appendAudit,
  auditEventFor,
  auditUpdated,
  classifyTransitionMiss,
  fromDate,
  mergeChanges,
  newId,
  notFound,
  parseStored,
  stripUndefined,
  toDate,
  versionedUpdate,
  type StoredDocument,
} from './repository-support';

const REFERRER_PATH = 'sections.referrer.referrer.aadObjectId';
const SUBJECT_PATH = 'sections.subject.subjectId';

export const REFERRALS: CollectionSpec = {
  name: 'referrals',
  indexes: [
    { key: { areaId: 1, status: 1, createdAt: 1 }, name: 'referrals_area_status_created' },
    { key: { [REFERRER_PATH]: 1, status: 1, createdAt: -1 }, name: 'referrals_referrer_status_created' },
    { key: { caseId: 1 }, name: 'referrals_case' },
    { key: { [SUBJECT_PATH]: 1 }, name: 'referrals_subject' },
  ],
};

const ReferralDoc = Referral.omit({ id: true, createdAt: true, submittedAt: true }).extend({
  _id: Id,
  createdAt: z.date(),
  submittedAt: z.date().optional(),
});
type ReferralDoc = z.infer<typeof ReferralDoc>;

function toDoc(r: Referral): ReferralDoc {
  const { id, createdAt, submittedAt, ...rest } = Referral.parse(r);
  return ReferralDoc.parse(
    stripUndefined({
      _id: id,
      createdAt: toDate(createdAt),
      submittedAt: submittedAt === undefined ? undefined : toDate(submittedAt),
      ...rest,
    }),
  );
}

function readDoc(raw: unknown): ReferralDoc {
  return parseStored(ReferralDoc, raw, REFERRALS.name);
}

function fromDoc(raw: unknown): Referral {
  const { _id, createdAt, submittedAt, ...rest } = readDoc(raw);
  return stripUndefined({
    id: _id,
    createdAt: fromDate(createdAt),
    submittedAt: submittedAt && fromDate(submittedAt),
    ...rest,
  });
}

const DECIDED: readonly ReferralStatus[] = ['accepted', 'declined', 'withdrawn'];

export class MongoReferralRepository implements ReferralRepository {
  private readonly col: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(REFERRALS.name);
  }

  async create(input: NewReferral, ctx: WriteContext<'referral.created'>): Promise<Referral> {
    const referral = Referral.parse({
      ...input,
      id: newId(),
      status: 'draft',
      createdAt: this.clock.now().toISOString(),
      version: 0,
    });
    await this.col.insertOne(toDoc(referral));
    await appendAudit(
      this.audit,
      auditEventFor(ctx, 'referral.created', referral.areaId, { type: 'referral', id: referral.id }),
      true,
    );
    return referral;
  }

  async get(id: string): Promise<Result<Referral, AppError<'NOT_FOUND'>>> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? ok(fromDoc(raw)) : err(notFound('referral', id));
  }

  async listByStatus(areaId: string, status: ReferralStatus, opts: { limit?: number } = {}): Promise<Referral[]> {
    const docs = await this.col
      .find({ areaId, status })
      .sort({ createdAt: 1 })
      .limit(opts.limit ?? 100)
      .toArray();
    return docs.map(fromDoc);
  }

  async listByReferrer(
    referrerAadObjectId: string,
    opts: { status?: ReferralStatus; limit?: number } = {},
  ): Promise<Referral[]> {
    const filter = { [REFERRER_PATH]: referrerAadObjectId, ...(opts.status ? { status: opts.status } : {}) };
    const docs = await this.col
      .find(filter)
      .sort({ createdAt: -1 })
      .limit(opts.limit ?? 100)
      .toArray();
    return docs.map(fromDoc);
  }

  async update(
    id: string,
    expectedVersion: number,
    changes: ReferralChanges,
    ctx: WriteContext<'referral.updated'>,
  ): Promise<Result<Referral, UpdateError | AppError<'ILLEGAL_TRANSITION'>>> {
    const result = await versionedUpdate({
      col: this.col,
      entity: 'referral',
      id,
      expectedVersion,
      read: readDoc,
      // A submitted referral is what the co-ordinator decides on; it must not change underneath them.
      condition: { status: 'draft' },
      refuse: (doc) =>
        doc.status === 'draft'
          ? null
          : appError('ILLEGAL_TRANSITION', 'Only a draft referral can be edited.', {
              entity: 'referral',
              id,
              status: doc.status,
            }),
      next: (doc) =>
        toDoc(
          mergeChanges(fromDoc(doc), changes, [
            'id',
            'areaId',
            'status',
            'submittedAt',
            'decision',
            'createdAt',
            'version',
          ]),
        ),
    });
    return auditUpdated(this.audit, ctx, 'referral.updated', { type: 'referral', id }, result, fromDoc);
  }

  async submit(
    id: string,
    expectedVersion: number,
    submittedAt: string,
    ctx: WriteContext<'referral.submitted'>,
  ): Promise<Result<Referral, TransitionError>> {
    const at = toDate(IsoDateTime.parse(submittedAt));
    return this.transition(
      id,
      expectedVersion,
      { status: 'draft' },
      { $set: { status: 'submitted', submittedAt: at } },
      auditEventFor(ctx, 'referral.submitted', '', { type: 'referral', id }),
    );
  }

  async resolveIdentity(
    id: string,
    expectedVersion: number,
    caseId: string,
    ctx: WriteContext<'referral.updated'>,
  ): Promise<Result<Referral, TransitionError>> {
    return this.transition(
      id,
      expectedVersion,
      { status: 'submitted', identityCheck: { $exists: true } },
      { $set: { caseId: Id.parse(caseId) }, $unset: { identityCheck: '' } },
      auditEventFor(ctx, 'referral.updated', '', { type: 'referral', id }, { identity: 'resolved' }),
    );
  }

  /**
   * One conditional write at `expectedVersion` where `condition` holds, audited; a miss is classified
   * (gone, changed, already decided) instead of thrown. The audit's area comes from the stored referral.
   */
  private async transition(
    id: string,
    expectedVersion: number,
    condition: Record<string, unknown>,
    update: { $set: Record<string, unknown>; $unset?: Record<string, ''> },
    event: ReturnType<typeof auditEventFor>,
  ): Promise<Result<Referral, TransitionError>> {
    const raw = await this.col.findOneAndUpdate(
      { _id: id, version: expectedVersion, ...condition },
      { ...update, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (!raw)
      return err(
        await classifyTransitionMiss({
          col: this.col,
          entity: 'referral',
          id,
          read: readDoc,
          decided: DECIDED,
          expectedVersion,
        }),
      );
    const referral = fromDoc(raw);
    await appendAudit(this.audit, { ...event, areaId: referral.areaId }, true);
    return ok(referral);
  }

  async decide(
    id: string,
    decision: ReferralDecision,
    ctx: WriteContext<'referral.decided'>,
  ): Promise<Result<Referral, TransitionError>> {
    const parsed = ReferralDecision.parse(decision);
    const raw = await this.col.findOneAndUpdate(
      { _id: id, status: 'submitted' },
      { $set: { status: parsed.outcome, decision: stripUndefined(parsed) }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (!raw)
      return err(
        await classifyTransitionMiss({ col: this.col, entity: 'referral', id, read: readDoc, decided: DECIDED }),
      );
    const referral = fromDoc(raw);
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'referral.decided',
        referral.areaId,
        { type: 'referral', id },
        { outcome: parsed.outcome, level: parsed.level },
      ),
      true,
    );
    return ok(referral);
  }

  async withdraw(id: string, ctx: WriteContext<'referral.withdrawn'>): Promise<Result<Referral, TransitionError>> {
    const raw = await this.col.findOneAndUpdate(
      { _id: id, status: { $in: ['draft', 'submitted'] } },
      { $set: { status: 'withdrawn' }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    if (!raw)
      return err(
        await classifyTransitionMiss({ col: this.col, entity: 'referral', id, read: readDoc, decided: DECIDED }),
      );
    const referral = fromDoc(raw);
    await appendAudit(
      this.audit,
      auditEventFor(ctx, 'referral.withdrawn', referral.areaId, { type: 'referral', id }),
      true,
    );
    return ok(referral);
  }

  async listForCase(caseId: string): Promise<Referral[]> {
    const docs = await this.col.find({ caseId }).sort({ createdAt: 1 }).toArray();
    return docs.map(fromDoc);
  }

  async listForSubject(subjectId: string): Promise<Referral[]> {
    const docs = await this.col
      .find({ [SUBJECT_PATH]: subjectId })
      .sort({ createdAt: 1 })
      .toArray();
    return docs.map(fromDoc);
  }

  async erase(
    id: string,
    ctx: WriteContext<'referral.erased'>,
  ): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>> {
    return eraseDocument({
      col: this.col,
      audit: this.audit,
      entity: 'referral',
      id,
      read: readDoc,
      erase: (doc) => toDoc(eraseReferral(fromDoc(doc))),
      action: 'referral.erased',
      ctx,
    });
  }
}
