import type { z } from 'zod';
import {
  decideNotification,
  decisionSummaries,
  notificationSummary,
  withinTurn,
  type DecisionVerb,
} from '../../app/notifications';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import type { NotificationDecisionPayload } from './catalogue';
import { logFailure } from './log-failure';
import { channelCard, coordinatorUserIds, ukDate, updateChannelCard } from './notification-channel.card';

const notFound = (h: HandlerContext) =>
  h.card('notice', { title: 'Not found', message: 'I cannot find that notification.', facts: [] });

/**
 * One of the co-ordinator's decision buttons: the decision recorded, everyone's channel card updated,
 * and the lead agency asked to refer where that was the decision. What could not be done is said on
 * the card; a refused decision changes nothing.
 */
export async function decide(
  h: HandlerContext,
  decision: DecisionVerb,
  p: z.output<typeof NotificationDecisionPayload>,
): Promise<AdaptiveCardJson> {
  // The decision, the channel card and the answering card read the same records: once each this turn.
  const deps = { ...h.deps.notifications, receive: withinTurn(h.deps.notifications.receive) };
  const id = p.notificationId;
  const decided = await decideNotification(deps.receive, h.principal, id, decision, undefined, p.referralDue);
  if (!decided.ok) {
    const summary = await notificationSummary(deps.receive, id, null);
    if (!summary.ok) return notFound(h);
    const e = decided.error;
    const notice = 'fieldErrors' in e ? Object.values(e.fieldErrors).join(' ') : e.message;
    return channelCard(h, summary.value, { refreshUserIds: [], notice: `Nothing was decided. ${notice}` });
  }
  const d = decided.value;
  const notices: string[] = [];
  if (d.alreadyDecided) notices.push('This notification had already been decided; nothing was changed.');
  const refreshUserIds = await coordinatorUserIds(deps, h.principal.tenantId);
  // Both cards from the records the decision left: the channel's without the content, the clicker's with it.
  const summaries = await decisionSummaries(deps.receive, d, h.principal);
  if (!summaries.ok) return notFound(h);
  const { channel, forViewer } = summaries.value;
  if (!d.alreadyDecided) {
    await updateChannelCard(h, deps, channel, refreshUserIds).catch((e: unknown) => {
      logFailure(h.deps.logger, e, 'could not update the notification card');
      notices.push('The channel card could not be updated for everyone yet.');
    });
  }
  if (!d.alreadyDecided && d.messageTo) {
    const chat = await deps.conversations.personalChatOf(h.principal.tenantId, d.messageTo.aadObjectId);
    const text = `The MAPPA co-ordinator asks you to make a MAPPA A referral for case ${d.caseRef}${
      d.referralDue ? ` by ${ukDate(d.referralDue)}` : ''
    }. Type **refer ${d.caseRef}** to start.`;
    if (chat) {
      await deps.messenger.sendPersonal(chat, text, 'the referral request').catch((e: unknown) => {
        logFailure(h.deps.logger, e, 'could not send the referral request');
        notices.push('The lead agency could not be messaged in Teams; please contact them directly.');
      });
    } else {
      notices.push('The notifier has no chat with me yet; please contact the lead agency directly.');
    }
  }
  if (!d.alreadyDecided && d.messageTo === null) {
    const lead = forViewer.leadAgencyName;
    notices.push(
      d.notAskedBecause === 'notifier_not_in_lead_agency'
        ? `The notifier is not in the lead agency (${lead}), so nobody was messaged: please ask ${lead} to refer.`
        : `This notification came from a case-management system: please ask the lead agency (${lead}) to refer.`,
    );
  }
  return channelCard(h, forViewer, { refreshUserIds, notice: notices.join(' ') });
}
