import { MongoClient } from 'mongodb';
import { cardAction, CHANNEL_ID, inChannel, invokeCard, message, postActivity, users } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { cardText, type SentActivity } from '../support/connector';
import { testMongoUri } from '../support/mongo';

const TEAM_ID = '19:team@thread.tacv2';
type Choice = { title: string; value: string };

/** The choices of the input with this id on the first card of an activity. */
function choicesOf(a: SentActivity | Record<string, unknown>, id: string): Choice[] | undefined {
  let found: Choice[] | undefined;
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.id === id && o.type === 'Input.ChoiceSet') found = o.choices as Choice[];
      Object.values(o).forEach(walk);
    }
  };
  walk('body' in a ? a.body : a);
  return found;
}

describe('add member: pick the person from the Teams roster', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());

  beforeAll(async () => {
    t = await startTestApp('roster', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
    t.connector.setRoster(
      TEAM_ID,
      [users.coordinator, users.police, users.health].map((u) => ({
        id: u.id,
        aadObjectId: u.aadObjectId,
        name: u.name,
        email: `${u.name.split(' ')[0]!.toLowerCase()}@example.org`,
      })),
    );
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });
  beforeEach(() => t.connector.clear());

  it('offers the people of the team by name, leaving out those already enrolled', async () => {
    await postActivity(t.url, inChannel(t.connector.url, users.coordinator, 'add member'));
    const sent = await t.connector.waitFor(() => true);
    expect(sent.conversationId).toBe(`${CHANNEL_ID};messageid=1`);
    const people = choicesOf(sent, 'aadObjectId');
    expect(people?.map((c) => c.title)).toEqual([
      'Aisha Brennan (aisha@example.org)',
      'Priya Okafor (priya@example.org)',
    ]);
    expect(people?.map((c) => c.value)).toEqual([users.health.aadObjectId, users.police.aadObjectId]);
    // No id to type and no name to retype: the roster supplies both.
    expect(JSON.stringify(sent.body)).not.toContain('Entra object id');
  });

  it('enrols the person picked, under the name Teams gives', async () => {
    const res = await postActivity(
      t.url,
      cardAction(
        t.connector.url,
        users.coordinator,
        'member.add',
        { aadObjectId: users.police.aadObjectId, agencyId: 'police', roles: 'practitioner' },
        inChannel(t.connector.url, users.coordinator, ''),
      ),
    );
    expect(cardText({ attachments: [{ content: invokeCard(res.body) }] })).toContain(
      'Priya Okafor can use the assistant as practitioner',
    );
    const stored = await client.db(t.dbName).collection('members').findOne({ aadObjectId: users.police.aadObjectId });
    expect(stored?.displayName).toBe('Priya Okafor');
  });

  it('in personal chat, where there is no roster, asks for the Entra object id and says where a list is', async () => {
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'add member'));
    const sent = await t.connector.waitFor(() => true);
    expect(JSON.stringify(sent.body)).toContain('"label":"Microsoft Entra object id"');
    expect(cardText(sent.body)).toMatch(/team channel or group chat/);
    expect(choicesOf(sent, 'aadObjectId')).toBeUndefined();
  });
});
