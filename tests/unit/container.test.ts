import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** Instructions of each stage, by stage name (comments and blank lines dropped). */
function stages(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of dockerfile.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+\S+\s+AS\s+(\S+)$/i.exec(line);
    if (from) out.set(from[1]!, (current = []));
    else current?.push(line);
  }
  return out;
}

describe('Dockerfile', () => {
  const all = stages();
  const runtime = all.get('runtime') ?? [];
  const lastStage = [...all.keys()].at(-1);

  it('is multi-stage and the runtime stage is the last (the default target)', () => {
    expect([...all.keys()]).toEqual(['build', 'deps', 'runtime']);
    expect(lastStage).toBe('runtime');
  });

  it('ships production dependencies only, installed from the lock file', () => {
    expect(all.get('deps')).toContainEqual(expect.stringMatching(/^RUN npm ci --omit=dev\b/));
    expect(runtime).toContainEqual('COPY --from=deps /app/node_modules ./node_modules');
    expect(runtime.filter((l) => /npm (ci|install)/.test(l))).toEqual([]);
  });

  it('runs as a non-root user with NODE_ENV=production', () => {
    const user = runtime.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toMatch(/^USER [1-9][0-9]*(:[1-9][0-9]*)?$/);
    expect(runtime.join(' ')).toMatch(/ENV NODE_ENV=production\b/);
  });

  it('runs `npm start` as plain node and probes /healthz', () => {
    const cmd = runtime.find((l) => l.startsWith('CMD '));
    expect(JSON.parse(cmd!.slice(4)).join(' ')).toBe(pkg.scripts.start);
    expect(runtime.find((l) => l.startsWith('HEALTHCHECK '))).toContain('/healthz');
  });

  it('sends only the files it copies to the build context (no .env, no data)', () => {
    const ignore = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toContain('*');
    const copied = [...all.values()]
      .flat()
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.slice(5).trim().split(/\s+/).slice(0, -1));
    for (const source of copied) expect(ignore.some((l) => l === `!${source}` || l === `!${source}/**`)).toBe(true);
    expect(ignore.filter((l) => l.startsWith('!.env'))).toEqual([]);
  });
});

describe('scripts/container-build.sh', () => {
  const script = path.join(root, 'scripts', 'container-build.sh');
  const dryRun = (env: Record<string, string>, ...args: string[]) =>
    execFileSync('bash', [script, '--dry-run', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('builds the runtime target with the given tag, and pushes only with --push', () => {
    const out = dryRun({ IMAGE: 'myacr.azurecr.io/mappa-bot', TAG: 'v1.2.3' }, '--push');
    expect(out).toMatch(
      /^\+ docker build --file Dockerfile --target runtime .*--tag myacr\.azurecr\.io\/mappa-bot:v1\.2\.3 \.$/m,
    );
    expect(out).toContain('+ docker push myacr.azurecr.io/mappa-bot:v1.2.3');
    expect(dryRun({ TAG: 'v1' })).not.toContain('push');
  });

  it('builds in the registry with ACR_NAME, and refuses a tag that is not one', () => {
    expect(dryRun({ ACR_NAME: 'myacr', IMAGE: 'myacr.azurecr.io/mappa-bot', TAG: 't1' })).toContain(
      '+ az acr build --registry myacr --image mappa-bot:t1 --file Dockerfile .',
    );
    expect(() => dryRun({ TAG: 'bad tag;rm' })).toThrow(/TAG must be a valid image tag/);
  });
});
