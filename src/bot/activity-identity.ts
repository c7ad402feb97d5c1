import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { ConversationTarget } from '../app/ports/conversations.port';

const Account = z.object({ id: z.string().min(1) }).loose();

/**
 * What every activity must carry before the bot reads it. Teams always sends these; an activity
 * without them is bad input, answered as such, rather than a TypeError deep in a handler.
 */
const TurnActivity = z
  .object({
    type: z.string().min(1),
    from: Account,
    conversation: z.object({ id: z.string().min(1) }).loose(),
    recipient: Account.optional(),
    text: z.string().nullish(),
    membersAdded: z.array(Account).nullish(),
  })
  .loose();

/** The fields (names only, never values) that make an activity unreadable; empty when it is fine. */
export function unreadableFields(activity: unknown): string[] {
  const parsed = TurnActivity.safeParse(activity);
  return parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => i.path.map(String).join('.') || 'activity'))];
}

/** Tenant and Entra object id as Teams put them on the activity: the only identity we trust. */
export function callerIds(activity: Partial<Activity>): {
  tenantId: string | undefined;
  aadObjectId: string | undefined;
  /** The caller's name as Teams shows it: a label for records, never identity. */
  displayName: string | undefined;
} {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined;
  return {
    tenantId: activity.conversation?.tenantId ?? fromChannelData,
    aadObjectId: activity.from?.aadObjectId,
    displayName: typeof activity.from?.name === 'string' ? activity.from.name : undefined,
  };
}

/** The conversation this activity came from, as a target the bot can post to later. */
export function conversationTargetOf(activity: Partial<Activity>): ConversationTarget | null {
  const { tenantId } = callerIds(activity);
  const conv = activity.conversation;
  if (!conv?.id || !tenantId || !activity.serviceUrl || !activity.recipient?.id) return null;
  const channelData = (activity.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string } };
  const type =
    conv.conversationType === 'channel' || channelData.channel?.id
      ? 'channel'
      : conv.conversationType === 'groupChat'
        ? 'groupChat'
        : 'personal';
  // Channel messages arrive on a thread ("<channel>;messageid=<post>"); the channel itself is the target.
  const conversationId = type === 'channel' ? (channelData.channel?.id ?? conv.id.split(';')[0] ?? conv.id) : conv.id;
  return {
    conversationId,
    conversationType: type,
    tenantId,
    serviceUrl: activity.serviceUrl,
    botId: activity.recipient.id,
    channelId: activity.channelId ?? 'msteams',
    ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
    ...(channelData.channel?.id ? { teamsChannelId: channelData.channel.id } : {}),
    ...(type === 'personal' && activity.from?.aadObjectId ? { userAadObjectId: activity.from.aadObjectId } : {}),
    ...(type === 'personal' && activity.from?.id ? { userId: activity.from.id } : {}),
  };
}
