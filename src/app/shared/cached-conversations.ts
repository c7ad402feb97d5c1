import { plainCopy } from '../../lib/plain-copy';
import type { ConversationDirectory, ConversationTarget } from '../ports/conversations.port';
import { TtlCache } from '../../lib/ttl-cache';

export interface ConversationCacheOptions {
  readonly maxEntries: number;
  /** An unchanged reference is written again after this long, so "the user's most recent personal chat" stays true. */
  readonly refreshMs: number;
  /** How long a user's personal chat, once found, is reused (a card refresh looks up every co-ordinator's). */
  readonly lookupTtlMs: number;
  readonly now: () => number;
}

/**
 * The conversation directory, writing a conversation reference only when it is new or changed
 * rather than on every turn, and reusing a user's personal chat for a short while. A personal chat
 * remembered through this instance replaces the one held at once; one opened through another
 * instance is found within `lookupTtlMs` (until then messages go to the previous chat, which a user
 * only has after reinstalling the app). Not finding a chat is never held. A failed write is not remembered.
 */
export function cachedConversationDirectory(
  inner: ConversationDirectory,
  opts: ConversationCacheOptions,
): ConversationDirectory {
  const written = new TtlCache<string>({ ttlMs: opts.refreshMs, maxEntries: opts.maxEntries, now: opts.now });
  const chats = new TtlCache<ConversationTarget>({
    ttlMs: opts.lookupTtlMs,
    maxEntries: opts.maxEntries,
    now: opts.now,
  });
  const chatKey = (tenantId: string, aadObjectId: string) => `${tenantId}/${aadObjectId}`;
  let generation = 0;
  return {
    remember: async (target: ConversationTarget) => {
      const seen = JSON.stringify(target);
      if (written.get(target.conversationId) === seen) return;
      if (target.userAadObjectId) {
        generation += 1;
        chats.delete(chatKey(target.tenantId, target.userAadObjectId));
      }
      await inner.remember(target);
      written.set(target.conversationId, seen);
    },
    personalChatOf: async (tenantId, aadObjectId) => {
      const key = chatKey(tenantId, aadObjectId);
      const hit = chats.get(key);
      if (hit) return plainCopy(hit);
      const started = generation;
      const found = await inner.personalChatOf(tenantId, aadObjectId);
      if (found && started === generation) chats.set(key, plainCopy(found));
      return found;
    },
    byConversationId: (conversationId) => inner.byConversationId(conversationId),
    setCoordinatorChannel: (areaId, conversationId, setBy) =>
      inner.setCoordinatorChannel(areaId, conversationId, setBy),
    coordinatorChannel: (areaId) => inner.coordinatorChannel(areaId),
  };
}
