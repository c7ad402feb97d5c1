import { randomBytes } from 'node:crypto';

/** URI of the server started by globalSetup (or supplied via MONGODB_URI_TEST). */
export function testMongoUri(): string {
  const uri = process.env.MONGODB_URI_TEST;
  if (!uri) {
    throw new Error(
      'MONGODB_URI_TEST is not set: run through the jest integration/e2e projects (their globalSetup starts FerretDB) or set it yourself',
    );
  }
  return uri;
}

/**
 * A database name unique to the calling test file, so files running in parallel workers never share data.
 * Kept within 38 characters, the limit some MongoDB-compatible servers impose.
 */
export function freshDbName(prefix: string): string {
  const safe = prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 25);
  return `${safe}_${Date.now().toString(36).slice(-4)}${randomBytes(4).toString('hex')}`;
}
