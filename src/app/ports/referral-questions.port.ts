import { z } from 'zod';
import { Actor, Id, IsoDateTime } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { WriteContext } from './write-context.port';

/**
 * A co-ordinator's request for more information on a submitted referral, and the referrer's answer.
 * Kept beside the referral rather than in it because the domain `Referral` has no field for it and a
 * submitted referral must not change underneath the co-ordinator deciding it.
 */
export const ReferralQuestion = z.object({
  id: Id,
  referralId: Id,
  areaId: Id,
  question: z.string().trim().min(1).max(2000),
  askedBy: Actor,
  askedAt: IsoDateTime,
  answer: z.string().trim().min(1).max(4000).optional(),
  answeredBy: Actor.optional(),
  answeredAt: IsoDateTime.optional(),
});
export type ReferralQuestion = z.infer<typeof ReferralQuestion>;

export type NewReferralQuestion = Pick<ReferralQuestion, 'referralId' | 'areaId' | 'question' | 'askedBy'>;

/** Questions and answers on referrals; every write is audited against the referral. */
export interface ReferralQuestionRepository {
  ask(input: NewReferralQuestion, ctx: WriteContext<'referral.updated'>): Promise<ReferralQuestion>;
  /** Oldest first, so the card reads as a conversation. */
  listForReferral(referralId: string): Promise<ReferralQuestion[]>;
  /**
   * Answers one open question, only while it is unanswered: a second answer gets ALREADY_DECIDED so
   * two replies racing cannot overwrite each other.
   */
  answer(
    id: string,
    answer: { text: string; by: z.infer<typeof Actor> },
    ctx: WriteContext<'referral.updated'>,
  ): Promise<Result<ReferralQuestion, AppError<'NOT_FOUND' | 'ALREADY_DECIDED'>>>;
}
