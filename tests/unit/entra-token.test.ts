import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import {
  createIntakeAuthenticator,
  IntakeAuthConfig,
  IntakeKeysUnavailableError,
  type IntakeAuthenticator,
  type IntakeAuthErrorCode,
} from '../../src/http/entra-token';

const tenant = '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c';
const otherTenant = '11111111-2222-4333-8444-555555555555';
const apiClientId = '0b8a4a4c-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
const probationApp = '9d3c6f2e-8b7a-4c5d-9e1f-2a3b4c5d6e7f';
const policeApp = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const strangerApp = 'fedcba98-7654-4321-8fed-cba987654321';
const v2Issuer = `https://login.microsoftonline.com/${tenant}/v2.0`;
const v1Issuer = `https://sts.windows.net/${tenant}/`;
const KID = 'entra-test-key';

let privateKey: KeyLike;
let otherPrivateKey: KeyLike;
let publicJwk: JWK;
let server: http.Server;
let baseUrl: string;
let keyFetches = 0;
let auth: IntakeAuthenticator;

function config(over: Partial<Record<string, unknown>> = {}): IntakeAuthConfig {
  return IntakeAuthConfig.parse({
    tenantId: tenant,
    audience: `api://${apiClientId}`,
    jwksUri: `${baseUrl}/${tenant}/discovery/v2.0/keys`,
    // Upper case on purpose: config is normalised, tokens carry lower case.
    callers: [
      { appId: probationApp.toUpperCase(), agencyId: 'probation' },
      { appId: policeApp, agencyId: 'police' },
    ],
    ...over,
  });
}

const now = () => Math.floor(Date.now() / 1000);

type Claims = Record<string, unknown>;

const v2App = (): Claims => ({
  iss: v2Issuer,
  aud: apiClientId,
  tid: tenant,
  azp: probationApp,
  azpacr: '1',
  idtyp: 'app',
  oid: 'c0ffee00-0000-4000-8000-000000000001',
  sub: 'c0ffee00-0000-4000-8000-000000000001',
  roles: ['Notifications.Send'],
  ver: '2.0',
});

const v1App = (): Claims => ({
  iss: v1Issuer,
  aud: `api://${apiClientId}`,
  tid: tenant,
  appid: policeApp,
  appidacr: '1',
  oid: 'c0ffee00-0000-4000-8000-000000000002',
  sub: 'c0ffee00-0000-4000-8000-000000000002',
  ver: '1.0',
});

interface SignOpts {
  /** Claims to add or replace; `undefined` removes the claim. */
  readonly claims?: Claims;
  readonly base?: Claims;
  /** Evaluated at signing time, because the case table is built before the keys exist. */
  readonly key?: 'ours' | 'other';
  readonly kid?: string;
  readonly iat?: number;
  readonly nbf?: number;
  readonly exp?: number | null;
}

async function sign(o: SignOpts = {}): Promise<string> {
  const merged: Claims = { ...(o.base ?? v2App()), ...o.claims };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const t = now();
  let jwt = new SignJWT(merged)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: o.kid ?? KID })
    .setIssuedAt(o.iat ?? t - 60)
    .setNotBefore(o.nbf ?? t - 60);
  if (o.exp !== null) jwt = jwt.setExpirationTime(o.exp ?? t + 3600);
  return jwt.sign(o.key === 'other' ? otherPrivateKey : privateKey);
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

beforeAll(async () => {
  const main = await generateKeyPair('RS256');
  const decoy = await generateKeyPair('RS256');
  privateKey = main.privateKey;
  ({ privateKey: otherPrivateKey } = await generateKeyPair('RS256'));
  publicJwk = await exportJWK(main.publicKey);
  const decoyJwk = { ...(await exportJWK(decoy.publicKey)), kid: 'decoy', alg: 'RS256', use: 'sig' };
  const jwks = { keys: [decoyJwk, { ...publicJwk, kid: KID, alg: 'RS256', use: 'sig' }] };

  server = http.createServer((req, res) => {
    if (req.url === `/${tenant}/discovery/v2.0/keys`) {
      keyFetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
      return;
    }
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('keys unavailable');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  auth = createIntakeAuthenticator(config());
});

afterAll(async () => {
  // jose's fetch uses Node's keep-alive agent; idle sockets would keep close() waiting.
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('intake authentication: accepted tokens', () => {
  it('accepts a v2 app-only token and names the agency from the allow-list', async () => {
    const result = await auth.authenticate(`Bearer ${await sign()}`);
    expect(result).toEqual({ ok: true, value: { appId: probationApp, agencyId: 'probation', tenantId: tenant } });
  });

  it('accepts a v1 token (appid claim, sts.windows.net issuer, app id URI audience)', async () => {
    const result = await auth.authenticate(`Bearer ${await sign({ base: v1App() })}`);
    expect(result).toEqual({ ok: true, value: { appId: policeApp, agencyId: 'police', tenantId: tenant } });
  });

  it('treats the scheme name case-insensitively', async () => {
    const result = await auth.authenticate(`bearer ${await sign()}`);
    expect(result.ok).toBe(true);
  });

  it('accepts both audience forms when configured with the bare client id', async () => {
    const byClientId = createIntakeAuthenticator(config({ audience: apiClientId.toUpperCase() }));
    for (const aud of [apiClientId, `api://${apiClientId}`]) {
      const result = await byClientId.authenticate(`Bearer ${await sign({ claims: { aud } })}`);
      expect(result.ok).toBe(true);
    }
  });

  it('fetches the key set once and reuses it', async () => {
    const before = keyFetches;
    const fresh = createIntakeAuthenticator(config());
    for (let i = 0; i < 3; i += 1) expect((await fresh.authenticate(`Bearer ${await sign()}`)).ok).toBe(true);
    expect(keyFetches - before).toBe(1);
  });

  it('allows for clock skew within the tolerance only', async () => {
    const token = await sign({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 30 });
    expect((await auth.authenticate(`Bearer ${token}`)).ok).toBe(true);
    const strict = createIntakeAuthenticator(config(), { clockToleranceSec: 0 });
    const result = await strict.authenticate(`Bearer ${token}`);
    expect(result.ok ? undefined : result.error.code).toBe('TOKEN_EXPIRED');
  });

  it('uses an injected key set instead of fetching', async () => {
    const before = keyFetches;
    const local = createIntakeAuthenticator(config({ jwksUri: 'https://keys.invalid/keys' }), {
      jwks: createLocalJWKSet({ keys: [{ ...publicJwk, kid: KID, alg: 'RS256' }] }),
    });
    expect((await local.authenticate(`Bearer ${await sign()}`)).ok).toBe(true);
    expect(keyFetches).toBe(before);
  });
});

describe('intake authentication: refused tokens', () => {
  type Row = readonly [
    name: string,
    header: () => Promise<string | undefined>,
    status: 401 | 403,
    code: IntakeAuthErrorCode,
    message: RegExp,
  ];
  const bearer = (o: SignOpts) => async () => `Bearer ${await sign(o)}`;

  const rows: readonly Row[] = [
    ['missing header', async () => undefined, 401, 'MISSING_TOKEN', /Authorization header is missing/],
    ['empty header', async () => '  ', 401, 'MISSING_TOKEN', /Authorization header is missing/],
    ['Basic credentials', async () => 'Basic dXNlcjpwYXNz', 401, 'MISSING_TOKEN', /must use the Bearer scheme/],
    ['Bearer with no token', async () => 'Bearer ', 401, 'MISSING_TOKEN', /token is empty/],
    ['Bearer with two tokens', async () => `Bearer ${await sign()} extra`, 401, 'INVALID_TOKEN', /malformed/],
    ['garbage string', async () => 'Bearer not-a-jwt', 401, 'INVALID_TOKEN', /not a well-formed signed JWT/],
    [
      'alg none',
      async () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...v2App(), exp: now() + 3600 })}.`,
      401,
      'INVALID_TOKEN',
      /RS256/,
    ],
    [
      'HS256 signed with the public key (algorithm confusion)',
      async () =>
        `Bearer ${await new SignJWT({ ...v2App() })
          .setProtectedHeader({ alg: 'HS256', kid: KID })
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(JSON.stringify(publicJwk)))}`,
      401,
      'INVALID_TOKEN',
      /RS256/,
    ],
    [
      'signed by an unknown key (unknown kid)',
      bearer({ key: 'other', kid: 'not-ours' }),
      401,
      'INVALID_TOKEN',
      /current keys/,
    ],
    ['signed by another key under our kid', bearer({ key: 'other' }), 401, 'INVALID_TOKEN', /signature is not valid/],
    [
      'wrong audience',
      bearer({ claims: { aud: 'api://someone-else' } }),
      401,
      'WRONG_AUDIENCE',
      new RegExp(`scope api://${apiClientId}/\\.default`),
    ],
    ['expired', bearer({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }), 401, 'TOKEN_EXPIRED', /expired/],
    ['not yet valid', bearer({ nbf: now() + 3600, exp: now() + 7200 }), 401, 'INVALID_TOKEN', /not valid yet/],
    ['no expiry', bearer({ exp: null }), 401, 'INVALID_TOKEN', /"exp" claim/],
    [
      'another tenant (its own issuer)',
      bearer({ claims: { tid: otherTenant, iss: `https://login.microsoftonline.com/${otherTenant}/v2.0` } }),
      401,
      'WRONG_TENANT',
      /another tenant/,
    ],
    [
      'another tenant under our issuer',
      bearer({ claims: { tid: otherTenant } }),
      401,
      'WRONG_TENANT',
      /another tenant/,
    ],
    ['no tenant claim', bearer({ claims: { tid: undefined } }), 401, 'INVALID_TOKEN', /"tid" claim/],
    [
      'wrong issuer',
      bearer({ claims: { iss: 'https://issuer.invalid/' } }),
      401,
      'WRONG_ISSUER',
      /accepted Entra ID issuer/,
    ],
    ['unknown app id', bearer({ claims: { azp: strangerApp } }), 403, 'UNKNOWN_CALLER', /not registered/],
    ['no app id claim', bearer({ claims: { azp: undefined } }), 401, 'INVALID_TOKEN', /azp or appid/],
    [
      'delegated v2 user token (idtyp user, scp)',
      bearer({ claims: { idtyp: 'user', scp: 'Notifications.Send', roles: undefined } }),
      401,
      'INVALID_TOKEN',
      /^a user token cannot call this API; use client credentials$/,
    ],
    [
      'delegated v1 user token (scp, no idtyp)',
      bearer({ base: v1App(), claims: { scp: 'user_impersonation', upn: 'someone@example.org' } }),
      401,
      'INVALID_TOKEN',
      /^a user token cannot call this API; use client credentials$/,
    ],
  ];

  const cases = rows.map(([name, header, status, code, message]) => ({ name, header, status, code, message }));

  it.each(cases)('$name → $status $code', async ({ header, status, code, message }) => {
    const value = await header();
    const result = await auth.authenticate(value);
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error).toEqual({ status, code, message: expect.stringMatching(message) });
    // Nothing from the credential may come back in the error (it is sent to the caller and logged).
    const credential = value?.replace(/^\S+\s*/, '') ?? '';
    for (const part of credential.split('.').filter((p) => p.length > 8)) {
      expect(JSON.stringify(result.error)).not.toContain(part);
    }
  });
});

describe('intake authentication: key endpoint faults', () => {
  it('throws IntakeKeysUnavailableError (a 503 for the route, not a 4xx) when keys cannot be fetched', async () => {
    const broken = createIntakeAuthenticator(config({ jwksUri: `${baseUrl}/broken` }));
    const token = await sign();
    const failure: unknown = await broken.authenticate(`Bearer ${token}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(IntakeKeysUnavailableError);
    expect((failure as Error).message).not.toContain(token);
  });
});
