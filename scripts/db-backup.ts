/**
 * Logical backup and restore of the bot's database with the MongoDB driver (see src/store/backup.ts).
 *
 *   MONGODB_URI=… MONGODB_DB=mappa npx tsx scripts/db-backup.ts export <dir>
 *   MONGODB_URI=… MONGODB_DB=mappa_restore npx tsx scripts/db-backup.ts import <dir>
 *
 * Import refuses a database that already has documents. docs/operations.md has the whole procedure.
 */
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { BackupError, exportDatabase, importDatabase } from '../src/store/backup';

const args = z.tuple([z.enum(['export', 'import']), z.string().min(1)]);
const env = z.object({
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// connection string'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,38}$/)
    .default('mappa'),
});

async function main(): Promise<void> {
  const a = args.safeParse(process.argv.slice(2));
  if (!a.success) throw new BackupError('usage: db-backup.ts export|import <dir>');
  const e = env.safeParse(process.env);
  if (!e.success) {
    const issue = e.error.issues[0];
    throw new BackupError(`${issue?.path.join('.') ?? 'environment'} ${issue?.message ?? 'is invalid'}`);
  }
  const [mode, dir] = a.data;
  const client = new MongoClient(e.data.MONGODB_URI, { retryWrites: false, appName: 'mappa-backup' });
  try {
    await client.connect();
    const db = client.db(e.data.MONGODB_DB);
    const manifest = mode === 'export' ? await exportDatabase(db, dir) : await importDatabase(db, dir);
    for (const c of manifest.collections) process.stdout.write(`${mode}ed ${c.name}: ${c.count}\n`);
  } finally {
    await client.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof BackupError ? err.message : err instanceof Error ? err.name : 'error'}\n`);
  process.exit(1);
});
