import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { TENANT_ID, users } from '../support/activities';
import { makeCoordinatorChannel, startTestApp, type TestApp } from '../support/app';

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

  it('stores a notification from an allow-listed system and posts the minimal card to the co-ordinator channel', async () => {
    t.connector.clear();
    const res = await fetch(`${t.url}/api/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify(notification),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { caseRef: string };
    expect(body.caseRef).toMatch(/^MAPPA-\d{4}-\d{4}$/);
    const post = await t.connector.waitFor((a) => a.conversationId.includes(';messageid='));
    const card = JSON.stringify(post.body);
    expect(card).toContain(body.caseRef);
    expect(card).not.toContain('Fictional');

    const again = await fetch(`${t.url}/api/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify(notification),
    });
    expect(again.status).toBe(200);
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
