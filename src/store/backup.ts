import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BSON, type Db, type Document } from 'mongodb';
import { z } from 'zod';

/**
 * A logical backup of one database with the driver alone (mongodump/mongorestore are not available
 * everywhere this runs): one file of canonical Extended JSON per collection, one document a line, so
 * every BSON type (ObjectId, Date, Long, Binary, Decimal128) round-trips exactly, plus a manifest with
 * counts and index definitions. The audit chain's hashes are over the stored fields, so an exact
 * round-trip is what lets GET /api/audit/verify pass on the restored database.
 */
const FORMAT = 'mappa-backup/1';
const BATCH = 500;

const indexSchema = z.looseObject({ name: z.string(), key: z.record(z.string(), z.unknown()) });
const manifestSchema = z.object({
  format: z.literal(FORMAT),
  database: z.string(),
  createdAt: z.string(),
  collections: z.array(
    z.object({
      name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a plain collection name'),
      count: z.number().int().min(0),
      indexes: z.array(indexSchema),
    }),
  ),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

export class BackupError extends Error {
  override name = 'BackupError';
}

const fileOf = (dir: string, collection: string) => path.join(dir, `${collection}.ejson.jsonl`);

export async function exportDatabase(db: Db, dir: string, now: () => Date = () => new Date()): Promise<BackupManifest> {
  await mkdir(dir, { recursive: true });
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
  const collections: BackupManifest['collections'] = [];
  for (const name of names) {
    const out = createWriteStream(fileOf(dir, name), { encoding: 'utf8' });
    let count = 0;
    // Natural order is enough: import re-inserts every document, and _id is kept.
    for await (const doc of db.collection(name).find({})) {
      if (!out.write(`${BSON.EJSON.stringify(doc, { relaxed: false })}\n`)) await once(out, 'drain');
      count += 1;
    }
    out.end();
    await once(out, 'finish');
    const indexes = (await db.collection(name).indexes())
      .filter((i) => i.name !== '_id_')
      .map(({ v: _v, ns: _ns, ...rest }) => indexSchema.parse(rest));
    collections.push({ name, count, indexes });
  }
  const manifest: BackupManifest = {
    format: FORMAT,
    database: db.databaseName,
    createdAt: now().toISOString(),
    collections,
  };
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Restores into an empty database only: merging into live data would mix two histories (and two
 * audit chains). Counts are checked against the manifest after loading each collection.
 */
export async function importDatabase(db: Db, dir: string): Promise<BackupManifest> {
  const parsed = manifestSchema.safeParse(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupError(`manifest.json: ${issue?.path.join('.') || 'file'} ${issue?.message ?? 'is invalid'}`);
  }
  const manifest = parsed.data;
  for (const { name } of manifest.collections) {
    if ((await db.collection(name).estimatedDocumentCount()) > 0) {
      throw new BackupError(
        `target database ${db.databaseName} already has documents in ${name}; restore into an empty one`,
      );
    }
  }
  for (const { name, count, indexes } of manifest.collections) {
    const collection = db.collection(name);
    await db.createCollection(name).catch(() => undefined);
    let batch: Document[] = [];
    let loaded = 0;
    const lines = createInterface({
      input: createReadStream(fileOf(dir, name), { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      batch.push(BSON.EJSON.parse(line, { relaxed: false }) as Document);
      if (batch.length >= BATCH) {
        await collection.insertMany(batch, { ordered: true });
        loaded += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      await collection.insertMany(batch, { ordered: true });
      loaded += batch.length;
    }
    if (loaded !== count)
      throw new BackupError(`${name}: the backup holds ${loaded} documents, its manifest says ${count}`);
    // One index per command, as connectMongo does (FerretDB drops batches repeating existing indexes).
    for (const { key, ...options } of indexes) await collection.createIndexes([{ key: key as never, ...options }]);
  }
  return manifest;
}
