import type { CommandHandler } from '../capability';
import { conversationTargetOf } from '../activity-identity';

/** `set coordinator channel`, typed in the channel: that channel gets the notification and referral cards. */
export const setCoordinatorChannelCommand: CommandHandler = async (h) => {
  const target = conversationTargetOf(h.turn.activity);
  if (!target || target.conversationType !== 'channel') {
    await h.turn.sendActivity('Type this in the channel you want to use, mentioning me.');
    return;
  }
  const { deps, principal } = h;
  await deps.conversations.setCoordinatorChannel(deps.areaId, target.conversationId, principal.aadObjectId);
  await deps.audit.append({
    tenantId: principal.tenantId,
    areaId: deps.areaId,
    actorAadObjectId: principal.aadObjectId,
    action: 'area.changed',
    entity: { type: 'area', id: deps.areaId },
    details: { change: 'coordinator_channel' },
  });
  await h.turn.sendActivity(
    'This channel is now the MAPPA co-ordinator channel. New notifications and referrals will be posted here with the minimum identifying detail.',
  );
};
