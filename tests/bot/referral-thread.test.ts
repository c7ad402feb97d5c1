import { MongoClient } from 'mongodb';
import { CHANNEL_ID, cardAction, invokeCard, message, postActivity, users } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { type SentActivity } from '../support/connector';
import { testMongoUri } from '../support/mongo';
import { walkToReview, type SentLike } from '../support/referral-walk';

const bodies = (sent: readonly SentActivity[]) => sent.map((a) => a.body as SentLike);

type CardAction = { title: string; data: Record<string, unknown> };
const cardOf = (a: SentActivity | undefined) =>
  (a?.body.attachments as Array<{ content: { actions?: CardAction[]; body?: unknown[] } }> | undefined)?.[0]?.content;
const isReferralCard = (a: SentActivity) => JSON.stringify(a.body).includes('MAPPA A referral for a decision');

/** The same invented person the MAPPA A answers describe: the identity rule links the referral to this case. */
const NOTIFICATION = {
  givenName: 'Terry',
  familyName: 'Imaginary',
  aliases: '',
  dateOfBirth: '1990-04-01',
  pnc: '2001/0123456X',
  crn: '',
  visor: '',
  prisonNumber: '',
  category: 'cat2',
  eligibilityReasons: 'Convicted of a specified violent offence',
  leadAgencyId: 'probation',
  sentenceDate: '2024-03-04',
  releaseDate: '',
  custodyStatus: 'custody',
  notes: '',
};

describe("a referral about a notified person goes in the notification's thread", () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());

  beforeAll(async () => {
    t = await startTestApp('refthread', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
    await enrolByCard(t, users.coordinator, users.probation, 'probation', 'practitioner');
    await makeCoordinatorChannel(t, users.coordinator);
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });

  async function say(text: string | Record<string, unknown>): Promise<SentActivity[]> {
    t.connector.clear();
    await postActivity(
      t.url,
      typeof text === 'string'
        ? message(t.connector.url, users.probation, text)
        : message(t.connector.url, users.probation, '', { value: text }),
    );
    return [...t.connector.sent];
  }

  it('replies in the thread of the notification card, and updates it there', async () => {
    t.connector.clear();
    const notified = await postActivity(
      t.url,
      cardAction(t.connector.url, users.probation, 'notification.submit', { draftId: 'thread-1', ...NOTIFICATION }),
    );
    expect(JSON.stringify(invokeCard(notified.body))).toContain('Notification sent');
    const root = await t.connector.waitFor((a) => a.conversationId.startsWith(`${CHANNEL_ID};messageid=`));
    expect(root.body.createdIn).toBeTruthy();

    let last: SentActivity[] = await say('refer');
    await walkToReview(bodies(last), async (input) =>
      bodies((last = await say(typeof input === 'string' ? input : input.value))),
    );
    const submit = last
      .map(cardOf)
      .flatMap((c) => c?.actions ?? [])
      .find((a) => a.title === 'Submit');
    expect(submit).toBeDefined();
    const submitted = await say(submit!.data);

    const post = submitted.find(isReferralCard);
    expect(post).toBeDefined();
    // A reply in the notification's thread, not a new thread in the channel.
    expect(post!.conversationId).toBe(root.conversationId);
    expect(post!.method).toBe('POST');
    expect(post!.body.createdIn).toBeUndefined();
    expect(submitted.filter(isReferralCard)).toHaveLength(1);

    const referral = await client.db(t.dbName).collection('referrals').findOne({ status: 'submitted' });
    t.connector.clear();
    await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'referral.approve', {
        referralId: String(referral?._id),
        level: 2,
        noteL2: '',
      }),
    );
    const update = await t.connector.waitFor((a) => a.method === 'PUT');
    expect(update.conversationId).toBe(root.conversationId);
    expect(update.activityId).toBe(post!.activityId);
  });
});
