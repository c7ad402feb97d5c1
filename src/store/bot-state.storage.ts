import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import type { CollectionSpec } from './mongo';

/**
 * botbuilder's Storage contract, restated structurally so this folder never imports the (archived) SDK;
 * src/bot passes this class where a botbuilder Storage is expected and the compiler checks the fit.
 */
export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}
export type StoreItems = Record<string, Partial<StoreItem> | undefined>;

export const BOT_STATE_COLLECTION: CollectionSpec = { name: 'botState', indexes: [] };

// State is kept as a JSON string: dialog state keys may contain "." or "$", which MongoDB field names
// (and FerretDB especially) reject, and nothing ever queries inside it.
const stateDoc = z.object({
  _id: z.string(),
  etag: z.string(),
  state: z.string(),
  updatedAt: z.date(),
});
type StateDoc = z.infer<typeof stateDoc>;

export class StateConflictError extends Error {
  readonly code = 'STATE_CONFLICT';
  constructor() {
    super('Storage: eTag conflict, another turn changed this state first');
    this.name = 'StateConflictError';
  }
}

/** Bot state (conversation, user, dialog) on MongoDB with eTag optimistic concurrency. */
export class MongoBotStorage {
  private readonly col: Collection<StateDoc>;

  constructor(db: Db) {
    this.col = db.collection<StateDoc>(BOT_STATE_COLLECTION.name);
  }

  /**
   * One lookup by _id per key (a turn reads one or two): servers answer that from the primary key,
   * whereas the local server (FerretDB v1) scans the whole collection for `$in`, every turn.
   */
  async read(keys: string[]): Promise<StoreItems> {
    const docs = await Promise.all([...new Set(keys)].map((key) => this.col.findOne({ _id: key })));
    const items: StoreItems = {};
    for (const raw of docs) {
      if (!raw) continue;
      const doc = stateDoc.parse(raw);
      items[doc._id] = { ...(JSON.parse(doc.state) as Record<string, unknown>), eTag: doc.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      if (!item) continue;
      const { eTag, ...rest } = item;
      const state = JSON.stringify(rest);
      const etag = randomUUID();
      const updatedAt = new Date();
      if (eTag === undefined || eTag === '*' || eTag === '') {
        await this.col.replaceOne({ _id: key }, { etag, state, updatedAt }, { upsert: true });
        continue;
      }
      const res = await this.col.updateOne({ _id: key, etag: eTag }, { $set: { etag, state, updatedAt } });
      if (res.matchedCount === 1) continue;
      // A stale eTag for a key that no longer exists means it was deleted meanwhile: recreate it,
      // as botbuilder's MemoryStorage does; a key that exists with another eTag is a real conflict.
      const exists = await this.col.countDocuments({ _id: key }, { limit: 1 });
      if (exists > 0) throw new StateConflictError();
      try {
        await this.col.insertOne({ _id: key, etag, state, updatedAt });
      } catch (err) {
        if ((err as { code?: number }).code === 11000) throw new StateConflictError();
        throw err;
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.col.deleteMany({ _id: { $in: keys } });
  }
}
