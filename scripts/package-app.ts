/**
 * Builds the Teams app package: build/appPackage.zip = manifest.json + color.png + outline.png at the zip root.
 *
 *   TEAMS_APP_ID=<guid> BOT_ID=<guid> [PUBLIC_BASE_URL=https://<host>] npm run package
 *
 * BOT_ID may be given as MICROSOFT_APP_ID or MicrosoftAppId instead (the bot's Entra app id).
 * The manifest is validated offline against the JSON schema bundled with @microsoft/app-manifest.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppManifestUtils, type TeamsManifest, type TeamsManifestV1D24 } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { z } from 'zod';

const rootDir = path.resolve(__dirname, '..');
export const MANIFEST_DIR = path.join(rootDir, 'manifest');
export const TEMPLATE_PATH = path.join(MANIFEST_DIR, 'manifest.template.json');
export const DEFAULT_OUT_FILE = path.join(rootDir, 'build', 'appPackage.zip');
export const PACKAGE_ENTRIES = ['manifest.json', 'color.png', 'outline.png'] as const;

export type Manifest = TeamsManifestV1D24.TeamsManifestV1D24;

/** A usage error (bad environment) that the CLI prints as one line. */
export class PackageError extends Error {
  override name = 'PackageError';
}

const guid = z
  .string({ error: 'is missing' })
  .trim()
  .min(1, 'is missing')
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

const idsSchema = z.object({ TEAMS_APP_ID: guid, BOT_ID: guid });
export type AppIds = z.infer<typeof idsSchema>;

/** Reads TEAMS_APP_ID and BOT_ID (alias MICROSOFT_APP_ID / MicrosoftAppId) from an environment. */
export function readIds(env: NodeJS.ProcessEnv): AppIds {
  const botKey = ['BOT_ID', 'MICROSOFT_APP_ID', 'MicrosoftAppId'].find((k) => (env[k] ?? '').trim() !== '');
  const result = idsSchema.safeParse({ TEAMS_APP_ID: env.TEAMS_APP_ID, BOT_ID: botKey ? env[botKey] : undefined });
  if (result.success)
    return { TEAMS_APP_ID: result.data.TEAMS_APP_ID.toLowerCase(), BOT_ID: result.data.BOT_ID.toLowerCase() };
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? 'TEAMS_APP_ID');
  const name = key === 'BOT_ID' ? (botKey ?? 'BOT_ID (or MICROSOFT_APP_ID)') : key;
  throw new PackageError(`${name} ${issue?.message ?? 'is invalid'}`);
}

/**
 * Replaces `${{NAME}}` placeholders and parses the result. Values are JSON-escaped; an unknown or
 * unfilled placeholder is an error, so a half-filled manifest never reaches the zip.
 */
export function renderManifest(template: string, values: AppIds & { APP_VERSION?: string }): Manifest {
  const filled: Record<string, string> = { APP_VERSION: '1.0.0', ...values };
  const text = template.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_m, name: string) => {
    const value = filled[name];
    if (value === undefined) throw new PackageError(`manifest template uses \${{${name}}}, which has no value`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(text) as Manifest;
}

/** The bundled schema file for the manifest's $schema URL; never fetched over the network. */
export function localSchemaPath(schemaUrl: string): string {
  const match = /\/json-schemas\/teams\/(v[0-9.]+|vDevPreview)\/MicrosoftTeams\.schema\.json$/.exec(schemaUrl);
  if (!match) throw new PackageError(`unsupported manifest $schema: ${schemaUrl}`);
  const pkgDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(pkgDir, 'build', 'json-schemas', 'teams', match[1], 'MicrosoftTeams.schema.json');
  if (!existsSync(file)) throw new PackageError(`@microsoft/app-manifest has no bundled schema ${match[1]}`);
  return file;
}

/** Schema errors (empty when valid), from the JSON schema named by the manifest's $schema. */
export async function validateManifest(manifest: Manifest): Promise<string[]> {
  if (!manifest.$schema) return ['/$schema is missing'];
  const schema: unknown = JSON.parse(await readFile(localSchemaPath(manifest.$schema), 'utf8'));
  return AppManifestUtils.validateAgainstSchema(manifest as TeamsManifest, schema as never);
}

/** Zips the manifest and the two icons at the zip root (fixed timestamps, so equal input = equal zip). */
export async function buildPackage(files: {
  manifest: Manifest;
  colorPng: Buffer;
  outlinePng: Buffer;
}): Promise<Buffer> {
  const date = new Date('2020-01-01T00:00:00Z');
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(files.manifest, null, 2)}\n`, { date });
  zip.file(files.manifest.icons.color, files.colorPng, { date });
  zip.file(files.manifest.icons.outline, files.outlinePng, { date });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/*
 * The "your turn" notification opens a page of ours on the meeting stage, and Teams opens only pages
 * on the app's validDomains, over HTTPS.
 */
const publicBaseUrl = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .pipe(z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional());

export const NO_PUBLIC_BASE_URL_NOTE =
  'PUBLIC_BASE_URL is not set: validDomains left as in the template, so the meeting-stage "your turn" notification cannot open its page';

/** validDomains with the host of PUBLIC_BASE_URL added; a note instead when it is not set. */
export function withPublicHost(manifest: Manifest, env: NodeJS.ProcessEnv): { manifest: Manifest; notes: string[] } {
  const parsed = publicBaseUrl.safeParse(env.PUBLIC_BASE_URL ?? '');
  if (!parsed.success) throw new PackageError(`PUBLIC_BASE_URL ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  if (parsed.data === undefined) return { manifest, notes: [NO_PUBLIC_BASE_URL_NOTE] };
  const host = new URL(parsed.data).host;
  const domains = manifest.validDomains ?? [];
  return {
    manifest: { ...manifest, validDomains: domains.includes(host) ? domains : [...domains, host] },
    notes: [],
  };
}

export interface PackageResult {
  outFile: string;
  manifest: Manifest;
  /** One-line remarks for the operator (the CLI prints each). */
  notes: string[];
}

/** Reads ids from env, renders, validates and writes the package. */
export async function packageApp(
  opts: { env?: NodeJS.ProcessEnv; manifestDir?: string; outFile?: string; version?: string } = {},
): Promise<PackageResult> {
  const env = opts.env ?? process.env;
  const ids = readIds(env);
  const manifestDir = opts.manifestDir ?? MANIFEST_DIR;
  const version =
    opts.version ??
    (JSON.parse(await readFile(path.join(rootDir, 'package.json'), 'utf8')) as { version: string }).version;
  const template = await readFile(path.join(manifestDir, 'manifest.template.json'), 'utf8');
  const { manifest, notes } = withPublicHost(renderManifest(template, { ...ids, APP_VERSION: version }), env);
  const errors = await validateManifest(manifest);
  if (errors.length > 0) throw new PackageError(`manifest is not valid: ${errors.join('; ')}`);
  const zip = await buildPackage({
    manifest,
    colorPng: await readFile(path.join(manifestDir, manifest.icons.color)),
    outlinePng: await readFile(path.join(manifestDir, manifest.icons.outline)),
  });
  const outFile = opts.outFile ?? DEFAULT_OUT_FILE;
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, zip);
  return { outFile, manifest, notes };
}

if (require.main === module) {
  packageApp().then(
    ({ outFile, manifest, notes }) => {
      for (const note of notes) console.log(`package-app: ${note}`);
      console.log(
        `wrote ${path.relative(process.cwd(), outFile)} (manifest ${manifest.manifestVersion}, v${manifest.version})`,
      );
    },
    (err: unknown) => {
      console.error(err instanceof PackageError ? `package-app: ${err.message}` : err);
      process.exit(1);
    },
  );
}
