import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalMongo } from '../../src/store/local-server';
import { localServerKey, type LocalServerHandle } from './local-server-handle';

/**
 * Starts one FerretDB for the whole run unless MONGODB_URI_TEST points at a server already.
 * Workers inherit the environment set here; each test file isolates itself with its own database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI_TEST) return;

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mappa-ferretdb-'));
  const server = await startLocalMongo({ dataDir, log: (line) => process.stderr.write(`${line}\n`) });
  const handle: LocalServerHandle = { server, dataDir };
  (globalThis as Record<symbol, unknown>)[localServerKey] = handle;
  process.env.MONGODB_URI_TEST = server.uri;
}
