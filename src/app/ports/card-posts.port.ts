/**
 * Where a card about a record was posted, so later changes update that message in place instead of
 * posting another one.
 */
export interface PostedCard {
  readonly key: string;
  /** The conversation the card lives in (the thread for a new channel post). */
  readonly conversationId: string;
  readonly activityId: string;
  /** The stored conversation target it was posted through. */
  readonly targetConversationId: string;
}

export interface CardPostRepository {
  save(post: PostedCard): Promise<void>;
  get(key: string): Promise<PostedCard | null>;
}
