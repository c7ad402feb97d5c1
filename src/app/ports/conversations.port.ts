import { z } from 'zod';

/**
 * Where the bot can post later without being spoken to (proactive messages): the parts of a Bot
 * Framework conversation reference we keep. Captured when the app is installed or a user writes to it.
 */
export const ConversationTarget = z.object({
  conversationId: z.string().min(1).max(512),
  conversationType: z.enum(['personal', 'groupChat', 'channel']),
  tenantId: z.string().min(1).max(64),
  serviceUrl: z.url(),
  botId: z.string().min(1).max(256),
  channelId: z.string().min(1).max(64).default('msteams'),
  /** Teams team id and channel id for channel targets (posting starts a new thread there). */
  teamId: z.string().max(512).optional(),
  teamsChannelId: z.string().max(512).optional(),
  /** For personal chats: whose chat this is. */
  userAadObjectId: z.string().max(64).optional(),
  userId: z.string().max(256).optional(),
});
export type ConversationTarget = z.infer<typeof ConversationTarget>;

/** Stored conversation targets and the area's chosen co-ordinator channel. */
export interface ConversationDirectory {
  /** Records (or refreshes) a target; idempotent. */
  remember(target: ConversationTarget): Promise<void>;
  personalChatOf(tenantId: string, aadObjectId: string): Promise<ConversationTarget | null>;
  byConversationId(conversationId: string): Promise<ConversationTarget | null>;
  setCoordinatorChannel(areaId: string, conversationId: string, setBy: string): Promise<void>;
  coordinatorChannel(areaId: string): Promise<ConversationTarget | null>;
}
