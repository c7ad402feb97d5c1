import type { LocalMongo } from '../../src/store/local-server';

/** globalSetup and globalTeardown share one realm, so the handle travels on globalThis under this key. */
export const localServerKey = Symbol.for('mappa.tests.localMongo');

export interface LocalServerHandle {
  server: LocalMongo;
  dataDir: string;
}
