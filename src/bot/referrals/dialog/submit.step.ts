import { DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { MessageFactory } from 'botbuilder';
import { loadDraftForm, submitReferral } from '../../../app/referrals';
import { formatUkDate } from '../../../domain/format';
import { cardAttachment } from '../../cards/render';
import { restart, type ReferralDialogConfig } from './config';
import { takePlace } from './places';
import { submittedCard } from './review.card';
import { REVIEW } from './walk';

/**
 * The walk's last step: submit the draft (at the version the review card showed, when it came from
 * the card), hand it to the lead for the channel, replace the review card with a read-only
 * "Submitted" card, and tell the referrer what happens next. What is still missing, or a draft
 * changed meanwhile, brings the review back.
 */
export async function submitDraft(
  config: ReferralDialogConfig,
  dc: DialogContext,
  referralId: string,
  expectedVersion: number | undefined,
  advise: boolean,
  reviewCardId: string | undefined,
): Promise<DialogTurnResult> {
  const principal = await config.principalOf(dc.context);
  if (!principal) return dc.cancelAllDialogs();
  let version = expectedVersion;
  if (version === undefined) {
    const loaded = await loadDraftForm(config.deps, principal, referralId);
    if (!loaded.ok) {
      await dc.context.sendActivity(loaded.error.message);
      return dc.cancelAllDialogs();
    }
    version = loaded.value.referral.version;
  }
  const res = await submitReferral(config.deps, principal, referralId, version, { askCoordinatorToAdvise: advise });
  if (!res.ok) {
    const e = res.error;
    if (e.code === 'REFERRAL_INCOMPLETE') {
      const advice = e.adviseAvailable
        ? '\n\nIf you are unsure of the level, choose **Submit asking the co-ordinator to advise** (or type **submit advise**).'
        : '';
      await dc.context.sendActivity(`Not submitted yet:\n\n${e.reasons.map((r) => `- ${r}`).join('\n')}${advice}`);
      return restart(dc, REVIEW, { referralId });
    }
    if (e.code === 'VERSION_CONFLICT') {
      // A double click: the other click submitted it. Say that, not that the draft changed.
      const now = await loadDraftForm(config.deps, principal, referralId);
      if (now.ok && now.value.referral.status !== 'draft') {
        await dc.context.sendActivity(
          `This referral is already ${now.value.referral.status}, so nothing was sent again.`,
        );
        return dc.cancelAllDialogs();
      }
      await dc.context.sendActivity('The draft changed since that card was shown. Here it is again.');
      return restart(dc, REVIEW, { referralId });
    }
    await dc.context.sendActivity(e.message);
    return dc.cancelAllDialogs();
  }
  const s = res.value.summary;
  await takePlace(config, dc.context, referralId);
  await config.onSubmitted(res.value.referral, s);
  const done = submittedCard(s, res.value.referral.submittedAt ?? new Date().toISOString(), config.marking);
  if (reviewCardId) {
    // The review card's buttons must not stay live: replace it. If Teams will not, the read-only
    // card follows instead, and an old Submit is answered with "already submitted" either way.
    await dc.context
      .updateActivity({ id: reviewCardId, type: 'message', attachments: [cardAttachment(done)] })
      .catch(() => dc.context.sendActivity(MessageFactory.attachment(cardAttachment(done))));
  } else {
    await dc.context.sendActivity(MessageFactory.attachment(cardAttachment(done)));
  }
  await dc.context.sendActivity(
    `Submitted to the MAPPA co-ordinator${s.caseRefForReferrer ? ` (case ${s.caseRefForReferrer})` : ''}.` +
      (s.decisionDue ? ` They aim to decide by ${formatUkDate(s.decisionDue)}.` : '') +
      ' I will let you know when they decide or if they have a question.',
  );
  await dc.cancelAllDialogs();
  return { status: DialogTurnStatus.complete, result: { referralId, submitted: true } };
}
