import { MongoClient } from 'mongodb';
import { CHANNEL_ID, inChannel, message, postActivity, users } from '../support/activities';
import { startTestApp, type TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { testMongoUri } from '../support/mongo';
import { chainedAuditEvents } from '../support/audit';

describe('commands that depend on where they are typed', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());

  beforeAll(async () => {
    t = await startTestApp('channels', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });
  beforeEach(() => t.connector.clear());

  it('keeps member lists out of channels', async () => {
    await postActivity(t.url, inChannel(t.connector.url, users.coordinator, 'members'));
    const sent = await t.connector.waitFor(() => true);
    expect(String(sent.body.text)).toContain('only in a personal chat');
    expect(sent.body.attachments).toBeUndefined();
  });

  it('lets an admin choose the co-ordinator channel from inside it, and records it', async () => {
    await postActivity(t.url, inChannel(t.connector.url, users.coordinator, 'set coordinator channel'));
    const sent = await t.connector.waitFor(() => true);
    expect(String(sent.body.text)).toContain('now the MAPPA co-ordinator channel');
    const setting = await client.db(t.dbName).collection('areaChannels').findOne({});
    expect(setting?.conversationId).toBe(CHANNEL_ID);
    const target = await client
      .db(t.dbName)
      .collection('conversations')
      .findOne({ _id: CHANNEL_ID as never });
    expect(target?.teamsChannelId).toBe(CHANNEL_ID);
  });

  it('refuses to set the channel from personal chat', async () => {
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'set coordinator channel'));
    const sent = await t.connector.waitFor(() => true);
    expect(String(sent.body.text)).toContain('in the channel you want to use');
  });

  it('refuses a non-admin and audits the refusal', async () => {
    await postActivity(t.url, inChannel(t.connector.url, users.police, 'set coordinator channel'));
    await t.connector.waitFor(() => true);
    // Audited off the request path and chained in the background: wait for both.
    const denied = await eventually(
      async () =>
        (await chainedAuditEvents(client.db(t.dbName))).countDocuments({
          action: 'access.denied',
          actorAadObjectId: users.police.aadObjectId,
        }),
      (n) => n >= 1,
    );
    expect(denied).toBeGreaterThanOrEqual(1);
  });
});
