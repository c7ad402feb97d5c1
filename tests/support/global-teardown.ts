import { rm } from 'node:fs/promises';
import { localServerKey, type LocalServerHandle } from './local-server-handle';

export default async function globalTeardown(): Promise<void> {
  const store = globalThis as Record<symbol, unknown>;
  const handle = store[localServerKey] as LocalServerHandle | undefined;
  if (!handle) return;
  delete store[localServerKey];
  try {
    await handle.server.stop();
  } finally {
    await rm(handle.dataDir, { recursive: true, force: true });
  }
  // The URI is dead now; leaving it set would point anything that runs later at a closed port.
  delete process.env.MONGODB_URI_TEST;
}
