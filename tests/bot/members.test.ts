import { MongoClient } from 'mongodb';
import { cardAction, FOREIGN_TENANT_ID, invokeCard, message, postActivity, users } from '../support/activities';
import { startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';
import { eventually } from '../support/eventually';
import { testMongoUri } from '../support/mongo';
import { chainedAuditEvents } from '../support/audit';

const text = (card: Record<string, unknown>) => cardText({ attachments: [{ content: card }] });

describe('member administration in Teams', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());

  beforeAll(async () => {
    t = await startTestApp('members', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
    await client.connect();
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });
  beforeEach(() => t.connector.clear());

  const memberCount = () => client.db(t.dbName).collection('members').countDocuments();

  it('refuses member commands from someone not enrolled', async () => {
    await postActivity(t.url, message(t.connector.url, users.police, 'members'));
    const sent = await t.connector.waitFor(() => true);
    expect(String(sent.body.text)).toContain('not enrolled');
  });

  it('sends the bootstrap admin an add-member form with the area agencies', async () => {
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'add member'));
    const sent = await t.connector.waitFor(() => true);
    const body = cardText(sent.body);
    expect(body).toContain('Add a member');
    expect(body).toContain('Probation Service');
    expect(body).toContain('OFFICIAL-SENSITIVE');
  });

  it('keeps what the admin typed and explains each bad field', async () => {
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'member.add', {
        aadObjectId: 'not-a-guid',
        displayName: 'Priya Okafor',
        agencyId: 'police',
        roles: '',
      }),
    );
    const card = invokeCard(res.body);
    const json = JSON.stringify(card);
    expect(json).toContain('Enter an Entra object id');
    expect(json).toContain('Choose at least one role');
    expect(json).toContain('"value":"Priya Okafor"');
    expect(json).toContain('"value":"not-a-guid"');
    expect(await memberCount()).toBe(0);
  });

  it('enrols a member from the card and audits it', async () => {
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'member.add', {
        aadObjectId: users.police.aadObjectId,
        displayName: 'Priya Okafor',
        agencyId: 'police',
        roles: 'practitioner',
      }),
    );
    const done = text(invokeCard(res.body));
    expect(done).toContain('Member added');
    // Names, not ids: the agency's name, and the admin by the name Teams gives even before they enrol.
    expect(done).toContain('Agency\nPolice');
    expect(done).toContain('Roles\nPractitioner');
    expect(done).toContain(`Recorded by\n${users.coordinator.name}`);
    expect(done).not.toContain('Bootstrap admin');
    expect(await memberCount()).toBe(1);
    const audit = await (await chainedAuditEvents(client.db(t.dbName))).find({ action: 'member.changed' }).toArray();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('ignores identity claims inside card data: a practitioner replaying an admin payload changes nothing', async () => {
    const before = await memberCount();
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.police, 'member.add', {
        aadObjectId: users.probation.aadObjectId,
        displayName: 'Tom Lindqvist',
        agencyId: 'probation',
        roles: 'admin',
        from: users.coordinator,
        actorAadObjectId: users.coordinator.aadObjectId,
      }),
    );
    expect(text(invokeCard(res.body))).toContain('Not permitted');
    expect(await memberCount()).toBe(before);
  });

  it('lists members for the admin', async () => {
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'members'));
    const sent = await t.connector.waitFor(() => true);
    expect(cardText(sent.body)).toContain('Priya Okafor');
  });

  it('offers members to pick by name, agency name and roles in words', async () => {
    await postActivity(t.url, message(t.connector.url, users.coordinator, 'remove member'));
    const sent = await t.connector.waitFor(() => true);
    const body = cardText(sent.body);
    expect(body).toContain('Priya Okafor (Police; Practitioner)');
    expect(body).not.toContain('(police;');
  });

  it('changes roles and removes members; a removed member loses access', async () => {
    const setRes = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'member.setRoles', {
        aadObjectId: users.police.aadObjectId,
        roles: 'practitioner,chair',
      }),
    );
    expect(text(invokeCard(setRes.body))).toContain('Roles updated');
    const rmRes = await postActivity(
      t.url,
      cardAction(t.connector.url, users.coordinator, 'member.remove', { aadObjectId: users.police.aadObjectId }),
    );
    expect(text(invokeCard(rmRes.body))).toContain('Member removed');
    t.connector.clear();
    await postActivity(t.url, message(t.connector.url, users.police, 'members'));
    const sent = await t.connector.waitFor(() => true);
    expect(String(sent.body.text)).toContain('not enrolled');
  });

  it('refuses and audits activity from a tenant not on the allow-list', async () => {
    const foreign = message(t.connector.url, users.health, 'help', {
      conversation: { id: 'a:foreign', conversationType: 'personal', tenantId: FOREIGN_TENANT_ID },
      channelData: { tenant: { id: FOREIGN_TENANT_ID } },
    });
    await postActivity(t.url, foreign);
    const sent = await t.connector.waitFor(() => true);
    expect(String(sent.body.text)).toContain('not available to your organisation');
    // Audited off the request path and chained in the background: wait for both.
    const denied = await eventually(
      async () =>
        (await chainedAuditEvents(client.db(t.dbName))).countDocuments({
          action: 'access.denied',
          'details.reason': 'tenant_not_allowed',
        }),
      (n) => n >= 1,
    );
    expect(denied).toBe(1);
  });

  it('answers an unknown or malformed card action with a clear card, not an error', async () => {
    const res = await postActivity(t.url, cardAction(t.connector.url, users.coordinator, 'no.such.verb', {}));
    expect(text(invokeCard(res.body))).toContain('not available');
  });
});
