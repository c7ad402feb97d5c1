import { createHash } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { message } from '../support/activities';
import { startTestApp, type TestApp } from '../support/app';
import { testMongoUri } from '../support/mongo';

const SECRET = 'adm1n-s3cret-for-tests-only-4f9c2e7a';
const sha = createHash('sha256').update(SECRET).digest('hex');

describe('GET /api/audit/verify', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('adminep', { ADMIN_API_TOKEN_SHA256: sha });
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each([[undefined], ['Bearer wrong-secret'], [`Basic ${SECRET}`], [`Bearer ${sha}`]])(
    'refuses %s with 401 and a JSON error',
    async (authorization) => {
      const res = await fetch(`${t.url}/api/audit/verify`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    },
  );

  it('verifies the chain for the admin, and reports tampering', async () => {
    const ok = await fetch(`${t.url}/api/audit/verify`, { headers: { authorization: `Bearer ${SECRET}` } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { ok: boolean; count: number };
    expect(body.ok).toBe(true);
    expect(body.count).toBeGreaterThanOrEqual(1);

    const client = await new MongoClient(testMongoUri()).connect();
    await client
      .db(t.dbName)
      .collection('auditEvents')
      .updateOne({ seq: 1 }, { $set: { 'details.change': 'forged' } });
    await client.close();
    const bad = await fetch(`${t.url}/api/audit/verify`, { headers: { authorization: `Bearer ${SECRET}` } });
    expect(await bad.json()).toMatchObject({ ok: false, brokenAtSeq: 1 });
  });
});

describe('Bot Framework authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('botauth', {
      BOT_AUTH: 'entra',
      MicrosoftAppId: '0b8a4a4c-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
      MicrosoftAppPassword: 'not-used-in-this-test',
      MicrosoftAppTenantId: '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c',
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('rejects activities without a Bot Framework token and sends nothing', async () => {
    const res = await fetch(`${t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        message(
          t.connector.url,
          { id: '29:x', aadObjectId: 'a2222222-2222-4222-8222-222222222222', name: 'X' },
          'help',
        ),
      ),
    });
    expect(res.status).toBe(401);
    expect(t.connector.sent).toHaveLength(0);
  });

  it('rejects a forged token', async () => {
    const res = await fetch(`${t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' },
      body: JSON.stringify(
        message(
          t.connector.url,
          { id: '29:x', aadObjectId: 'a2222222-2222-4222-8222-222222222222', name: 'X' },
          'help',
        ),
      ),
    });
    expect(res.status).toBe(401);
    expect(t.connector.sent).toHaveLength(0);
  });
});
