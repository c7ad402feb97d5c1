import { MongoClient, type Db, type IndexDescription } from 'mongodb';

/** A collection and the indexes its repository needs; declared beside each repository. */
export interface CollectionSpec {
  readonly name: string;
  readonly indexes: readonly IndexDescription[];
}

export interface MongoHandle {
  readonly client: MongoClient;
  readonly db: Db;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * The only place that opens a MongoClient. Creating indexes is idempotent (same name and keys), so it
 * runs at every start-up; a spec whose options changed fails loudly rather than silently diverging.
 */
export async function connectMongo(opts: {
  uri: string;
  dbName: string;
  timeoutMs: number;
  collections: readonly CollectionSpec[];
}): Promise<MongoHandle> {
  const client = new MongoClient(opts.uri, {
    serverSelectionTimeoutMS: opts.timeoutMs,
    connectTimeoutMS: opts.timeoutMs,
    appName: 'mappa-bot',
    // Cosmos DB for MongoDB rejects retryable writes; MongoDB and FerretDB work either way.
    retryWrites: false,
  });
  try {
    await client.connect();
    const db = client.db(opts.dbName);
    await db.command({ ping: 1 });
    for (const spec of opts.collections) {
      // One index per command: FerretDB v1 drops the connection when a batch repeats indexes that
      // already exist (every restart does), while one at a time is idempotent everywhere.
      for (const index of spec.indexes) await db.collection(spec.name).createIndexes([index]);
    }
    return {
      client,
      db,
      async ping() {
        try {
          await db.command({ ping: 1 }, { timeoutMS: 2000 });
          return true;
        } catch {
          return false;
        }
      },
      close: () => client.close(),
    };
  } catch (err) {
    await client.close().catch(() => undefined);
    const where = opts.uri.replace(/\/\/[^@/]*@/, '//***@');
    throw new DatabaseUnavailableError(`Cannot connect to MongoDB at ${where}: ${(err as Error).message}`);
  }
}
