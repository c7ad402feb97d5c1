import { ALL_COLLECTIONS, connectMongo } from '../../src/store';
import { freshDbName, testMongoUri } from '../support/mongo';

describe('connectMongo on a database that already has data and indexes (every restart)', () => {
  it('connects again and again, creating indexes idempotently', async () => {
    const dbName = freshDbName('reconnect');
    for (let i = 0; i < 3; i++) {
      const handle = await connectMongo({ uri: testMongoUri(), dbName, timeoutMs: 5000, collections: ALL_COLLECTIONS });
      await handle.db.collection('cases').insertOne({ _id: `case-${i}` } as never);
      expect(await handle.ping()).toBe(true);
      if (i === 2) await handle.db.dropDatabase();
      await handle.close();
    }
  });
});
