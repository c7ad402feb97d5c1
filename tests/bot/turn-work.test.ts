import { MongoClient } from 'mongodb';
import { message, postActivity, users } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { testMongoUri } from '../support/mongo';

/** What a turn that changes nothing may skip, and what the member cache may never delay past its bound. */
describe('the common turn does only the work it needs', () => {
  const client = new MongoClient(testMongoUri());
  let t: TestApp;
  const db = () => client.db(t.dbName);
  const say = async (text: string, user = users.police) => {
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, user, text));
    return t.connector.waitFor(() => true);
  };

  beforeAll(async () => {
    await client.connect();
    t = await startTestApp('turnwork', {
      BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId,
      IDENTITY_CACHE_SECONDS: '1',
    });
    await enrolByCard(t, users.coordinator, users.police, 'police', 'practitioner');
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });

  it('a conversation with no dialog open has no bot state written at all', async () => {
    await say('help');
    await say('what now?');
    expect(await db().collection('botState').countDocuments({})).toBe(0);
  });

  it('a turn that changes nothing writes no bot state', async () => {
    // An open referral is state worth keeping; `help` inside it changes none of it.
    await say('refer new Sample Person');
    const before = await db().collection('botState').find({}).toArray();
    expect(before.length).toBeGreaterThan(0);
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, users.police, 'help'));
    await t.connector.waitFor((a) => String(a.body.text ?? '').includes('Your referral is still open'));
    expect(await db().collection('botState').find({}).toArray()).toEqual(before);
    await say('cancel');
  });

  it('a turn from a conversation already known does not rewrite its reference', async () => {
    await say('help');
    const before = await db()
      .collection('conversations')
      .findOne({ _id: `a:personal-${users.police.id}` as never });
    expect(before).not.toBeNull();
    await say('help');
    const after = await db()
      .collection('conversations')
      .findOne({ _id: `a:personal-${users.police.id}` as never });
    expect(after?.updatedAt).toEqual(before?.updatedAt);
  });

  it('a member removed on another instance is refused within IDENTITY_CACHE_SECONDS', async () => {
    expect((await say('members')).body.text ?? '').not.toContain('not enrolled');
    // Another instance (or an operator) deactivates the member: this instance is not told.
    const removedAt = Date.now();
    await db()
      .collection('members')
      .updateOne({ aadObjectId: users.police.aadObjectId }, { $set: { active: false }, $inc: { version: 1 } });
    let refusedAt = 0;
    while (!refusedAt && Date.now() - removedAt < 5000) {
      if (String((await say('members')).body.text ?? '').includes('not enrolled')) refusedAt = Date.now();
    }
    expect(refusedAt).toBeGreaterThan(0);
    // The configured bound (1 s here) plus one turn's time.
    expect(refusedAt - removedAt).toBeLessThan(1000 + 1000);
  });
});
