import { referralSummary, type ReferralError } from '../../app/referrals';
import { describeError } from '../../config/logger';
import type { AdaptiveCardJson } from '../cards/render';
import type { ExecuteHandler } from '../capability';
import type { HandlerContext } from '../handler-context';
import { updateReferralInChannel } from './channel';
import type { ReferralDecisionPayload } from './catalogue';
import { decisionCardData, fieldErrorsOf, type DecisionCardExtras } from './decision.card';

/**
 * What a referral card action leads to: the card to show in place of the clicked one, and whether the
 * referral itself changed. Only a change reaches other people's copies (the channel card); a refused
 * or repeated action has no effect beyond the clicker's card.
 */
export interface ReferralCardOutcome {
  readonly card: AdaptiveCardJson;
  readonly changed: boolean;
}

export type ReferralAction<P> = (h: HandlerContext, p: P) => Promise<ReferralCardOutcome>;

export const unchanged = (card: AdaptiveCardJson): ReferralCardOutcome => ({ card, changed: false });
export const changed = (card: AdaptiveCardJson): ReferralCardOutcome => ({ card, changed: true });

export const notice = (h: HandlerContext, title: string, message: string): ReferralCardOutcome =>
  unchanged(h.card('notice', { title, message, facts: [] }));

/** The verb handler for an action: its card, and the channel's copy updated when the referral changed. */
export function updatingChannelCard<P extends { referralId: string }>(action: ReferralAction<P>): ExecuteHandler<P> {
  return async (h, p) => {
    const outcome = await action(h, p);
    if (outcome.changed) {
      // The action is done and recorded; a channel that cannot be reached must not undo it.
      await updateReferralInChannel(h.deps.referralChannel, p.referralId).catch((e: unknown) =>
        h.deps.logger.warn({ error: describeError(e) }, 'could not update the referral card'),
      );
    }
    return outcome.card;
  };
}

/** The co-ordinator's card again with the refusal and their typing kept, or a notice if it is gone. */
export async function sameCardWith(
  h: HandlerContext,
  p: ReferralDecisionPayload,
  e: ReferralError,
  extras: DecisionCardExtras = {},
): Promise<ReferralCardOutcome> {
  const s = await referralSummary(h.deps.referrals, h.principal, p.referralId);
  if (!s.ok) return notice(h, 'Referral not available', e.message);
  const { noteL2, noteL3, reason, question, identity } = p;
  const values = { noteL2, noteL3, reason, question, identity };
  return unchanged(
    h.card(
      'referral-decision',
      decisionCardData(s.value, { formError: e.message, values, errors: fieldErrorsOf(e), ...extras }),
    ),
  );
}
