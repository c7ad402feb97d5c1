import { MongoClient } from 'mongodb';
import { cardAction, invokeCard, message, postActivity, users, type UserRef } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import type { SentActivity } from '../support/connector';
import { testMongoUri } from '../support/mongo';

const VISOR = 'VIS-7077-DTC';
const PNC = '2018/0070707Q';

/**
 * Walks every path that shows or copies case data as a Duty to Co-operate reader (health), for a
 * case a police officer notified with a ViSOR reference. The ViSOR number is police-only: it must
 * reach no card, message, prefill or draft the health practitioner sees or owns.
 */
describe('a Duty to Co-operate reader sees no police-only data on any path', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());
  const db = () => client.db(t.dbName);
  let notificationId = '';
  let caseRef = '';

  beforeAll(async () => {
    t = await startTestApp('dtcwalk', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
    await enrolByCard(t, users.coordinator, users.police, 'police', 'practitioner');
    await enrolByCard(t, users.coordinator, users.health, 'nhs-trust', 'practitioner');
    await makeCoordinatorChannel(t, users.coordinator);
    for (const u of [users.police, users.health]) await postActivity(t.url, message(t.connector.url, u, 'help'));

    // Police notify a health-led case, with the ViSOR reference.
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, users.police, 'notify'));
    const form = await t.connector.waitFor(() => true);
    const draftId = (form.body.attachments as Array<{ content: { actions: Array<{ data: { draftId: string } }> } }>)[0]!
      .content.actions[0]!.data.draftId;
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.police, 'notification.submit', {
        draftId,
        givenName: 'Jamie',
        familyName: 'Inventedson',
        aliases: '',
        dateOfBirth: '1984-06-30',
        pnc: PNC,
        crn: '',
        visor: VISOR,
        prisonNumber: '',
        category: 'cat2',
        eligibilityReasons: 'Convicted of a specified violent offence\nHospital order',
        leadAgencyId: 'nhs-trust',
        sentenceDate: '2026-11-02',
        releaseDate: '',
        custodyStatus: 'hospital',
        notes: '',
      }),
    );
    expect(JSON.stringify(invokeCard(res.body))).toContain('Notification sent');
    const n = await db().collection('notifications').findOne({});
    notificationId = String(n?._id);
    caseRef = String((await db().collection('cases').findOne({ _id: n?.caseId }))?.ref);
    expect(caseRef).toMatch(/^MAPPA-\d{4}-\d{4}$/);
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });

  async function say(user: UserRef, text: string): Promise<SentActivity[]> {
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, user, text));
    return [...t.connector.sent];
  }

  it('the notification card, refreshed or opened by the health practitioner', async () => {
    for (const verb of ['notification.refresh', 'notification.open']) {
      const res = await postActivity(t.url, cardAction(t.connector.url, users.health, verb, { notificationId }));
      expect(JSON.stringify(res.body)).not.toContain(VISOR);
    }
  });

  it('a referral started from the case: the prefill, the messages and the stored draft', async () => {
    const sent = await say(users.health, `refer ${caseRef}`);
    expect(sent.length).toBeGreaterThan(0);
    expect(JSON.stringify(sent.map((a) => a.body))).not.toContain(VISOR);
    const draft = await db().collection('referrals').findOne({ status: 'draft' });
    expect(draft).not.toBeNull();
    expect(JSON.stringify(draft)).not.toContain(VISOR);
    // The part that was copied is there: the PNC, which is not police-only.
    expect(JSON.stringify(draft)).toContain(PNC);
    // The review and every answer card shown from here on carry no ViSOR either.
    const review = await say(users.health, 'save');
    expect(JSON.stringify(review.map((a) => a.body))).not.toContain(VISOR);
    const resumed = await say(users.health, `refer ${caseRef}`);
    expect(JSON.stringify(resumed.map((a) => a.body))).not.toContain(VISOR);
    await say(users.health, 'save');
  });

  it('the police officer who sent it, and the co-ordinator, still see it', async () => {
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'notification.open', { notificationId }),
    );
    expect(JSON.stringify(res.body)).toContain(VISOR);
  });
});
