import { MongoClient } from 'mongodb';
import { MongoBotStorage, StateConflictError } from '../../src/store/bot-state.storage';
import { freshDbName, testMongoUri } from '../support/mongo';

describe('MongoBotStorage on the real server', () => {
  const client = new MongoClient(testMongoUri());
  const dbName = freshDbName('state');
  let storage: MongoBotStorage;

  beforeAll(async () => {
    await client.connect();
    storage = new MongoBotStorage(client.db(dbName));
  });
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('round-trips state with keys MongoDB would reject as field names', async () => {
    await storage.write({ 'msteams/conv/a.b': { 'dialog.stack': [{ id: '$root', state: { x: 1 } }] } });
    const items = await storage.read(['msteams/conv/a.b', 'missing']);
    expect(items['msteams/conv/a.b']).toMatchObject({ 'dialog.stack': [{ id: '$root', state: { x: 1 } }] });
    expect(typeof items['msteams/conv/a.b']?.eTag).toBe('string');
    expect(items.missing).toBeUndefined();
  });

  it("reads each key as a lookup by _id, which the local server answers without scanning every conversation's state", async () => {
    const monitored = new MongoClient(testMongoUri(), { monitorCommands: true });
    const filters: unknown[] = [];
    monitored.on('commandStarted', (e) => {
      if (e.commandName === 'find') filters.push(e.command.filter);
    });
    try {
      await monitored.connect();
      const db = monitored.db(dbName);
      await new MongoBotStorage(db).write({ 'msteams/conv/one': { n: 1 } });
      const items = await new MongoBotStorage(db).read(['msteams/conv/one', 'msteams/conv/none']);
      expect(items['msteams/conv/one']).toMatchObject({ n: 1 });
      expect(filters).toEqual(expect.arrayContaining([{ _id: 'msteams/conv/one' }, { _id: 'msteams/conv/none' }]));
      const buildInfo = await db.admin().command({ buildInfo: 1 });
      if ('ferretdbVersion' in buildInfo) {
        for (const filter of filters) {
          const plan = await db.command({ explain: { find: 'botState', filter } });
          expect(plan.filterPushdown).toBe(true);
        }
      }
    } finally {
      await monitored.close();
    }
  });

  it('refuses a write with a stale eTag', async () => {
    await storage.write({ k1: { n: 1 } });
    const first = (await storage.read(['k1'])).k1!;
    await storage.write({ k1: { ...first, n: 2 } });
    await expect(storage.write({ k1: { ...first, n: 3 } })).rejects.toBeInstanceOf(StateConflictError);
    expect((await storage.read(['k1'])).k1).toMatchObject({ n: 2 });
  });

  it('lets exactly one of two concurrent writers with the same eTag win', async () => {
    await storage.write({ k2: { n: 0 } });
    const seen = (await storage.read(['k2'])).k2!;
    const results = await Promise.allSettled([
      storage.write({ k2: { ...seen, n: 'a' } }),
      storage.write({ k2: { ...seen, n: 'b' } }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('"*" forces a write and delete removes', async () => {
    await storage.write({ k3: { n: 1 } });
    await storage.write({ k3: { n: 9, eTag: '*' } });
    expect((await storage.read(['k3'])).k3).toMatchObject({ n: 9 });
    await storage.delete(['k3']);
    expect((await storage.read(['k3'])).k3).toBeUndefined();
  });
});
