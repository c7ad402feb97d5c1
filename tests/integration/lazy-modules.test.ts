import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { message, postActivity, users } from '../support/activities';
import { freePort } from '../support/bot-process';
import { startFakeConnector, type FakeConnector } from '../support/connector';
import { freshDbName, testMongoUri } from '../support/mongo';

const root = path.resolve(__dirname, '../..');
// Large packages that only some turns need: loaded at first use, so an idle bot does not hold them.
const ON_FIRST_USE = ['docx', 'pdfkit', 'date-holidays', 'adaptivecards-templating', 'botbuilder-dialogs', 'jose'];

describe('the real process loads large packages at first use, not at start', () => {
  let bot: ChildProcess;
  let out = '';
  let port: number;
  let connector: FakeConnector;

  beforeAll(async () => {
    connector = await startFakeConnector();
    port = await freePort();
    // The preload prints which packages are in the module cache when sent SIGUSR2.
    bot = spawn(
      process.execPath,
      ['--require', path.join(root, 'scripts/bench/memory-preload.cjs'), '--import', 'tsx', 'src/main.ts'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          BOT_AUTH: 'none',
          HOST: '127.0.0.1',
          PORT: String(port),
          LOG_LEVEL: 'warn',
          MONGODB_URI: testMongoUri(),
          MONGODB_DB: freshDbName('lazy_modules'),
          ALLOWED_TENANT_IDS: '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c',
        },
      },
    );
    bot.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    for (let i = 0; i < 300; i++) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the bot did not start');
  });

  afterAll(async () => {
    const exited = once(bot, 'exit');
    bot.kill('SIGTERM');
    await exited;
    await connector.close();
  });

  async function loadedPackages(): Promise<string[]> {
    const before = out.length;
    bot.kill('SIGUSR2');
    for (let i = 0; i < 100 && !out.slice(before).includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
    const line = out.slice(before).split('\n')[0]!;
    return (JSON.parse(line) as { packages: string[] }).packages;
  }

  it('has none of them loaded once ready', async () => {
    const loaded = await loadedPackages();
    expect(loaded).toContain('botbuilder');
    expect(ON_FIRST_USE.filter((p) => loaded.includes(p))).toEqual([]);
  });

  it('loads the card templating for the first card, and still not the document or calendar code', async () => {
    const res = await postActivity(`http://127.0.0.1:${port}`, message(connector.url, users.probation, 'help'));
    expect(res.status).toBe(200);
    const loaded = await loadedPackages();
    expect(loaded).toContain('adaptivecards-templating');
    expect(loaded).not.toContain('docx');
    expect(loaded).not.toContain('date-holidays');
  });
});
