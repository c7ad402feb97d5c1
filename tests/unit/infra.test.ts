import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { envSchema } from '../../src/config/config';

/**
 * The Bicep compiler cannot be installed here (it is published as a native binary, not in any package
 * registry this project can reach), so infra/main.json is kept by hand beside infra/main.bicep. These
 * tests validate the JSON against the (vendored, minimal) ARM template schema and check that both
 * files declare the same parameters, resources and outputs, and that every secret goes through Key Vault.
 */
const root = path.resolve(__dirname, '../..');
const infra = path.join(root, 'infra');
const bicep = readFileSync(path.join(infra, 'main.bicep'), 'utf8');

interface ArmResource {
  type: string;
  apiVersion: string;
  name: string;
  condition?: string;
  copy?: { name: string; count: string };
  properties?: Record<string, unknown>;
}
interface ArmTemplate {
  parameters: Record<string, { type: string; allowedValues?: string[]; defaultValue?: unknown }>;
  variables: Record<string, unknown>;
  resources: Record<string, ArmResource>;
  outputs: Record<string, { type: string; value: string }>;
}
const armText = readFileSync(path.join(infra, 'main.json'), 'utf8');
const arm = JSON.parse(armText) as ArmTemplate;

/** Resource types and API versions this template may use: each one a published, non-preview version. */
const KNOWN_API_VERSIONS: Record<string, readonly string[]> = {
  'Microsoft.OperationalInsights/workspaces': ['2022-10-01', '2023-09-01'],
  'Microsoft.Insights/components': ['2020-02-02'],
  'Microsoft.ManagedIdentity/userAssignedIdentities': ['2023-01-31'],
  'Microsoft.KeyVault/vaults': ['2022-07-01', '2023-07-01'],
  'Microsoft.KeyVault/vaults/secrets': ['2022-07-01', '2023-07-01'],
  'Microsoft.Authorization/roleAssignments': ['2022-04-01'],
  'Microsoft.DocumentDB/mongoClusters': ['2024-07-01'],
  'Microsoft.DocumentDB/mongoClusters/firewallRules': ['2024-07-01'],
  'Microsoft.App/managedEnvironments': ['2024-03-01'],
  'Microsoft.App/containerApps': ['2024-03-01'],
  'Microsoft.BotService/botServices': ['2022-09-15'],
  'Microsoft.BotService/botServices/channels': ['2022-09-15'],
};

/** `resource name 'type@version' = [for …: if (…) | if (…) | {`, in declaration order. */
function bicepResources(): Array<{
  symbol: string;
  type: string;
  apiVersion: string;
  conditional: boolean;
  loop: boolean;
}> {
  return [...bicep.matchAll(/^resource (\w+) '([^'@]+)@([^']+)' = (.*)$/gm)].map((m) => ({
    symbol: m[1]!,
    type: m[2]!,
    apiVersion: m[3]!,
    loop: m[4]!.startsWith('['),
    conditional:
      m[4]!.startsWith('if (') ||
      (m[4]!.startsWith('[') &&
        /^\s*for .*: if \(/m.test(bicep.slice(m.index! + m[0].length, m.index! + m[0].length + 200))),
  }));
}

/** `@secure()` and the other decorators directly above each `param`. */
function bicepParams(): Map<string, { type: string; secure: boolean; allowed?: string[]; hasDefault: boolean }> {
  const out = new Map<string, { type: string; secure: boolean; allowed?: string[]; hasDefault: boolean }>();
  let decorators: string[] = [];
  for (const line of bicep.split('\n')) {
    if (line.startsWith('@')) {
      decorators.push(line);
      continue;
    }
    const m = /^param (\w+) (\w+)( = .*)?$/.exec(line);
    if (m) {
      const allowed = decorators.find((d) => d.startsWith('@allowed('));
      out.set(m[1]!, {
        type: m[2]!,
        secure: decorators.includes('@secure()'),
        ...(allowed ? { allowed: [...allowed.matchAll(/'([^']*)'/g)].map((a) => a[1]!) } : {}),
        hasDefault: m[3] !== undefined,
      });
    }
    decorators = [];
  }
  return out;
}

describe('infra/main.json (ARM)', () => {
  it('is a valid deployment template by the vendored schema', () => {
    const schema = JSON.parse(
      readFileSync(path.join(root, 'tools', 'schemas', 'arm-deployment-template.min.schema.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
    const ok = validate(arm);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('uses only resource types and API versions that exist', () => {
    for (const [symbol, r] of Object.entries(arm.resources)) {
      expect({ symbol, type: r.type, known: KNOWN_API_VERSIONS[r.type]?.includes(r.apiVersion) ?? false }).toEqual({
        symbol,
        type: r.type,
        known: true,
      });
    }
  });

  it('refers only to parameters, variables and resources it declares', () => {
    for (const m of armText.matchAll(/parameters\('(\w+)'\)/g)) expect(Object.keys(arm.parameters)).toContain(m[1]);
    for (const m of armText.matchAll(/variables\('(\w+)'\)/g)) expect(Object.keys(arm.variables)).toContain(m[1]);
    for (const m of armText.matchAll(/reference\('(\w+)'\)/g)) expect(Object.keys(arm.resources)).toContain(m[1]);
    for (const r of Object.values(arm.resources) as Array<ArmResource & { dependsOn?: string[] }>)
      for (const d of r.dependsOn ?? []) expect(Object.keys(arm.resources)).toContain(d);
  });
});

describe('infra/main.bicep and infra/main.json declare the same deployment', () => {
  it('the same resources: symbolic name, type, API version, condition and loop', () => {
    const fromBicep = bicepResources().map((r) => ({ ...r }));
    const fromJson = Object.entries(arm.resources).map(([symbol, r]) => ({
      symbol,
      type: r.type,
      apiVersion: r.apiVersion,
      loop: r.copy !== undefined,
      conditional: r.condition !== undefined,
    }));
    const bySymbol = <T extends { symbol: string }>(a: T[]) => [...a].sort((x, y) => x.symbol.localeCompare(y.symbol));
    expect(fromBicep.length).toBeGreaterThanOrEqual(12);
    expect(bySymbol(fromJson)).toEqual(bySymbol(fromBicep));
  });

  it('the same parameters: names, types, secure ones, allowed values and which are required', () => {
    const fromBicep = [...bicepParams()].map(([name, p]) => ({
      name,
      type: p.secure ? 'securestring' : p.type,
      allowed: p.allowed,
      required: !p.hasDefault,
    }));
    const fromJson = Object.entries(arm.parameters).map(([name, p]) => ({
      name,
      type: p.type,
      allowed: p.allowedValues,
      required: !('defaultValue' in p),
    }));
    expect(fromJson).toEqual(fromBicep);
  });

  it('the same outputs', () => {
    const fromBicep = [...bicep.matchAll(/^output (\w+) (\w+) = /gm)].map((m) => [m[1], m[2]]);
    expect(Object.entries(arm.outputs).map(([n, o]) => [n, o.type])).toEqual(fromBicep);
  });

  it('the same container environment variables, and the same ones from secrets', () => {
    const names = (text: string, kind: 'value' | 'secretRef') =>
      [
        ...text.matchAll(
          kind === 'value'
            ? /(?:\{ name: '(\w+)', value: |createObject\('name', '(\w+)', 'value', )/g
            : /(?:\{ name: '(\w+)', secretRef: |createObject\('name', '(\w+)', 'secretRef', )/g,
        ),
      ]
        .map((m) => m[1] ?? m[2])
        .sort();
    expect(names(armText, 'value')).toEqual(names(bicep, 'value'));
    expect(names(armText, 'secretRef')).toEqual(names(bicep, 'secretRef'));
  });
});

describe('secrets go through Key Vault', () => {
  const SECRET_VARIABLES = [
    'MicrosoftAppPassword',
    'DOWNLOAD_LINK_SECRET',
    'FIND_HASH_SECRET',
    'ADMIN_API_TOKEN_SHA256',
    'MONGODB_URI',
    'GRAPH_CLIENT_SECRET',
  ];
  const container = (arm.resources.containerApp?.properties as { template: { containers: Array<{ env: string }> } })
    .template.containers[0]!;

  it('every secret variable reaches the app as a secretRef, never a plain value', () => {
    for (const name of SECRET_VARIABLES) {
      expect(bicep).toContain(`{ name: '${name}', secretRef: `);
      expect(bicep).not.toContain(`{ name: '${name}', value: `);
      expect(armText).toContain(`createObject('name', '${name}', 'secretRef', `);
      expect(armText).not.toContain(`createObject('name', '${name}', 'value', `);
    }
    expect(container.env).toContain("variables('secretEnv')");
  });

  it('every app secret is a Key Vault reference read with the managed identity', () => {
    const refs = arm.variables.keyVaultReferences as string;
    const secretObjects = refs.split("createObject('name', ").slice(1);
    expect(secretObjects.length).toBe(6);
    for (const args of secretObjects) {
      expect(args).toContain("'keyVaultUrl', format('{0}secrets/");
      expect(args).toContain("'identity', variables('identityId')");
      expect(args).not.toContain("'value'");
    }
    expect(
      (arm.resources.containerApp?.properties as { configuration: { secrets: string } }).configuration.secrets,
    ).toBe("[variables('keyVaultReferences')]");
    expect(bicep).toMatch(/^\s+secrets: keyVaultReferences$/m);
  });

  it('every parameter that carries a secret is secure, and no output exposes one', () => {
    const secretLike = /password|secret(?!Officers)|token|mongoUri/i;
    for (const [name, p] of Object.entries(arm.parameters)) {
      if (secretLike.test(name)) expect({ name, type: p.type }).toEqual({ name, type: 'securestring' });
      if (p.type === 'securestring') {
        expect(p.defaultValue ?? '').toBe('');
        for (const o of Object.values(arm.outputs)) expect(o.value).not.toContain(`parameters('${name}')`);
      }
    }
  });

  it('sets only variables the bot reads, and every one production requires', () => {
    const names = [...armText.matchAll(/createObject\('name', '(\w+)', '(?:value|secretRef)', /g)].map((m) => m[1]!);
    // Read by the Azure Monitor exporter, not by src/config.
    const outside = new Set(['APPLICATIONINSIGHTS_CONNECTION_STRING']);
    const known = Object.keys(envSchema.shape);
    expect(names.filter((n) => !known.includes(n) && !outside.has(n))).toEqual([]);
    for (const required of [
      'NODE_ENV',
      'HOST',
      'MONGODB_URI',
      'PUBLIC_BASE_URL',
      'DOWNLOAD_LINK_SECRET',
      'FIND_HASH_SECRET',
      'MicrosoftAppId',
      'MicrosoftAppTenantId',
      'MicrosoftAppType',
    ])
      expect(names).toContain(required);
  });

  it('probes /healthz for liveness and /readyz for readiness', () => {
    const probes = (
      container as unknown as { probes: Array<{ type: string; httpGet: { path: string; port: number } }> }
    ).probes.map((p) => [p.type, p.httpGet.path, p.httpGet.port]);
    expect(probes).toEqual(
      expect.arrayContaining([
        ['Liveness', '/healthz', 3978],
        ['Readiness', '/readyz', 3978],
      ]),
    );
  });
});

describe('parameter files', () => {
  const params = bicepParams();
  const required = [...params].filter(([, p]) => !p.hasDefault).map(([n]) => n);

  it.each(readdirSync(path.join(infra, 'parameters')).filter((f) => f.endsWith('.bicepparam')))(
    '%s sets declared parameters only, every required one, and secrets only from the environment',
    (file) => {
      const text = readFileSync(path.join(infra, 'parameters', file), 'utf8');
      expect(text).toMatch(/^using '\.\.\/main\.bicep'$/m);
      const set = [...text.matchAll(/^param (\w+) = (.*)$/gm)].map((m) => ({ name: m[1]!, value: m[2]! }));
      for (const { name, value } of set) {
        expect(params.has(name)).toBe(true);
        if (params.get(name)?.secure) expect(value).toMatch(/^readEnvironmentVariable\('[A-Z0-9_]+', ''\)$/);
      }
      for (const name of required) expect(set.map((s) => s.name)).toContain(name);
    },
  );

  it('azure.parameters.json (Agents Toolkit) sets declared parameters and takes secrets from SECRET_ variables', () => {
    const file = JSON.parse(readFileSync(path.join(infra, 'azure.parameters.json'), 'utf8')) as {
      parameters: Record<string, { value: unknown }>;
    };
    for (const [name, { value }] of Object.entries(file.parameters)) {
      expect(params.has(name)).toBe(true);
      if (params.get(name)?.secure) expect(value).toMatch(/^\$\{\{SECRET_[A-Z0-9_]+\}\}$/);
    }
    for (const name of required) expect(Object.keys(file.parameters)).toContain(name);
  });
});
