import { MongoClient } from 'mongodb';
import { cardAction, invokeCard, message, postActivity, users } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { testMongoUri } from '../support/mongo';

// The co-ordination unit is in the area (co-ordinators and admins belong to it) but owns no case.
describe('the MAPPA co-ordination unit is not a lead agency', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());

  beforeAll(async () => {
    t = await startTestApp('leadagency', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });
  beforeEach(() => t.connector.clear());

  async function notifyCard(): Promise<string> {
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'notify'));
    const sent = await t.connector.waitFor(() => true);
    return JSON.stringify((sent.body.attachments as Array<{ content: unknown }>)[0]!.content);
  }

  it('the notify form offers the lead agencies and not the unit', async () => {
    const card = await notifyCard();
    expect(card).toContain('"value":"probation"');
    expect(card).toContain('"value":"police"');
    expect(card).not.toContain('"value":"mappa-unit"');
    expect(card).not.toContain('MAPPA co-ordination unit');
  });

  it('a submitted form naming the unit comes back with the reason beside the lead agency, and saves nothing', async () => {
    const draftId = (JSON.parse(await notifyCard()) as { actions: Array<{ data: { draftId: string } }> }).actions[0]!
      .data.draftId;
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'notification.submit', {
        draftId,
        givenName: 'Terry',
        familyName: 'Imaginary',
        dateOfBirth: '1990-04-01',
        pnc: '2019/0054321X',
        category: 'cat2',
        eligibilityReasons: 'Convicted of a specified violent offence',
        leadAgencyId: 'mappa-unit',
        custodyStatus: 'custody',
      }),
    );
    const json = JSON.stringify(invokeCard(res.body));
    expect(json).toMatch(/MAPPA co-ordination unit cannot lead a case/);
    expect(json).toContain('"value":"Imaginary"');
    expect(await client.db(t.dbName).collection('notifications').countDocuments()).toBe(0);
  });
});
