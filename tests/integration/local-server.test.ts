import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { startLocalMongo } from '../../src/store/local-server';
import { freshDbName, testMongoUri } from '../support/mongo';

interface Item {
  _id: string;
  status?: string;
  count?: number;
  tags?: string[];
  code?: string;
  lease?: number | null;
}

let client: MongoClient;
let db: Db;
let isFerretDb: boolean;

beforeAll(async () => {
  client = await MongoClient.connect(testMongoUri());
  db = client.db(freshDbName('local_server'));
  const buildInfo = await db.admin().command({ buildInfo: 1 });
  isFerretDb = 'ferretdbVersion' in buildInfo;
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

describe('local MongoDB-compatible server', () => {
  it('round-trips a document', async () => {
    const items = db.collection<Item>('round_trip');
    await items.insertOne({ _id: 'r-1', status: 'open', tags: ['a'] });

    expect(await items.findOne({ _id: 'r-1' })).toEqual({ _id: 'r-1', status: 'open', tags: ['a'] });
  });

  it('rejects a duplicate key under a unique index with code 11000', async () => {
    const items = db.collection<Item>('unique_codes');
    await items.createIndex({ code: 1 }, { unique: true, name: 'code_unique' });
    await items.insertOne({ _id: 'u-1', code: 'MAPPA-1' });

    await expect(items.insertOne({ _id: 'u-2', code: 'MAPPA-1' })).rejects.toMatchObject({ code: 11000 });
  });

  it('applies a conditional findOneAndUpdate only while the condition holds', async () => {
    const items = db.collection<Item>('conditional');
    await items.insertOne({ _id: 'c-1', status: 'submitted' });
    const approve = () =>
      items.findOneAndUpdate(
        { _id: 'c-1', status: 'submitted' },
        { $set: { status: 'approved' } },
        { returnDocument: 'after' },
      );

    expect(await approve()).toEqual({ _id: 'c-1', status: 'approved' });
    expect(await approve()).toBeNull();
  });

  it('lets exactly one of many concurrent conditional claims win and loses no $inc', async () => {
    const items = db.collection<Item>('races');
    await items.insertOne({ _id: 'job', lease: null, count: 0 });

    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        items.findOneAndUpdate({ _id: 'job', lease: null }, { $set: { lease: i } }, { returnDocument: 'after' }),
      ),
    );
    await Promise.all(Array.from({ length: 20 }, () => items.updateOne({ _id: 'job' }, { $inc: { count: 1 } })));

    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    expect((await items.findOne({ _id: 'job' }))?.count).toBe(20);
  });

  it('answers reads while a long write is still running (only writes are serialised)', async () => {
    const big = db.collection<Item & { pad: string }>('long_write');
    const other = db.collection<Item>('read_meanwhile');
    await other.insertOne({ _id: 'r-1', status: 'here' });
    const reader = await MongoClient.connect(testMongoUri());
    try {
      await reader.db(db.databaseName).command({ ping: 1 });
      const order: string[] = [];
      const docs = Array.from({ length: 20_000 }, (_, i) => ({ _id: `w-${i}`, pad: 'x'.repeat(200) }));
      const write = big.insertMany(docs).then(() => order.push('write'));
      await new Promise((r) => setTimeout(r, 100));
      const read = reader
        .db(db.databaseName)
        .collection<Item>('read_meanwhile')
        .findOne({ _id: 'r-1' })
        .then((found) => order.push(found ? 'read' : 'read nothing'));
      await Promise.all([write, read]);
      expect(order).toEqual(['read', 'write']);
    } finally {
      await reader.close();
    }
  });

  it('supports $inc, $push with $each and returnDocument "after"', async () => {
    const items = db.collection<Item>('operators');
    await items.insertOne({ _id: 'o-1', count: 1, tags: ['a'] });

    const after = await items.findOneAndUpdate(
      { _id: 'o-1' },
      { $inc: { count: 2 }, $push: { tags: { $each: ['b', 'c'] } } },
      { returnDocument: 'after' },
    );

    expect(after).toEqual({ _id: 'o-1', count: 3, tags: ['a', 'b', 'c'] });
  });

  it('keeps data across a stop and restart on the same data directory', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mappa-persist-'));
    try {
      const first = await startLocalMongo({ dataDir });
      const c1 = await MongoClient.connect(first.uri);
      await c1.db('persist').collection<Item>('items').insertOne({ _id: 'p-1', status: 'kept' });
      await c1.close();
      await first.stop();
      expect(() => process.kill(first.pid, 0)).toThrow();

      const second = await startLocalMongo({ dataDir });
      try {
        const c2 = await MongoClient.connect(second.uri);
        expect(await c2.db('persist').collection<Item>('items').findOne({ _id: 'p-1' })).toEqual({
          _id: 'p-1',
          status: 'kept',
        });
        await c2.close();
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

/** FerretDB v1 lacks these; on a real MongoDB the same calls succeed. Other modules must not rely on them. */
describe('the local server looks documents up by _id through an index', () => {
  // FerretDB v1's SQLite lookup by _id does not match its own _id index; tools/ferretdb adds one that
  // does (sqlite_ids.go). Its Go test asserts on SQLite's own query plan for FerretDB's query.
  it("passes the launcher's Go test of the added index", async () => {
    const toolDir = path.join(__dirname, '..', '..', 'tools', 'ferretdb');
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn('go', ['test', '-count=1', '-run', 'TestIDLookupIndex', '.'], {
        cwd: toolDir,
        env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, output: out }));
    });
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
  }, 180_000);

  // FerretDB v1's SQLite narrowed its SQL to the _id only for a filter of exactly {_id}; a conditional
  // write such as {_id, version} read the whole collection (tools/ferretdb/patches.json).
  it('narrows a filter holding an _id and other conditions to that one document, and still applies them all', async () => {
    const items = db.collection<Item>('id_pushdown');
    await items.insertMany([
      { _id: 'p-1', count: 1, status: 'open' },
      { _id: 'p-2', count: 1, status: 'open' },
    ]);

    const plan = await items.find({ _id: 'p-1', count: 1 }).explain();
    if (isFerretDb) expect(plan).toMatchObject({ filterPushdown: true });
    expect(await items.find({ _id: 'p-1', count: 2 }).toArray()).toEqual([]);
    expect(await items.find({ _id: 'p-1', $or: [{ status: 'closed' }, { count: 1 }] }).toArray()).toEqual([
      { _id: 'p-1', count: 1, status: 'open' },
    ]);
    expect(await items.updateOne({ _id: 'p-1', count: 1 }, { $inc: { count: 1 } })).toMatchObject({
      matchedCount: 1,
      modifiedCount: 1,
    });
    expect(await items.updateOne({ _id: 'p-1', count: 1 }, { $inc: { count: 1 } })).toMatchObject({ matchedCount: 0 });
    expect(await items.findOneAndDelete({ _id: 'p-2', status: 'closed' })).toBeNull();
    expect(await items.countDocuments()).toBe(2);
  });

  // The patched SQLite backend drops, in SQL, rows that cannot match a plain string equality; MongoDB's
  // equality also matches array elements at any step of a dotted path, so those rows must survive.
  describe('answers string equalities as MongoDB does', () => {
    type Loose = { _id: string } & Record<string, unknown>;
    const docs: Loose[] = [
      { _id: 'a', status: 'open', tags: ['x', 'y'], owner: { id: 'u1' }, people: [{ id: 'u1' }, { id: 'u2' }], n: 5 },
      { _id: 'b', status: 'closed', tags: 'x', owner: { id: 'u2' }, people: [{ id: 'u3' }], n: '5' },
      { _id: 'c', status: ['open', 'held'], owner: [{ id: 'u1' }], grid: [{ v: 'x' }] },
      { _id: 'd', status: 'OPEN', weird: { 'a b': 'v' }, s: `it's "q" <&> \\ é`, "it's": 'v' },
    ];
    const ids = async (filter: Record<string, unknown>) =>
      (await db.collection<Loose>('eq_pushdown').find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);

    beforeAll(async () => {
      await db.collection<Loose>('eq_pushdown').insertMany(docs);
    });

    it.each([
      [{ status: 'open' }, ['a', 'c']],
      [{ tags: 'x' }, ['a', 'b']],
      [{ 'owner.id': 'u1' }, ['a', 'c']],
      [{ 'people.id': 'u1' }, ['a']],
      [{ 'people.id': 'u3' }, ['b']],
      [{ n: '5' }, ['b']],
      [{ status: 'open', tags: 'x' }, ['a']],
      [{ grid: 'x' }, []],
      [{ s: `it's "q" <&> \\ é` }, ['d']],
      [{ 'weird.a b': 'v' }, ['d']],
      [{ "it's": 'v' }, ['d']],
      [{ status: 'missing' }, []],
      [{ _id: 'a', status: 'open' }, ['a']],
      [{ _id: 'a', status: 'closed' }, []],
    ])('find %j', async (filter, expected) => {
      expect(await ids(filter)).toEqual(expected);
    });

    it('counts, updates and deletes by the same rules', async () => {
      const col = db.collection<Loose>('eq_pushdown');
      expect(await col.countDocuments({ tags: 'x' })).toBe(2);
      expect(await col.countDocuments({ 'owner.id': 'u1' })).toBe(2);
      expect(await col.updateMany({ 'people.id': 'u2' }, { $set: { tagged: 1 } })).toMatchObject({ matchedCount: 1 });
      expect(await col.updateMany({ 'owner.id': 'u1' }, { $set: { owned: 1 } })).toMatchObject({ matchedCount: 2 });
      expect(await col.updateMany({ status: 'open' }, { $set: { seen: true } })).toMatchObject({ matchedCount: 2 });
      expect(await ids({ seen: true })).toEqual(['a', 'c']);
      expect(await col.deleteMany({ 'owner.id': 'u2' })).toMatchObject({ deletedCount: 1 });
      expect(await ids({})).toEqual(['a', 'c', 'd']);
      if (isFerretDb) {
        expect(await col.find({ status: 'open' }).explain()).toMatchObject({ filterPushdown: true });
        expect(await col.find({ 'owner.id': 'u1' }).explain()).toMatchObject({ filterPushdown: true });
      }
    });
  });
});

describe('features FerretDB v1.24 does not implement', () => {
  async function expectMissingOnFerretDb(operation: () => Promise<unknown>): Promise<void> {
    if (isFerretDb) await expect(operation()).rejects.toBeInstanceOf(MongoServerError);
    else await expect(operation()).resolves.toBeDefined();
  }

  it('partialFilterExpression indexes', async () => {
    await expectMissingOnFerretDb(() =>
      db.collection('partial').createIndex({ code: 1 }, { unique: true, partialFilterExpression: { status: 'open' } }),
    );
  });

  it('TTL indexes', async () => {
    await expectMissingOnFerretDb(() => db.collection('ttl').createIndex({ expiresAt: 1 }, { expireAfterSeconds: 60 }));
  });

  it('arrayFilters', async () => {
    const items = db.collection('array_filters');
    await items.insertOne({ _id: 'a-1' as never, rows: [{ k: 1, v: 0 }] });
    await expectMissingOnFerretDb(() =>
      items.updateOne({ _id: 'a-1' as never }, { $set: { 'rows.$[r].v': 1 } }, { arrayFilters: [{ 'r.k': 1 }] }),
    );
  });

  it('aggregation $lookup', async () => {
    await db.collection('lookup_left').insertOne({ _id: 'l-1' as never });
    await expectMissingOnFerretDb(() =>
      db
        .collection('lookup_left')
        .aggregate([{ $lookup: { from: 'lookup_right', localField: '_id', foreignField: 'ref', as: 'right' } }])
        .toArray(),
    );
  });

  it('multi-document transactions', async () => {
    const session = client.startSession();
    try {
      await expectMissingOnFerretDb(() =>
        session.withTransaction(() => db.collection('txn').insertOne({ _id: 't-1' as never }, { session })),
      );
    } finally {
      await session.endSession();
    }
  });
});
