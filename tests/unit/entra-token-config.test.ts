import { IntakeAuthConfig, parseIntakeCallers } from '../../src/http/entra-token';

const tenant = '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c';
const probationApp = '9d3c6f2e-8b7a-4c5d-9e1f-2a3b4c5d6e7f';
const policeApp = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

describe('parseIntakeCallers', () => {
  it('parses appId:agencyId pairs, tolerating spaces, blank entries and upper-case GUIDs', () => {
    expect(parseIntakeCallers(` ${probationApp.toUpperCase()} : probation ,, ${policeApp}:police, `)).toEqual({
      ok: true,
      value: [
        { appId: probationApp, agencyId: 'probation' },
        { appId: policeApp, agencyId: 'police' },
      ],
    });
  });

  it('returns an empty list for an empty variable (the config schema decides whether that is allowed)', () => {
    expect(parseIntakeCallers('')).toEqual({ ok: true, value: [] });
  });

  it.each([
    [`${probationApp}:probation,police`, /entry 2 "police" must have the form appId:agencyId/],
    [`${probationApp}:probation:extra`, /entry 1 ".*:probation:extra" must have the form appId:agencyId/],
    ['not-a-guid:probation', /entry 1 "not-a-guid:probation": appId must be a GUID/],
    [`${policeApp}:Police Service`, /entry 1 ".*:Police Service": agencyId lower-case slug/],
    [`${policeApp}:`, /entry 1 ".*:": agencyId/],
    [
      `${policeApp}:police,${policeApp.toUpperCase()}:probation`,
      /entry 2 ".*:probation": app id is already mapped to agency police/,
    ],
  ])('rejects %p with an error naming the entry', (csv, message) => {
    const result = parseIntakeCallers(csv);
    expect(result.ok ? undefined : result.error).toMatch(message);
  });
});

describe('IntakeAuthConfig', () => {
  const base = {
    tenantId: tenant.toUpperCase(),
    audience: 'api://0b8a4a4c-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
    callers: [{ appId: policeApp, agencyId: 'police' }],
  };

  it("defaults the key endpoint and both token versions' issuers from the tenant", () => {
    expect(IntakeAuthConfig.parse(base)).toEqual({
      ...base,
      tenantId: tenant,
      jwksUri: `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`,
      issuers: [`https://login.microsoftonline.com/${tenant}/v2.0`, `https://sts.windows.net/${tenant}/`],
    });
  });

  it.each([
    [{ tenantId: 'contoso' }, 'tenantId'],
    [{ audience: '' }, 'audience'],
    [{ audience: 'my api' }, 'audience'],
    [{ callers: [] }, 'callers'],
    [{ jwksUri: 'http://keys.example.org/keys' }, 'jwksUri'],
    [{ issuers: [] }, 'issuers'],
    [
      {
        callers: [
          { appId: policeApp, agencyId: 'police' },
          { appId: policeApp, agencyId: 'probation' },
        ],
      },
      'callers.1.appId',
    ],
  ])('rejects %p at %s', (over, path) => {
    const parsed = IntakeAuthConfig.safeParse({ ...base, ...over });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('allows plain http for the key endpoint on loopback only', () => {
    expect(IntakeAuthConfig.parse({ ...base, jwksUri: 'http://127.0.0.1:8080/keys' }).jwksUri).toBe(
      'http://127.0.0.1:8080/keys',
    );
  });
});
