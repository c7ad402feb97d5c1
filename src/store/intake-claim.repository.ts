import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import type { Clock } from '../app/ports/clock.port';
import { IntakeProgress, type IntakeClaim, type IntakeClaimRepository } from '../app/ports/intake-claim.port';
import type { CollectionSpec } from './mongo';
import { fromDate, isDuplicateKeyError, parseStored, stripUndefined, type StoredDocument } from './repository-support';

/** Keyed by area and idempotency key in `_id`, so the primary key is the uniqueness guarantee. */
export const INTAKE_CLAIMS: CollectionSpec = { name: 'intakeClaims', indexes: [] };

const ClaimDoc = IntakeProgress.extend({
  _id: z.string(),
  areaId: z.string(),
  owner: z.string(),
  leaseUntil: z.date(),
  claimedAt: z.date(),
});

const claimId = (areaId: string, key: string): string => `${areaId}\u001f${key}`;

function toClaim(raw: unknown): IntakeClaim {
  const { subjectId, caseStartedAt, caseId, caseJoined, notificationId, claimedAt } = parseStored(
    ClaimDoc,
    raw,
    INTAKE_CLAIMS.name,
  );
  return {
    claimedAt: fromDate(claimedAt),
    progress: stripUndefined({ subjectId, caseStartedAt, caseId, caseJoined, notificationId }),
  };
}

/**
 * Leases as single-document conditional writes: the only atomicity FerretDB (and Cosmos DB without
 * transactions) offers, and all a lease needs.
 */
export class MongoIntakeClaimRepository implements IntakeClaimRepository {
  private readonly col: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.col = db.collection(INTAKE_CLAIMS.name);
  }

  async acquire(areaId: string, key: string, owner: string, leaseMs: number): Promise<IntakeClaim | null> {
    const _id = claimId(areaId, key);
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    try {
      await this.col.insertOne({ _id, areaId, owner, leaseUntil, claimedAt: now });
      return { claimedAt: now.toISOString(), progress: {} };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const taken = await this.col.findOneAndUpdate(
      { _id, $or: [{ owner }, { leaseUntil: { $lte: now } }] },
      { $set: { owner, leaseUntil } },
      { returnDocument: 'after' },
    );
    return taken ? toClaim(taken) : null;
  }

  async record(areaId: string, key: string, owner: string, progress: Partial<IntakeProgress>): Promise<boolean> {
    const $set = stripUndefined(IntakeProgress.partial().parse(progress));
    if (Object.keys($set).length === 0) return true;
    const res = await this.col.updateOne({ _id: claimId(areaId, key), owner }, { $set });
    return res.matchedCount === 1;
  }

  async release(areaId: string, key: string, owner: string): Promise<void> {
    await this.col.updateOne({ _id: claimId(areaId, key), owner }, { $set: { leaseUntil: new Date(0) } });
  }
}
