import type { ConversationDirectory, ConversationTarget } from '../../app/ports/conversations.port';

/** A notice card's content: jobs say what to post; the bot renders it with the protective marking. */
export interface JobNotice {
  readonly title: string;
  readonly message: string;
  readonly facts: { title: string; value: string }[];
}

/** How jobs reach Teams, wired by the composition root to the bot's messenger. */
export interface JobDelivery {
  postNotice(channel: ConversationTarget, notice: JobNotice, what: string): Promise<unknown>;
  sendText(chat: ConversationTarget, text: string, what: string): Promise<unknown>;
}

export type JobConversations = Pick<ConversationDirectory, 'coordinatorChannel' | 'personalChatOf'>;
