import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { MongoClient } from 'mongodb';
import { message, postActivity, TENANT_ID, users } from '../support/activities';
import { enrolByCard, makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';
import { testMongoUri } from '../support/mongo';

// Invented applications; the tenant is the test tenant the bot allows.
const API_CLIENT_ID = '0b8a4a4c-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
const PROBATION_APP = '9d3c6f2e-8b7a-4c5d-9e1f-2a3b4c5d6e7f';

describe('the intake API as the composition root wires it', () => {
  let t: TestApp;
  let key: KeyLike;
  let jwks: http.Server;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    t = await startTestApp('intakewired', {
      INTAKE_CALLERS: `${PROBATION_APP}:probation`,
      INTAKE_AUDIENCE: `api://${API_CLIENT_ID}`,
      INTAKE_TENANT_ID: TENANT_ID,
      INTAKE_JWKS_URI: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`,
      BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId,
    });
    await makeCoordinatorChannel(t, users.coordinator);
    await enrolByCard(t, users.coordinator, users.coordinator, 'mappa-unit', 'coordinator,admin');
  });
  afterAll(async () => {
    await t.stop();
    jwks.closeAllConnections();
    await new Promise((r) => jwks.close(r));
  });

  async function token(aud = API_CLIENT_ID): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
      aud,
      tid: TENANT_ID,
      azp: PROBATION_APP,
      idtyp: 'app',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuedAt(now - 10)
      .setExpirationTime(now + 600)
      .sign(key);
  }

  const notification = {
    externalRef: 'CMS-000777',
    notification: {
      subject: { givenName: 'Sam', familyName: 'Fictional', dateOfBirth: '1988-02-03' },
      identifiers: { pnc: '2015/0077777K' },
      category: 'cat2',
      eligibilityReasons: ['Convicted of a specified violent offence; 12 months custody or more'],
      sentenceDate: '2026-10-05',
      custodyStatus: 'custody',
    },
  };

  const send = async (payload: object) =>
    fetch(`${t.url}/api/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });

  it('stores a notification from an allow-listed system and posts the minimal card to the co-ordinator channel', async () => {
    t.connector.clear();
    const res = await send(notification);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: expect.any(String), status: 'received' });
    const post = await t.connector.waitFor((a) => a.conversationId.includes(';messageid='));
    const card = JSON.stringify(post.body);
    expect(card).toMatch(/MAPPA-\d{4}-\d{4}/);
    expect(card).not.toContain('Fictional');

    t.connector.clear();
    const again = await send(notification);
    expect(again.status).toBe(200);
    // Already posted: a repeat does not post a second card.
    await new Promise((r) => setTimeout(r, 200));
    expect(t.connector.sent.filter((a) => a.conversationId.includes(';messageid='))).toHaveLength(0);
  });

  it('posts one card when the calling system sends the same notification again while the first post is under way', async () => {
    t.connector.clear();
    // A slow Teams: the repeat arrives while the first card is still being posted.
    t.connector.delay(400);
    try {
      const twice = { ...notification, externalRef: 'CMS-000781' };
      const first = await send(twice);
      expect(first.status).toBe(201);
      const again = await send(twice);
      expect(again.status).toBe(200);
      await t.connector.waitFor((x) => x.conversationId.includes(';messageid='));
      await new Promise((r) => setTimeout(r, 1000));
      expect(t.connector.sent.filter((x) => x.conversationId.includes(';messageid='))).toHaveLength(1);
    } finally {
      t.connector.delay(0);
    }
  });

  it('posts the card on a retry when the first channel post failed after the notification was stored', async () => {
    t.connector.clear();
    // Every attempt of the first post fails (the messenger retries), so the card is not posted.
    t.connector.failNext(10, 500);
    const retried = { ...notification, externalRef: 'CMS-000779' };
    const first = await send(retried);
    expect(first.status).toBe(201);
    await new Promise((r) => setTimeout(r, 500));
    t.connector.failNext(0, 500);
    t.connector.clear();
    const again = await send(retried);
    expect(again.status).toBe(200);
    const post = await t.connector.waitFor((a) => a.conversationId.includes(';messageid='));
    expect(JSON.stringify(post.body)).toMatch(/MAPPA-\d{4}-\d{4}/);
  });

  it('names the calling system, not "Unknown user", in the case audit view', async () => {
    const res = await send({ ...notification, externalRef: 'CMS-000780' });
    expect(res.status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 300)); // let the after-receipt channel post finish
    const client = await new MongoClient(testMongoUri()).connect();
    try {
      const c = await client
        .db(t.dbName)
        .collection('cases')
        .findOne({}, { sort: { _id: -1 } });
      t.connector.clear();
      await postActivity(t.url, message(t.connector.url, users.coordinator, `audit ${String(c?.ref)}`));
      const reply = await t.connector.waitFor((a) => a.conversationId === `a:personal-${users.coordinator.id}`);
      const shown = JSON.stringify(reply.body);
      expect(shown).toContain('Case-management system (probation, intake API)');
      expect(shown).not.toContain('Unknown user');
    } finally {
      await client.close();
    }
  });

  it('refuses a token for another audience', async () => {
    const res = await fetch(`${t.url}/api/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token('api://someone-else')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...notification, externalRef: 'CMS-000778' }),
    });
    expect(res.status).toBe(401);
  });
});
