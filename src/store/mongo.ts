import { MongoClient, type Db, type IndexDescription } from 'mongodb';
import type { Span } from '@opentelemetry/api';
import { failSpan, startChildSpan } from '../telemetry/telemetry';

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
  /** A dependency span per database command (telemetry on). */
  traceCommands?: boolean;
}): Promise<MongoHandle> {
  const client = new MongoClient(opts.uri, {
    serverSelectionTimeoutMS: opts.timeoutMs,
    connectTimeoutMS: opts.timeoutMs,
    appName: 'mappa-bot',
    // Cosmos DB for MongoDB rejects retryable writes; MongoDB and FerretDB work either way.
    retryWrites: false,
    monitorCommands: opts.traceCommands === true,
  });
  if (opts.traceCommands) traceCommands(client);
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

/** Commands whose first field names a collection: that name is kept, nothing else of the command. */
const COLLECTION_COMMANDS = new Set([
  'find',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'aggregate',
  'count',
  'distinct',
  'createIndexes',
  'getMore',
]);

/**
 * Driver command monitoring as dependency spans: the command's name, database and collection only.
 * The command document itself (filters, values) never leaves, since it holds case data.
 */
function traceCommands(client: MongoClient): void {
  const open = new Map<string, Span>();
  const key = (e: { connectionId?: string | number; requestId: number }) => `${String(e.connectionId)}:${e.requestId}`;
  client.on('commandStarted', (e) => {
    // Bounded: a lost reply must not grow the map for ever.
    if (open.size > 10_000) open.clear();
    const target: unknown = e.command[e.commandName];
    const collection =
      e.commandName === 'getMore'
        ? e.command['collection']
        : COLLECTION_COMMANDS.has(e.commandName)
          ? target
          : undefined;
    open.set(
      key(e),
      startChildSpan(`mongodb.${e.commandName}`, {
        'db.system': 'mongodb',
        'db.name': e.databaseName,
        'db.operation': e.commandName,
        ...(typeof collection === 'string' ? { 'db.mongodb.collection': collection } : {}),
      }),
    );
  });
  client.on('commandSucceeded', (e) => {
    open.get(key(e))?.end();
    open.delete(key(e));
  });
  client.on('commandFailed', (e) => {
    const span = open.get(key(e));
    if (!span) return;
    failSpan(span, e.failure);
    span.end();
    open.delete(key(e));
  });
}
