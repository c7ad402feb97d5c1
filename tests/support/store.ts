import type { Db } from 'mongodb';
import type { Clock, Repositories } from '../../src/app/ports';
import { ALL_COLLECTIONS, connectMongo, createRepositories } from '../../src/store';
import { freshDbName, testMongoUri } from './mongo';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  private t: number;
  constructor(start = '2026-03-02T09:00:00.000Z') {
    this.t = Date.parse(start);
  }
  now(): Date {
    return new Date(this.t);
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestStore {
  readonly db: Db;
  readonly clock: TestClock;
  readonly repos: Repositories;
  close(): Promise<void>;
}

/**
 * Opens a fresh database on the integration server through the production `connectMongo` (so the
 * declared indexes are created exactly as at start-up) and builds every repository on it.
 */
export async function openTestStore(prefix: string): Promise<TestStore> {
  const handle = await connectMongo({
    uri: testMongoUri(),
    dbName: freshDbName(prefix),
    timeoutMs: 10_000,
    collections: ALL_COLLECTIONS,
  });
  const clock = new TestClock();
  return {
    db: handle.db,
    clock,
    repos: createRepositories(handle.db, clock),
    async close() {
      await handle.db.dropDatabase();
      await handle.close();
    },
  };
}
