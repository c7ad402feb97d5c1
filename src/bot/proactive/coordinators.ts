import type { ConversationDirectory } from '../../app/ports/conversations.port';
import type { MemberRepository } from '../../app/ports/member-repository.port';

/**
 * Teams user ids (29:…) of the area's co-ordinators that the bot knows from their personal chats:
 * the `refresh.userIds` whose view of a channel card refreshes to the detailed one. Teams allows 60.
 */
export async function coordinatorUserIds(
  members: Pick<MemberRepository, 'listMembers'>,
  conversations: ConversationDirectory,
  areaId: string,
  tenantId: string,
): Promise<string[]> {
  const coordinators = await members.listMembers(areaId, { role: 'coordinator' });
  const ids: string[] = [];
  for (const m of coordinators.slice(0, 60)) {
    const chat = await conversations.personalChatOf(tenantId, m.aadObjectId);
    if (chat?.userId) ids.push(chat.userId);
  }
  return ids;
}
