import { describeError } from '../../config/logger';
import type { CapabilityHandlers, DialogEnv } from '../capability';
import { answerInfo } from './answer-info.verb';
import { approve } from './approve.verb';
import { REFERRAL_CATALOGUE } from './catalogue';
import { postReferralToChannel } from './channel';
import type * as ReferralDialogModule from './dialog/referral.dialog';
import { exportVerb } from './export.verb';
import { scheduleMeetingVerb } from './schedule-meeting.verb';
import { updatingChannelCard } from './outcome';
import { referCommand } from './refer.command';
import { refreshVerb, refreshView } from './refresh.verb';
import { reject } from './reject.verb';
import { requestInfo } from './request-info.verb';
import { walkClosed } from './walk-closed.verb';

/** Built by the router when a dialog is first needed; only then are it and botbuilder-dialogs loaded. */
function referralDialog({ deps, conversationState, principalOf }: DialogEnv): ReferralDialogModule.ReferralDialog {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load at first use, typed by the import above
  const { ReferralDialog } = require('./dialog/referral.dialog') as typeof ReferralDialogModule;
  return new ReferralDialog({
    deps: deps.referrals,
    marking: deps.protectiveMarking,
    principalOf,
    places: conversationState.createProperty('referralPlaces'),
    onSubmitted: async (_referral, summary) => {
      // The referral is saved whatever happens here; a failed post is logged for the co-ordinator to chase.
      await postReferralToChannel(deps.referralChannel, summary).catch((e: unknown) =>
        deps.logger.warn({ error: describeError(e) }, 'could not post the referral card'),
      );
    },
  });
}

export const referrals = {
  commands: { refer: { run: referCommand } },
  verbs: {
    'referral.approve': { execute: updatingChannelCard(approve) },
    'referral.reject': { execute: updatingChannelCard(reject) },
    'referral.requestInfo': { execute: updatingChannelCard(requestInfo) },
    'referral.export': { execute: exportVerb },
    'referral.scheduleMeeting': { execute: scheduleMeetingVerb },
    'referral.answerInfo': { execute: updatingChannelCard(answerInfo) },
    'referral.refresh': { execute: refreshVerb, view: refreshView },
    'referral.edit': { submit: walkClosed },
    'referral.submit': { submit: walkClosed },
    'referral.save': { submit: walkClosed },
    'referral.answer': { submit: walkClosed },
  },
  dialogs: (env) => [referralDialog(env)],
} satisfies CapabilityHandlers<typeof REFERRAL_CATALOGUE>;
