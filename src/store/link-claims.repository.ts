import type { Collection, Db } from 'mongodb';
import type { LinkClaims } from '../app/referral-export';
import type { CollectionSpec } from './mongo';

export const LINK_CLAIMS: CollectionSpec = { name: 'linkClaims', indexes: [] };

interface ClaimDoc {
  _id: string;
  claimedAt: Date;
  expiresAt: Date;
}

/** Single use: the first insert of a nonce wins; the unique _id refuses every later one. */
export class MongoLinkClaims implements LinkClaims {
  private readonly col: Collection<ClaimDoc>;
  constructor(db: Db) {
    this.col = db.collection<ClaimDoc>(LINK_CLAIMS.name);
  }

  async claim(nonce: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.col.insertOne({ _id: nonce, claimedAt: new Date(), expiresAt });
      return true;
    } catch (e) {
      if ((e as { code?: number }).code === 11000) return false;
      throw e;
    }
  }
}
