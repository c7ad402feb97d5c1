import type { Collection, Db } from 'mongodb';
import type { CollectionSpec } from './mongo';

export const JOB_RUNS: CollectionSpec = { name: 'jobRuns', indexes: [] };

interface JobRunDoc {
  _id: string;
  claimedAt: Date;
  instance: string;
}

/**
 * One run per job per period across every instance of the bot: the first instance to insert the
 * run's key wins (the _id is unique), the others skip. Needs no transactions or clocks in agreement.
 */
export class MongoJobLeases {
  private readonly col: Collection<JobRunDoc>;
  constructor(
    db: Db,
    private readonly instance: string,
  ) {
    this.col = db.collection<JobRunDoc>(JOB_RUNS.name);
  }

  async claim(job: string, runKey: string): Promise<boolean> {
    try {
      await this.col.insertOne({ _id: `${job}:${runKey}`, claimedAt: new Date(), instance: this.instance });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }
}
