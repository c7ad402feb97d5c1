import { z } from 'zod';
import { Id } from '../../domain/common.schema';
import type { Catalogue } from '../capability';
import { typedText } from '../payload';

const ReferralId = z.object({ referralId: Id });

/** Only Level 2 or 3 can be approved; anything else (a forged or damaged card) reads as no level. */
const ApprovalLevel = z.coerce
  .number()
  .pipe(z.union([z.literal(2), z.literal(3)]))
  .optional()
  .catch(undefined);

/** The co-ordinator's decision card: what was typed is kept to show again if the action is refused. */
export const ReferralDecisionPayload = ReferralId.extend({
  level: ApprovalLevel,
  noteL2: typedText(4000),
  noteL3: typedText(4000),
  reason: typedText(4000),
  question: typedText(4000),
  identity: typedText(64),
});
export type ReferralDecisionPayload = z.output<typeof ReferralDecisionPayload>;

export const ReferralAnswerPayload = ReferralId.extend({ answer: typedText(4000) });

/** Review-card buttons (Action.Submit), read by the referral walk while it is open. */
export const WalkEdit = z.object({
  verb: z.literal('referral.edit'),
  referralId: z.string().min(1),
  sectionId: z.string(),
});
export const WalkSubmit = z.object({
  verb: z.literal('referral.submit'),
  referralId: z.string().min(1),
  expectedVersion: z.coerce.number().int().min(0).optional(),
  advise: z.union([z.boolean(), z.literal('true')]).optional(),
});
export const WalkSave = z.object({ verb: z.literal('referral.save'), referralId: z.string().optional() });
/**
 * A walk card's button. The card's inputs come back beside its data (Action.Submit merges them), so
 * the schema keeps every input value as typed text (anything else reads as empty, nothing is refused
 * for its shape) and the use case says what is wrong with it, naming the question.
 */
export const WalkAnswer = z
  .looseObject({
    verb: z.literal('referral.answer'),
    referralId: z.string().min(1),
    sectionId: z.string().max(40),
    step: z.coerce.number().int().min(0).max(200),
    /** The question ids the card showed, comma-separated. */
    shown: z.string().max(2000).default(''),
    then: z.enum(['next', 'more', 'keep', 'confirm', 'change']).default('next'),
  })
  .transform(({ verb, referralId, sectionId, step, shown, then, ...rest }) => ({
    verb,
    referralId,
    sectionId,
    step,
    then,
    shown: shown.split(',').filter(Boolean),
    inputs: Object.fromEntries(
      Object.entries(rest)
        .slice(0, 400)
        .map(([k, v]) => [k.slice(0, 120), typeof v === 'string' ? v.slice(0, 20_000) : '']),
    ),
  }));
export type WalkAnswer = z.output<typeof WalkAnswer>;

/**
 * The router checks the role; the use cases check the referral itself (area, status, who referred it).
 */
export const REFERRAL_CATALOGUE = {
  commands: {
    refer: {
      description:
        'Start or carry on a MAPPA A referral. On its own it carries on with your draft; with a case reference it starts from that case; with new it starts another',
      audience: 'practitioner',
      example: 'refer MAPPA-2026-0042',
      action: 'referral.draft',
      where: 'personal',
    },
  },
  verbs: {
    'referral.approve': { via: 'execute', action: 'referral.decide', payload: ReferralDecisionPayload },
    'referral.reject': { via: 'execute', action: 'referral.decide', payload: ReferralDecisionPayload },
    'referral.requestInfo': { via: 'execute', action: 'referral.decide', payload: ReferralDecisionPayload },
    'referral.export': { via: 'execute', action: 'referral.decide', payload: ReferralId },
    // After approval at Level 2 or 3: the schedule card, in the clicker's personal chat.
    'referral.scheduleMeeting': { via: 'execute', action: 'meeting.run', payload: ReferralId },
    'referral.answerInfo': { via: 'execute', action: 'referral.answerQuestion', payload: ReferralAnswerPayload },
    // Anyone enrolled may refresh; only co-ordinators get the detailed card back.
    'referral.refresh': { via: 'execute', action: 'help.show', payload: ReferralId },
    'referral.edit': { via: 'submit', action: 'referral.draft', payload: WalkEdit },
    'referral.submit': { via: 'submit', action: 'referral.draft', payload: WalkSubmit },
    'referral.save': { via: 'submit', action: 'referral.draft', payload: WalkSave },
    'referral.answer': { via: 'submit', action: 'referral.draft', payload: WalkAnswer },
  },
} as const satisfies Catalogue;
