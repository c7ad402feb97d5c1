import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalMongo, type LocalMongo } from '../../src/store/local-server';
import { cardAction, invokeCard, message, postActivity, users } from '../support/activities';
import { startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';

describe('when the database goes away', () => {
  let db: LocalMongo;
  let t: TestApp;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mappa-outage-'));

  beforeAll(async () => {
    db = await startLocalMongo({ dataDir, port: 0 });
    t = await startTestApp('outage', { MONGODB_URI: db.uri, MONGODB_CONNECT_TIMEOUT_MS: '1000' });
    await db.stop();
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a card click with a card that says so, not an error', async () => {
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'member.add', { aadObjectId: 'x' }),
    );
    expect(res.status).toBe(200);
    expect(cardText({ attachments: [{ content: invokeCard(res.body) }] })).toContain('That did not go through');
  });

  it('answers a message with a clear apology, and readiness reports the outage', async () => {
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'members'));
    const sent = await t.connector.waitFor(() => true);
    expect(String(sent.body.text)).toContain('something went wrong on my side');
    expect((await fetch(`${t.url}/readyz`)).status).toBe(503);
  });
});
