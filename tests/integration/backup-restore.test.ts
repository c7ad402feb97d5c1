import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Binary, BSON, Long, MongoClient, ObjectId, type Db } from 'mongodb';
import type { AuditAppend } from '../../src/app/ports';
import { createRepositories } from '../../src/store';
import { BackupError, exportDatabase, importDatabase } from '../../src/store/backup';
import { AREA_ID, TENANT_ID } from '../fixtures/builders';
import { freshDbName, testMongoUri } from '../support/mongo';
import { openTestStore, TestClock, type TestStore } from '../support/store';

const event = (n: number): AuditAppend => ({
  tenantId: TENANT_ID,
  areaId: AREA_ID,
  actorAadObjectId: '00000000-0000-4000-8000-000000000001',
  action: 'case.viewed',
  entity: { type: 'case', id: `case-${n}` },
  details: { n },
});

/** Every document of every collection, canonical EJSON, in _id order: equal means restored exactly. */
async function contents(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  for (const name of names) {
    const docs = await db.collection(name).find({}).toArray();
    out[name] = docs.map((d) => BSON.EJSON.stringify(d, { relaxed: false })).sort();
  }
  return out;
}

async function indexesOf(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    out[name] = (await db.collection(name).indexes())
      .map((i) => ({ name: i.name, key: i.key, unique: i.unique ?? false }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  }
  return out;
}

describe('backup and restore with the driver (export/import in Extended JSON)', () => {
  let source: TestStore;
  let client: MongoClient;
  let dir: string;

  beforeAll(async () => {
    source = await openTestStore('backup_src');
    client = await new MongoClient(testMongoUri()).connect();
    dir = await mkdtemp(path.join(os.tmpdir(), 'mappa-backup-'));
    // A populated database: the audit chain through the real repository, and every BSON type the
    // store uses (and some it might), more than one insert batch.
    for (let i = 1; i <= 5; i++) await source.repos.audit.append(event(i));
    expect(await source.repos.audit.verifyAuditChain(AREA_ID)).toEqual({ ok: true, count: 5 });
    await source.db.collection('typesProbe').insertMany(
      Array.from({ length: 1203 }, (_, i) => ({
        _id: new ObjectId(),
        n: i,
        big: Long.fromString('9007199254740993'),
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)),
        bytes: new Binary(Buffer.from([0, 1, 2, i % 256])),
        nested: { list: [1, 'two', null, { three: 3.5 }], empty: {} },
        text: `Invented Person ${i} — “quoted” ünïcode`,
      })),
    );
  });
  afterAll(async () => {
    await source.close();
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('restores a populated database exactly: every document, every index, and an audit chain that verifies', async () => {
    const exported = await exportDatabase(source.db, dir);
    expect(exported.collections.find((c) => c.name === 'typesProbe')?.count).toBe(1203);

    const target = client.db(freshDbName('backup_dst'));
    await importDatabase(target, dir);

    expect(await contents(target)).toEqual(await contents(source.db));
    expect(await indexesOf(target)).toEqual(await indexesOf(source.db));
    const restored = createRepositories(target, new TestClock());
    expect(await restored.audit.verifyAuditChain(AREA_ID)).toEqual({ ok: true, count: 5 });
  });

  it('refuses to restore over a database that has data, and changes nothing there', async () => {
    await exportDatabase(source.db, dir);
    const target = client.db(freshDbName('backup_busy'));
    await target.collection('auditEvents').insertOne({ keep: 'me' });
    await expect(importDatabase(target, dir)).rejects.toThrow(BackupError);
    expect(
      await target
        .collection('auditEvents')
        .find({}, { projection: { _id: 0 } })
        .toArray(),
    ).toEqual([{ keep: 'me' }]);
  });

  it('refuses a backup whose files do not match its manifest', async () => {
    const manifest = await exportDatabase(source.db, dir);
    const probe = manifest.collections.find((c) => c.name === 'typesProbe')!;
    await writeFile(
      path.join(dir, 'manifest.json'),
      JSON.stringify({ ...manifest, collections: [{ ...probe, count: probe.count + 1 }] }),
    );
    await expect(importDatabase(client.db(freshDbName('backup_bad')), dir)).rejects.toThrow(
      'typesProbe: the backup holds 1203 documents, its manifest says 1204',
    );
  });
});
