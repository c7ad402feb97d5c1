import { ConfigError, loadConfig, redactedConfigSummary } from '../../src/config/config';

const appId = '0b8a4a4c-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
const tenant = '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c';
const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/', BOT_AUTH: 'none', ALLOWED_TENANT_IDS: tenant };

function errorOf(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      PORT: 3978,
      HOST: '127.0.0.1',
      MONGODB_DB: 'mappa',
      PROTECTIVE_MARKING: 'OFFICIAL-SENSITIVE',
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ BOT_AUTH: 'none', ALLOWED_TENANT_IDS: tenant }, 'MONGODB_URI'],
    [{ ...base, ALLOWED_TENANT_IDS: undefined }, 'ALLOWED_TENANT_IDS'],
    [{ ...base, ALLOWED_TENANT_IDS: 'tenant-a' }, 'ALLOWED_TENANT_IDS.0'],
    [{ ...base, BOOTSTRAP_ADMIN_AAD_IDS: 'x' }, 'BOOTSTRAP_ADMIN_AAD_IDS.0'],
    [{ ...base, MAPPA_JURISDICTION: 'wales' }, 'MAPPA_JURISDICTION'],
    [
      {
        ...base,
        BOT_AUTH: 'entra',
        NODE_ENV: 'production',
        MicrosoftAppId: appId,
        MicrosoftAppTenantId: tenant,
        MicrosoftAppPassword: 'x',
      },
      'PUBLIC_BASE_URL',
    ],
    [{ ...base, DOWNLOAD_LINK_SECRET: 'c2hvcnQ=' }, 'DOWNLOAD_LINK_SECRET'],
    [{ ...base, FIND_HASH_SECRET: 'c2hvcnQ=' }, 'FIND_HASH_SECRET'],
    [{ ...base, MAPPA_CONTACT: 'Call <b>now</b>' }, 'MAPPA_CONTACT'],
    [
      {
        ...base,
        BOT_AUTH: 'entra',
        NODE_ENV: 'production',
        MicrosoftAppId: appId,
        MicrosoftAppTenantId: tenant,
        MicrosoftAppPassword: 'x',
        PUBLIC_BASE_URL: 'https://mappa.example.org',
        DOWNLOAD_LINK_SECRET: Buffer.alloc(32, 1).toString('base64'),
      },
      'FIND_HASH_SECRET',
    ],
    [{ ...base, INTAKE_CALLERS: 'x:police' }, 'INTAKE_AUDIENCE'],
    [{ ...base, MONGODB_URI: 'http://db' }, 'MONGODB_URI'],
    [{ ...base, PORT: 'eighty' }, 'PORT'],
    [{ ...base, BOT_AUTH: 'none', NODE_ENV: 'production' }, 'BOT_AUTH'],
    [{ ...base, BOT_AUTH: 'entra' }, 'MicrosoftAppId'],
    [{ ...base, BOT_AUTH: 'entra', MicrosoftAppId: 'not-a-guid' }, 'MicrosoftAppId'],
    [{ ...base, BOT_AUTH: 'entra', MicrosoftAppId: appId, MicrosoftAppTenantId: tenant }, 'MicrosoftAppPassword'],
    [
      {
        ...base,
        BOT_AUTH: 'entra',
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppId: appId,
        MicrosoftAppTenantId: tenant,
        MicrosoftAppPassword: 'x',
      },
      'MicrosoftAppPassword',
    ],
    [{ ...base, LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('names the variable at fault (%o)', (env, variable) => {
    const msg = errorOf(env);
    expect(msg.startsWith(`Configuration error: ${variable} `)).toBe(true);
    expect(msg).not.toContain('\n');
  });

  describe('production refuses unsafe settings, naming the variable in one line', () => {
    const production = {
      ...base,
      BOT_AUTH: 'entra',
      NODE_ENV: 'production',
      MicrosoftAppId: appId,
      MicrosoftAppTenantId: tenant,
      MicrosoftAppPassword: 'x',
      PUBLIC_BASE_URL: 'https://mappa.example.org',
      DOWNLOAD_LINK_SECRET: Buffer.alloc(32, 1).toString('base64'),
      FIND_HASH_SECRET: Buffer.alloc(32, 2).toString('base64'),
    };

    it('accepts a complete production configuration', () => {
      expect(loadConfig(production).NODE_ENV).toBe('production');
    });

    it.each([
      [{ BOT_AUTH: 'none' }, 'BOT_AUTH'],
      [{ PUBLIC_BASE_URL: undefined }, 'PUBLIC_BASE_URL'],
      [{ DOWNLOAD_LINK_SECRET: undefined }, 'DOWNLOAD_LINK_SECRET'],
      [{ FIND_HASH_SECRET: undefined }, 'FIND_HASH_SECRET'],
      // Document links carry a bearer token in the path: over plain http anyone on the way could replay it.
      [{ PUBLIC_BASE_URL: 'http://mappa.example.org' }, 'PUBLIC_BASE_URL'],
    ])('refuses %o', (change, variable) => {
      const msg = errorOf({ ...production, ...change });
      expect(msg.startsWith(`Configuration error: ${variable} `)).toBe(true);
      expect(msg).not.toContain('\n');
    });

    it('still allows a plain-http public URL outside production (local playground)', () => {
      expect(loadConfig({ ...base, PUBLIC_BASE_URL: 'http://127.0.0.1:3978' }).PUBLIC_BASE_URL).toBe(
        'http://127.0.0.1:3978',
      );
    });
  });

  it('accepts a complete single-tenant registration and a managed identity', () => {
    expect(
      loadConfig({
        ...base,
        BOT_AUTH: 'entra',
        MicrosoftAppId: appId,
        MicrosoftAppTenantId: tenant,
        MicrosoftAppPassword: 's3cret',
      }).MicrosoftAppType,
    ).toBe('SingleTenant');
    expect(
      loadConfig({
        ...base,
        BOT_AUTH: 'entra',
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppId: appId,
        MicrosoftAppTenantId: tenant,
      }).BOT_AUTH,
    ).toBe('entra');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...base, PORT: '' }).PORT).toBe(3978);
  });

  it('keeps secrets and credentials out of the logged summary', () => {
    const c = loadConfig({
      ...base,
      MONGODB_URI: 'mongodb://user:pw@db.example.internal:27017/',
      BOT_AUTH: 'entra',
      MicrosoftAppId: appId,
      MicrosoftAppTenantId: tenant,
      MicrosoftAppPassword: 's3cret',
    });
    const summary = JSON.stringify(redactedConfigSummary(c));
    expect(summary).not.toContain('s3cret');
    expect(summary).not.toContain('pw@');
  });
});
