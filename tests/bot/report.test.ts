import { MongoClient } from 'mongodb';
import { cardAction, invokeCard, message, postActivity, users, type UserRef } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import type { SentActivity } from '../support/connector';
import { chainedAuditEvents } from '../support/audit';
import { testMongoUri } from '../support/mongo';

type Card = { body: Array<Record<string, unknown>>; actions: Array<Record<string, unknown>> };

/** `report` over the real HTTP endpoint: co-ordinators only, every read audited, downloads single use. */
describe('report: the area statistics', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());

  beforeAll(async () => {
    t = await startTestApp('report', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
    await enrolByCard(t, users.coordinator, users.police, 'police', 'practitioner');
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });

  async function say(user: UserRef, text: string): Promise<SentActivity> {
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, user, text));
    return t.connector.waitFor(() => true);
  }
  const cardOf = (a: SentActivity) => (a.body.attachments as Array<{ content: Card }>)[0]!.content;

  it('shows the co-ordinator a card with the chart inside it and the downloads', async () => {
    const card = cardOf(await say(users.coordinator, 'report'));
    const image = card.body.find((b) => b.type === 'Image')!;
    expect(String(image.url)).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(image.altText).toContain('people managed now by category and level');
    expect(JSON.stringify(card)).toContain('People managed now, by category and level');
    expect(card.actions.map((a) => a.title)).toEqual([
      'Download CSV (small counts hidden)',
      'Download Word document (small counts hidden)',
    ]);
    const events = await chainedAuditEvents(client.db(t.dbName));
    expect(
      await events.findOne({ action: 'stats.viewed', actorAadObjectId: users.coordinator.aadObjectId }),
    ).toMatchObject({ entity: { type: 'area' }, details: { output: 'card' } });
  });

  it('refuses a practitioner, and audits the refusal', async () => {
    const reply = await say(users.police, 'report');
    expect(String(reply.body.text)).not.toContain('MAPPA statistics');
    expect(reply.body.attachments ?? []).toEqual([]);
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.police, 'stats.download', {
        from: '2026-04-01',
        to: '2027-03-31',
        format: 'csv',
      }),
    );
    expect(JSON.stringify(res.body)).not.toContain('/api/documents/');
    const events = await chainedAuditEvents(client.db(t.dbName));
    expect(
      await events.findOne({ action: 'access.denied', actorAadObjectId: users.police.aadObjectId }),
    ).not.toBeNull();
    expect(await events.findOne({ action: 'stats.viewed', actorAadObjectId: users.police.aadObjectId })).toBeNull();
  });

  it('names the date it cannot read and keeps what was typed', async () => {
    const reply = await say(users.coordinator, 'report 31/02/2026');
    expect(reply.body.text).toContain('Start date: "31/02/2026" is not a date');
    expect(reply.body.text).toContain('You typed: report 31/02/2026');
  });

  it('downloads the CSV once through a single-use link, with small counts hidden', async () => {
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'stats.download', {
        from: '2026-04-01',
        to: '2027-03-31',
        format: 'csv',
      }),
    );
    const card = invokeCard(res.body) as unknown as Card;
    const open = card.actions.find((a) => a.type === 'Action.OpenUrl')!;
    const url = String(open.url);
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/csv');
    const csv = await first.text();
    expect(csv.split('\r\n')[0]).toBe('OFFICIAL-SENSITIVE');
    expect(csv).toContain('table,row,column,value');
    expect((await fetch(url)).status).toBe(410);
  });
});
