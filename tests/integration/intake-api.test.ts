import '../../src/http/restify-compat';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { MongoClient, MongoNetworkError } from 'mongodb';
import restify from 'restify';
import type { ReceiveDeps } from '../../src/app/notifications';
import { createLogger } from '../../src/config/logger';
import { createIntakeAuthenticator, IntakeAuthConfig, type IntakeAuthenticator } from '../../src/http/entra-token';
import { intakeReceiver, registerIntakeRoutes, type IntakeReceive } from '../../src/http/intake.route';
import { unwrap } from '../../src/lib/result';
import { createRepositories } from '../../src/store';
import { MongoIntakeClaimRepository } from '../../src/store/intake-claim.repository';
import { anArea, aRequestActor } from '../fixtures/builders';
import { withFault } from '../support/faults';
import { openTestStore, type TestStore } from '../support/store';

// Invented tenant, applications and people.
const tenant = '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c';
const apiClientId = '0b8a4a4c-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
const probationApp = '9d3c6f2e-8b7a-4c5d-9e1f-2a3b4c5d6e7f';
const ghostApp = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
const unitApp = 'c4d5e6f7-a8b9-4c0d-8e1f-2a3b4c5d6e7f';
const strangerApp = 'fedcba98-7654-4321-8fed-cba987654321';
const KID = 'intake-test-key';
const AREA = 'area-england-wales';

let privateKey: KeyLike;
let otherKey: KeyLike;
let jwksServer: http.Server;
let jwksUrl: string;
let store: TestStore;
let deps: ReceiveDeps;
let api: restify.Server;
let base: string;
let authenticator: IntakeAuthenticator;
let realAuth: IntakeAuthenticator;
let brokenKeys: IntakeAuthenticator;
let receive: IntakeReceive;
let onReceived: jest.Mock<Promise<void>, [unknown]>;
const logLines: string[] = [];

async function token(
  claims: Record<string, unknown> = {},
  opts: { exp?: number; key?: KeyLike } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `https://login.microsoftonline.com/${tenant}/v2.0`,
    aud: apiClientId,
    tid: tenant,
    azp: probationApp,
    idtyp: 'app',
    roles: ['Notifications.Send'],
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: KID })
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(opts.exp ?? now + 3600)
    .sign(opts.key ?? privateKey);
}

let refSeq = 0;
function body(over: Record<string, unknown> = {}, notification: Record<string, unknown> = {}): Record<string, unknown> {
  refSeq += 1;
  return {
    externalRef: `NDELIUS-${1000 + refSeq}`,
    notification: {
      subject: { givenName: 'Jordan', familyName: 'Fictitious', aliases: ['JD'], dateOfBirth: '1985-07-15' },
      identifiers: { pnc: `2001/${String(refSeq).padStart(7, '0')}Q`, crn: 'X123456' },
      category: 'cat2',
      eligibilityReasons: ['Convicted of a specified violent offence with 12 months custody'],
      sentenceDate: '2026-02-02',
      releaseDate: '2026-08-03',
      custodyStatus: 'custody',
      notes: 'Approved premises place requested.',
      ...notification,
    },
    ...over,
  };
}

async function post(payload: unknown, auth: string | null, contentType = 'application/json') {
  const res = await fetch(`${base}/api/notifications`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(auth === null ? {} : { authorization: auth }) },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

const totals = async () =>
  Promise.all(
    ['notifications', 'cases', 'subjects', 'intakeClaims'].map((c) => store.db.collection(c).countDocuments()),
  );

beforeAll(async () => {
  const main = await generateKeyPair('RS256');
  privateKey = main.privateKey;
  ({ privateKey: otherKey } = await generateKeyPair('RS256'));
  const jwks = { keys: [{ ...(await exportJWK(main.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] };
  jwksServer = http.createServer((req, res) => {
    if (req.url === '/keys') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
      return;
    }
    // Two calls: restify patches ServerResponse, and its writeHead does not return the response.
    res.writeHead(500);
    res.end('unavailable');
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  const config = (jwksUri: string) =>
    IntakeAuthConfig.parse({
      tenantId: tenant,
      audience: `api://${apiClientId}`,
      jwksUri,
      callers: [
        { appId: probationApp, agencyId: 'probation' },
        // Allow-listed, but for an agency the area does not list.
        { appId: ghostApp, agencyId: 'ghost-agency' },
        // Allow-listed for the co-ordination unit, which the area lists but which leads no case.
        { appId: unitApp, agencyId: 'mappa-unit' },
      ],
    });
  realAuth = createIntakeAuthenticator(config(`${jwksUrl}/keys`));
  brokenKeys = createIntakeAuthenticator(config(`${jwksUrl}/broken`));

  store = await openTestStore('intake_api');
  const { version: _v, ...area } = anArea('england-wales');
  const unit = { id: 'mappa-unit', name: 'MAPPA co-ordination unit', role: 'other' as const, visorAccess: true };
  unwrap(
    await store.repos.members.createArea(
      { ...area, agencies: [{ ...unit, active: true }, ...area.agencies] },
      { by: aRequestActor() },
    ),
  );
  deps = {
    repos: store.repos,
    clock: store.clock,
    areaId: AREA,
    claims: new MongoIntakeClaimRepository(store.db, store.clock),
    timing: { leaseMs: 10_000, pollMs: 10, maxWaitMs: 2_000 },
  };

  api = restify.createServer({ handleUncaughtExceptions: false });
  api.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));
  authenticator = realAuth;
  receive = intakeReceiver(deps);
  onReceived = jest.fn<Promise<void>, [unknown]>(async () => undefined);
  registerIntakeRoutes(api, {
    // Indirections so single tests can swap in a broken key endpoint or a failing database.
    authenticator: { authenticate: (h) => authenticator.authenticate(h) },
    receive: (...args) => receive(...args),
    onReceived: (n) => onReceived(n),
    logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

afterAll(async () => {
  api.close();
  jwksServer.closeAllConnections();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
  await store.close();
});

beforeEach(() => {
  authenticator = realAuth;
  receive = intakeReceiver(deps);
  onReceived.mockReset().mockResolvedValue(undefined);
});

describe('POST /api/notifications', () => {
  it('stores a notification for a good token (201), and answers a repeat with the same id (200)', async () => {
    const payload = body();
    const first = await post(payload, `Bearer ${await token()}`);
    expect(first.status).toBe(201);
    // No case reference: it could name a case the calling agency cannot see.
    expect(first.json).toEqual({ id: expect.any(String), status: 'received' });
    expect(onReceived).toHaveBeenCalledTimes(1);

    const stored = unwrap(await store.repos.notifications.get(first.json.id as string));
    expect(stored).toMatchObject({
      leadAgencyId: 'probation',
      notifiedBy: { aadObjectId: probationApp, displayName: 'Intake API (probation)' },
      status: 'received',
      category: 'cat2',
    });
    expect((await store.repos.audit.listForEntity('notification', stored.id))[0]).toMatchObject({
      action: 'notification.received',
      actorAadObjectId: probationApp,
    });

    const before = await totals();
    const again = await post(payload, `Bearer ${await token()}`);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(await totals()).toEqual(before);
    // The after-receipt step runs again (it is idempotent), so a post that failed first time is retried.
    expect(onReceived).toHaveBeenCalledTimes(2);
  });

  it('answers 409 when an externalRef is repeated about a different person, and writes nothing', async () => {
    const payload = body();
    expect((await post(payload, `Bearer ${await token()}`)).status).toBe(201);
    const before = await totals();
    const n = payload.notification as { subject: Record<string, unknown> };
    const other = {
      ...payload,
      notification: { ...n, subject: { ...n.subject, givenName: 'Riley', familyName: 'Else' } },
    };
    const res = await post(other, `Bearer ${await token()}`);
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({
      error: 'IDEMPOTENCY_CONFLICT',
      message: expect.stringContaining('different person'),
    });
    expect(await totals()).toEqual(before);
  });

  it.each([
    ['no Authorization header', async () => null, 401, 'MISSING_TOKEN'],
    [
      'a token for another audience',
      async () => `Bearer ${await token({ aud: 'api://someone-else' })}`,
      401,
      'WRONG_AUDIENCE',
    ],
    [
      'an expired token',
      async () => `Bearer ${await token({}, { exp: Math.floor(Date.now() / 1000) - 600 })}`,
      401,
      'TOKEN_EXPIRED',
    ],
    [
      'a token signed with another key',
      async () => `Bearer ${await token({}, { key: otherKey })}`,
      401,
      'INVALID_TOKEN',
    ],
    [
      'an application not on the allow-list',
      async () => `Bearer ${await token({ azp: strangerApp })}`,
      403,
      'UNKNOWN_CALLER',
    ],
  ])('refuses %s with a JSON error and writes nothing', async (_what, auth, status, code) => {
    const before = await totals();
    const res = await post(body(), await auth());
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error: code, message: expect.any(String) });
    if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    else expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await totals()).toEqual(before);
    expect(onReceived).not.toHaveBeenCalled();
  });

  it('checks the token before looking at the body', async () => {
    const res = await post('{not json at all', null, 'text/plain');
    expect(res.status).toBe(401);
  });

  it('answers a malformed body with 400 and field errors under the card ids, writing nothing', async () => {
    const before = await totals();
    const res = await post(
      {
        externalRef: '',
        notification: {
          subject: { givenName: 'Jordan', aliases: 'JD, Jay' },
          identifiers: {},
          category: 'cat9',
          eligibilityReasons: 'a string, not a list',
          custodyStatus: 'custody',
          favouriteColour: 'blue',
        },
      },
      `Bearer ${await token()}`,
    );
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'VALIDATION_FAILED', message: expect.any(String) });
    expect(Object.keys(res.json.fieldErrors as object).sort()).toEqual(
      [
        'externalRef',
        'familyName',
        'aliases',
        'dateOfBirth',
        'identifiers',
        'category',
        'eligibilityReasons',
        'favouriteColour',
      ].sort(),
    );
    expect(await totals()).toEqual(before);

    const notJson = await post('subject=Jordan', `Bearer ${await token()}`, 'application/x-www-form-urlencoded');
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ error: 'VALIDATION_FAILED' });
    expect(await totals()).toEqual(before);
  });

  it('takes the lead agency from the calling application, never from the body', async () => {
    const before = await totals();
    const res = await post(body({}, { leadAgencyId: 'police' }), `Bearer ${await token()}`);
    expect(res.status).toBe(400);
    expect(res.json.fieldErrors).toEqual({ leadAgencyId: expect.stringMatching(/probation/) });
    expect(await totals()).toEqual(before);

    const same = await post(body({}, { leadAgencyId: 'probation' }), `Bearer ${await token()}`);
    expect(same.status).toBe(201);
  });

  it('refuses an allow-listed application whose agency the area does not list (403)', async () => {
    const before = await totals();
    const res = await post(body(), `Bearer ${await token({ azp: ghostApp })}`);
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: 'UNKNOWN_AGENCY', message: expect.any(String) });
    expect(await totals()).toEqual(before);
  });

  it('refuses an application allow-listed for the co-ordination unit, which cannot lead a case (403)', async () => {
    const before = await totals();
    const res = await post(body(), `Bearer ${await token({ azp: unitApp })}`);
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      error: 'NOT_A_LEAD_AGENCY',
      message: expect.stringMatching(/MAPPA co-ordination unit cannot lead a case/),
    });
    expect(await totals()).toEqual(before);
  });

  it('answers 503 when the database fails part-way, shows nothing half-written, and a retry converges', async () => {
    const payload = body();
    receive = intakeReceiver({
      ...deps,
      repos: withFault(store.repos, 'notifications', 'createIfAbsent', async () => {
        throw new MongoNetworkError('connection reset by peer');
      }),
    });
    const failed = await post(payload, `Bearer ${await token()}`);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBeTruthy();
    expect(failed.json).toEqual({ error: 'DATABASE_UNAVAILABLE', message: expect.any(String) });
    const pnc = (payload.notification as { identifiers: { pnc: string } }).identifiers.pnc;
    const subject = await store.db.collection('subjects').findOne({ 'identifiers.pnc': pnc });
    expect(await store.db.collection('notifications').countDocuments({ subjectId: subject?._id })).toBe(0);
    expect(onReceived).not.toHaveBeenCalled();

    receive = intakeReceiver(deps);
    const retried = await post(payload, `Bearer ${await token()}`);
    expect(retried.status).toBe(201);
    expect(await store.db.collection('subjects').countDocuments({ 'identifiers.pnc': pnc })).toBe(1);
    expect(await store.db.collection('cases').countDocuments({ subjectId: subject?._id })).toBe(1);
    expect(await store.db.collection('notifications').countDocuments({ subjectId: subject?._id })).toBe(1);
  });

  it('answers 503 when the database cannot be reached at all', async () => {
    const client = new MongoClient('mongodb://127.0.0.1:1/?directConnection=true', {
      serverSelectionTimeoutMS: 200,
      connectTimeoutMS: 200,
    });
    const db = client.db('unreachable');
    receive = intakeReceiver({
      ...deps,
      repos: createRepositories(db, store.clock),
      claims: new MongoIntakeClaimRepository(db, store.clock),
    });
    const res = await post(body(), `Bearer ${await token()}`);
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ error: 'DATABASE_UNAVAILABLE' });
    await client.close();
  });

  it('answers 503 when the signing keys cannot be fetched', async () => {
    authenticator = brokenKeys;
    const res = await post(body(), `Bearer ${await token()}`);
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ error: 'AUTH_UNAVAILABLE' });
  });

  it('still answers 201 when the after-receipt step fails, and logs nothing personal', async () => {
    onReceived.mockRejectedValue(new Error('Teams post failed for Jordan Fictitious'));
    const payload = body();
    const res = await post(payload, `Bearer ${await token()}`);
    expect(res.status).toBe(201);
    await new Promise((r) => setTimeout(r, 20));
    const logs = logLines.join('\n');
    expect(logs).toMatch(/post-receipt step failed/);
    const n = payload.notification as { identifiers: { pnc: string } };
    for (const secret of [
      'Jordan',
      'Fictitious',
      '1985-07-15',
      n.identifiers.pnc,
      'X123456',
      payload.externalRef as string,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
