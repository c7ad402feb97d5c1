import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/config/logger';
import { startApp, type AppSeams, type RunningApp } from '../../src/main';
import { cardAction, inChannel, invokeCard, postActivity, TENANT_ID, type UserRef } from './activities';
import { cardText, startFakeConnector, type FakeConnector } from './connector';
import { freshDbName, testMongoUri } from './mongo';

export interface TestApp {
  readonly url: string;
  readonly connector: FakeConnector;
  readonly app: RunningApp;
  readonly dbName: string;
  readonly logLines: string[];
  stop(): Promise<void>;
}

/** The real composition root on a free loopback port, a fresh database and a recording connector. */
export async function startTestApp(
  prefix: string,
  env: Record<string, string> = {},
  dbName = freshDbName(prefix),
  seams: AppSeams = {},
): Promise<TestApp> {
  const connector = await startFakeConnector();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString('utf8'));
      cb();
    },
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    BOT_AUTH: 'none',
    HOST: '127.0.0.1',
    PORT: '0',
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: dbName,
    LOG_LEVEL: 'debug',
    ALLOWED_TENANT_IDS: TENANT_ID,
    ...env,
  });
  const app = await startApp(config, createLogger(config.LOG_LEVEL, sink), seams);
  return {
    url: `http://127.0.0.1:${app.port}`,
    connector,
    app,
    dbName,
    logLines,
    stop: async () => {
      await app.stop();
      await connector.close();
    },
  };
}

/** Enrols `user` through the admin's add-member card, as an admin would in Teams. */
export async function enrolByCard(
  t: TestApp,
  admin: UserRef,
  user: UserRef,
  agencyId: string,
  roles: string,
): Promise<void> {
  const res = await postActivity(
    t.url,
    cardAction(t.connector.url, admin, 'member.add', {
      aadObjectId: user.aadObjectId,
      displayName: user.name,
      agencyId,
      roles,
    }),
  );
  expect(cardText({ attachments: [{ content: invokeCard(res.body) }] })).toContain('Member added');
}

/** The admin makes the test channel the co-ordinator channel from inside it. */
export async function makeCoordinatorChannel(t: TestApp, admin: UserRef): Promise<void> {
  await postActivity(t.url, inChannel(t.connector.url, admin, 'set coordinator channel'));
}
