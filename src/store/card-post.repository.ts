import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import type { CardPostRepository, PostedCard } from '../app/ports/card-posts.port';
import type { CollectionSpec } from './mongo';

export const CARD_POSTS: CollectionSpec = { name: 'cardPosts', indexes: [] };

const doc = z.object({
  _id: z.string(),
  conversationId: z.string(),
  activityId: z.string(),
  targetConversationId: z.string(),
  postedAt: z.date(),
});
type Doc = z.infer<typeof doc>;

export class MongoCardPosts implements CardPostRepository {
  private readonly col: Collection<Doc>;
  constructor(db: Db) {
    this.col = db.collection<Doc>(CARD_POSTS.name);
  }

  async save(post: PostedCard): Promise<void> {
    await this.col.replaceOne(
      { _id: post.key },
      {
        conversationId: post.conversationId,
        activityId: post.activityId,
        targetConversationId: post.targetConversationId,
        postedAt: new Date(),
      },
      { upsert: true },
    );
  }

  async get(key: string): Promise<PostedCard | null> {
    const raw = await this.col.findOne({ _id: key });
    if (!raw) return null;
    const d = doc.parse(raw);
    return {
      key: d._id,
      conversationId: d.conversationId,
      activityId: d.activityId,
      targetConversationId: d.targetConversationId,
    };
  }
}
