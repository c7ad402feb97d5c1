import type { ConversationDirectory, ConversationTarget } from '../ports/conversations.port';
import { TtlCache } from '../../lib/ttl-cache';

/**
 * The conversation directory, writing a conversation reference only when it is new or changed
 * (or was last written `refreshMs` ago, so "the user's most recent personal chat" stays true),
 * rather than on every turn. Holds at most `maxEntries` references; a failed write is not remembered.
 */
export function rememberOnlyChanges(
  inner: ConversationDirectory,
  opts: { maxEntries: number; refreshMs: number; now: () => number },
): ConversationDirectory {
  const written = new TtlCache<string>({ ttlMs: opts.refreshMs, maxEntries: opts.maxEntries, now: opts.now });
  return {
    remember: async (target: ConversationTarget) => {
      const seen = JSON.stringify(target);
      if (written.get(target.conversationId) === seen) return;
      await inner.remember(target);
      written.set(target.conversationId, seen);
    },
    personalChatOf: (tenantId, aadObjectId) => inner.personalChatOf(tenantId, aadObjectId),
    byConversationId: (conversationId) => inner.byConversationId(conversationId),
    setCoordinatorChannel: (areaId, conversationId, setBy) =>
      inner.setCoordinatorChannel(areaId, conversationId, setBy),
    coordinatorChannel: (areaId) => inner.coordinatorChannel(areaId),
  };
}
