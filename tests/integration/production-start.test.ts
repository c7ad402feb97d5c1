import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/bot-process';
import { freshDbName, testMongoUri } from '../support/mongo';

/**
 * The container cannot run here, so this runs what its CMD runs: `node dist/src/main.js` on freshly
 * compiled output (the Dockerfile's build stage runs the same `tsc -p tsconfig.build.json`), with
 * NODE_ENV=production and a real database. The output goes to its own folder so a stale dist/ can
 * neither hide a regression nor race another build.
 */
const root = path.resolve(__dirname, '../..');
const appDir = path.join(root, 'build', `prod-start-${process.pid}`);
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');

/** The exec-form JSON array of the Dockerfile's last `<instruction> [...]` (CMD, HEALTHCHECK … CMD). */
function execForm(pattern: RegExp): string[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n');
  const line = lines.filter((l) => pattern.test(l)).at(-1);
  const json = line && /(\[.*\])\s*$/.exec(line)?.[1];
  if (!json) throw new Error(`no exec-form ${pattern} in the Dockerfile`);
  const argv = JSON.parse(json) as string[];
  if (argv[0] !== 'node') throw new Error(`the Dockerfile's ${pattern} does not start with node`);
  return argv.slice(1);
}
/** `node [options] dist/src/main.js`, as the image's CMD says. */
const cmd = execForm(/^CMD /);
const healthcheck = execForm(/^HEALTHCHECK /);
const adminToken = 'prod-start-admin-token-0123456789abcdef';

const production: Record<string, string> = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  BOT_AUTH: 'entra',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppId: '0b8a4a4c-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
  MicrosoftAppTenantId: '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c',
  MicrosoftAppPassword: 'invented-client-secret',
  PUBLIC_BASE_URL: 'https://mappa-bot.example.org',
  DOWNLOAD_LINK_SECRET: Buffer.alloc(32, 7).toString('base64'),
  FIND_HASH_SECRET: Buffer.alloc(32, 9).toString('base64'),
  ADMIN_API_TOKEN_SHA256: createHash('sha256').update(adminToken).digest('hex'),
  LOG_LEVEL: 'warn',
};

function envOf(vars: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) env[k] = v;
  return env;
}

function run(vars: Record<string, string | undefined>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cmd, { cwd: appDir, env: envOf(vars), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    });
  });
}

async function exitCodeOf(args: string[], vars: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, args, { env: envOf(vars), stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

beforeAll(async () => {
  await promisify(execFile)(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(appDir, 'dist')],
    { cwd: root },
  );
}, 240_000);

afterAll(async () => {
  await rm(appDir, { recursive: true, force: true });
});

describe('the production command on the built output', () => {
  it('starts with NODE_ENV=production, answers /healthz and /readyz, refuses anonymous turns and writes no files', async () => {
    const before = await filesUnder(appDir);
    const port = await freePort();
    let child: ChildProcess | undefined = spawn(process.execPath, cmd, {
      cwd: appDir,
      stdio: 'ignore',
      env: envOf({ ...production, MONGODB_URI: testMongoUri(), MONGODB_DB: freshDbName('prodstart'), PORT: `${port}` }),
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      let ready: Response | undefined;
      for (let i = 0; i < 300 && !ready?.ok; i++) {
        ready = await fetch(`${base}/readyz`).catch(() => undefined);
        if (!ready?.ok) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready?.status).toBe(200);
      expect(await ready?.json()).toEqual({ status: 'ready' });
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      // The image's own HEALTHCHECK command, run as Docker would inside the container.
      expect(await exitCodeOf(healthcheck, { PORT: `${port}` })).toBe(0);

      // BOT_AUTH=entra: an activity without a Bot Framework token is turned away.
      const anonymous = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'help', channelId: 'msteams', serviceUrl: 'https://x.example' }),
      });
      expect(anonymous.status).toBe(401);

      // The runbook's audit check works against the production build.
      const verify = await fetch(`${base}/api/audit/verify`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(verify.status).toBe(200);
      expect(await verify.json()).toMatchObject({ ok: true });

      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      child = undefined;
      expect(code).toBe(0);
      expect(await exitCodeOf(healthcheck, { PORT: `${port}` })).toBe(1);
      // Read-only root filesystem: the app wrote nothing beside its code.
      expect(await filesUnder(appDir)).toEqual(before);
    } finally {
      child?.kill('SIGKILL');
    }
  });

  it.each([
    ['BOT_AUTH', { BOT_AUTH: 'none' }],
    ['DOWNLOAD_LINK_SECRET', { DOWNLOAD_LINK_SECRET: undefined }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: undefined }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'http://mappa-bot.example.org' }],
    ['FIND_HASH_SECRET', { FIND_HASH_SECRET: undefined }],
  ])('refuses to start with an unsafe %s: one line naming it, exit code 1', async (variable, change) => {
    const result = await run({ ...production, MONGODB_URI: testMongoUri(), PORT: '0', ...change });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.startsWith(`Configuration error: ${variable} `)).toBe(true);
  });

  it('needs only production dependencies (the image installs with --omit=dev)', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    const used = new Set<string>();
    for (const file of (await filesUnder(path.join(appDir, 'dist'))).filter((f) => f.endsWith('.js'))) {
      const text = await readFile(path.join(appDir, 'dist', file), 'utf8');
      for (const m of text.matchAll(/require\("([^"./][^"]*)"\)/g)) {
        const spec = m[1]!.replace(/^node:/, '');
        used.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((name) => !allowed.has(name))).toEqual([]);
  });
});
