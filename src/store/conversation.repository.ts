import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import { ConversationTarget, type ConversationDirectory } from '../app/ports/conversations.port';
import type { CollectionSpec } from './mongo';

const targetDoc = ConversationTarget.extend({ _id: z.string(), updatedAt: z.date() });
type TargetDoc = z.infer<typeof targetDoc>;
const settingDoc = z.object({ _id: z.string(), conversationId: z.string(), setBy: z.string(), setAt: z.date() });
type SettingDoc = z.infer<typeof settingDoc>;

export const CONVERSATION_COLLECTIONS: readonly CollectionSpec[] = [
  {
    name: 'conversations',
    indexes: [{ name: 'personal_by_user', key: { tenantId: 1, userAadObjectId: 1 }, sparse: true }],
  },
  { name: 'areaChannels', indexes: [] },
];

export class MongoConversationDirectory implements ConversationDirectory {
  private readonly targets: Collection<TargetDoc>;
  private readonly settings: Collection<SettingDoc>;

  constructor(db: Db) {
    this.targets = db.collection<TargetDoc>('conversations');
    this.settings = db.collection<SettingDoc>('areaChannels');
  }

  async remember(target: ConversationTarget): Promise<void> {
    const t = ConversationTarget.parse(target);
    await this.targets.replaceOne({ _id: t.conversationId }, { ...t, updatedAt: new Date() }, { upsert: true });
  }

  async personalChatOf(tenantId: string, aadObjectId: string): Promise<ConversationTarget | null> {
    const doc = await this.targets.findOne(
      { tenantId, userAadObjectId: aadObjectId, conversationType: 'personal' },
      { sort: { updatedAt: -1 } },
    );
    return doc ? toTarget(doc) : null;
  }

  async byConversationId(conversationId: string): Promise<ConversationTarget | null> {
    const doc = await this.targets.findOne({ _id: conversationId });
    return doc ? toTarget(doc) : null;
  }

  async setCoordinatorChannel(areaId: string, conversationId: string, setBy: string): Promise<void> {
    await this.settings.replaceOne(
      { _id: `coordinator:${areaId}` },
      { conversationId, setBy, setAt: new Date() },
      { upsert: true },
    );
  }

  async coordinatorChannel(areaId: string): Promise<ConversationTarget | null> {
    const raw = await this.settings.findOne({ _id: `coordinator:${areaId}` });
    if (!raw) return null;
    return this.byConversationId(settingDoc.parse(raw).conversationId);
  }
}

function toTarget(raw: unknown): ConversationTarget {
  const { _id: _ignored, updatedAt: _at, ...rest } = targetDoc.parse(raw);
  return ConversationTarget.parse(rest);
}
