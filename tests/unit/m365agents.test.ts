import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';

/** m365agents.yml against the toolkit's own schema (vendored, see tools/schemas/README.md). */
const root = path.resolve(__dirname, '../..');
const text = readFileSync(path.join(root, 'm365agents.yml'), 'utf8');
const project = load(text) as {
  version: string;
  environmentFolderPath: string;
  provision: Array<{ uses: string; with: Record<string, unknown> }>;
  deploy: Array<{ uses: string; with: Record<string, unknown> }>;
  publish: Array<{ uses: string; with: Record<string, unknown> }>;
};
const schemaFile = path.join(root, 'tools', 'schemas', 'm365agents-yaml.v1.13.schema.json');

describe('m365agents.yml', () => {
  it('is valid by the toolkit schema of the version it declares, named in its header', () => {
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { properties: { version: { const: string } } };
    expect(project.version).toBe(schema.properties.version.const);
    expect(text.split('\n')[0]).toBe(
      `# yaml-language-server: $schema=https://aka.ms/teams-toolkit/${project.version}/yaml.schema.json`,
    );
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    validate(project);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('provisions the Teams app and the Azure resources from infra/main.bicep, then deploys and publishes', () => {
    expect(project.provision.map((a) => a.uses)).toEqual([
      'teamsApp/create',
      'arm/deploy',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    const templates = project.provision[1]!.with.templates as Array<{ path: string; parameters: string }>;
    expect(templates.map((t) => [t.path, t.parameters])).toEqual([
      ['./infra/main.bicep', './infra/azure.parameters.json'],
    ]);
    expect(project.deploy.map((a) => a.uses)).toEqual(['cli/runNpmCommand', 'script', 'script']);
    expect(project.publish.at(-1)?.uses).toBe('teamsApp/publishAppPackage');
  });

  it('refers only to files that exist', () => {
    const paths = [...text.matchAll(/(?:manifestPath|path|parameters): (\.\/\S+)/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThanOrEqual(4);
    for (const p of paths) expect(() => readFileSync(path.join(root, p))).not.toThrow();
    expect(() => readFileSync(path.join(root, project.environmentFolderPath, '.env.dev'))).not.toThrow();
  });

  it('gives every placeholder it uses a line in env/.env.dev (or a SECRET_ one in .env.dev.user)', () => {
    const envDev = readFileSync(path.join(root, 'env', '.env.dev'), 'utf8');
    const declared = new Set([...envDev.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]!));
    const used = new Set(
      [text, readFileSync(path.join(root, 'infra', 'azure.parameters.json'), 'utf8')].flatMap((t) =>
        [...t.matchAll(/\$\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1]!),
      ),
    );
    expect([...used].filter((v) => !v.startsWith('SECRET_') && !declared.has(v))).toEqual([]);
  });
});
