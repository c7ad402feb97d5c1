import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogContext, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { FormContext } from '../../../app/referrals';
import { loadDraftForm, type ReferralDeps, type ReferralSummary } from '../../../app/referrals';
import type { Principal } from '../../../domain/policy';
import type { Referral } from '../../../domain/referral.schema';

export interface ReferralDialogConfig {
  readonly deps: ReferralDeps;
  /** Printed on the review card (the renderer frames every card with it). */
  readonly marking: string;
  /** Called once a referral is submitted: the lead posts the co-ordinator card to the channel. */
  readonly onSubmitted: (referral: Referral, summary: ReferralSummary) => Promise<void>;
  /** The caller as the bot resolved them from the activity's Entra ids (never from the message). */
  readonly principalOf: (turn: TurnContext) => Promise<Principal | null>;
  /** Conversation state where each draft's place is kept while its walk is closed. */
  readonly places: StatePropertyAccessor<unknown>;
}

/** The caller's draft and its form, or what to tell them when it cannot be changed any more. */
export async function loadOpenDraft(
  config: ReferralDialogConfig,
  turn: TurnContext,
  referralId: string,
): Promise<{ referral: Referral; form: FormContext } | string> {
  const principal = await config.principalOf(turn);
  if (!principal) return 'You are not enrolled in this MAPPA area yet.';
  const res = await loadDraftForm(config.deps, principal, referralId);
  if (!res.ok) return res.error.message;
  if (res.value.referral.status !== 'draft')
    return `This referral is already ${res.value.referral.status}, so it can no longer be changed.`;
  return res.value;
}

export async function restart(dc: DialogContext, dialogId: string, options: object): Promise<DialogTurnResult> {
  await dc.cancelAllDialogs();
  return dc.beginDialog(dialogId, options);
}

export async function endWith(step: WaterfallStepContext, message: string): Promise<DialogTurnResult> {
  await step.context.sendActivity(message);
  return step.endDialog();
}
