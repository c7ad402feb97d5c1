import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import type { Clock } from '../app/ports/clock.port';
import type { AuditLog } from '../app/ports/audit-log.port';
import {
  ReferralQuestion,
  type NewReferralQuestion,
  type ReferralQuestionRepository,
} from '../app/ports/referral-questions.port';
import type { WriteContext } from '../app/ports/write-context.port';
import type { Actor } from '../domain';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import type { CollectionSpec } from './mongo';
import {
  appendAudit,
  auditEventFor,
  fromDate,
  newId,
  notFound,
  parseStored,
  stripUndefined,
  toDate,
  type StoredDocument,
} from './repository-support';

export const REFERRAL_QUESTIONS: CollectionSpec = {
  name: 'referral_questions',
  indexes: [{ key: { referralId: 1, askedAt: 1 }, name: 'referral_questions_referral_asked' }],
};

const QuestionDoc = ReferralQuestion.omit({ id: true, askedAt: true, answeredAt: true }).extend({
  _id: z.string(),
  askedAt: z.date(),
  answeredAt: z.date().optional(),
});

function fromDoc(raw: unknown): ReferralQuestion {
  const { _id, askedAt, answeredAt, ...rest } = parseStored(QuestionDoc, raw, REFERRAL_QUESTIONS.name);
  return stripUndefined({
    id: _id,
    askedAt: fromDate(askedAt),
    answeredAt: answeredAt && fromDate(answeredAt),
    ...rest,
  });
}

export class MongoReferralQuestionRepository implements ReferralQuestionRepository {
  private readonly col: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {
    this.col = db.collection(REFERRAL_QUESTIONS.name);
  }

  async ask(input: NewReferralQuestion, ctx: WriteContext<'referral.updated'>): Promise<ReferralQuestion> {
    const q = ReferralQuestion.parse({ ...input, id: newId(), askedAt: this.clock.now().toISOString() });
    const { id, askedAt, ...rest } = q;
    await this.col.insertOne(stripUndefined({ _id: id, askedAt: toDate(askedAt), ...rest }));
    await appendAudit(
      this.audit,
      auditEventFor(ctx, 'referral.updated', q.areaId, { type: 'referral', id: q.referralId }, { question: 'asked' }),
      true,
    );
    return q;
  }

  async listForReferral(referralId: string): Promise<ReferralQuestion[]> {
    const docs = await this.col.find({ referralId }).sort({ askedAt: 1 }).limit(100).toArray();
    return docs.map(fromDoc);
  }

  async answer(
    id: string,
    answer: { text: string; by: Actor },
    ctx: WriteContext<'referral.updated'>,
  ): Promise<Result<ReferralQuestion, AppError<'NOT_FOUND' | 'ALREADY_DECIDED'>>> {
    const text = ReferralQuestion.shape.answer.unwrap().parse(answer.text);
    const raw = await this.col.findOneAndUpdate(
      { _id: id, answer: { $exists: false } },
      { $set: { answer: text, answeredBy: answer.by, answeredAt: this.clock.now() } },
      { returnDocument: 'after' },
    );
    if (!raw) {
      const current = await this.col.findOne({ _id: id });
      return err(
        current
          ? appError('ALREADY_DECIDED', 'That question has already been answered.')
          : notFound('referral_question', id),
      );
    }
    const q = fromDoc(raw);
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'referral.updated',
        q.areaId,
        { type: 'referral', id: q.referralId },
        { question: 'answered' },
      ),
      true,
    );
    return ok(q);
  }
}
