import { spawn } from 'node:child_process';
import path from 'node:path';
import { freshDbName, testMongoUri } from '../support/mongo';

const root = path.resolve(__dirname, '../..');

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
}

function runMain(env: Record<string, string>, untilStdout?: RegExp, thenSignal?: NodeJS.Signals): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Node with tsx as a loader, so signals reach the server itself rather than a wrapper process.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ALLOWED_TENANT_IDS: '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (untilStdout && thenSignal && !signalled && untilStdout.test(stdout)) {
        signalled = true;
        child.kill(thenSignal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('start-up and shutdown of the real process', () => {
  it('stops with one clear line and exit code 1 when a required variable is missing', async () => {
    const run = await runMain({ BOT_AUTH: 'none' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^Configuration error: MONGODB_URI /);
  });

  it('stops with one clear line and exit code 1 when MONGODB_URI is malformed', async () => {
    const run = await runMain({ BOT_AUTH: 'none', MONGODB_URI: 'postgres://nope' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('MONGODB_URI');
  });

  it('stops with one clear line and exit code 1 when MongoDB cannot be reached', async () => {
    const run = await runMain({
      BOT_AUTH: 'none',
      MONGODB_URI: 'mongodb://127.0.0.1:9/',
      MONGODB_CONNECT_TIMEOUT_MS: '500',
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^Cannot connect to MongoDB at mongodb:\/\/127\.0\.0\.1:9\//);
  });

  it('refuses anonymous mode in production', async () => {
    const run = await runMain({ BOT_AUTH: 'none', NODE_ENV: 'production', MONGODB_URI: testMongoUri() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Configuration error: BOT_AUTH /);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const run = await runMain(
      { BOT_AUTH: 'none', MONGODB_URI: testMongoUri(), MONGODB_DB: freshDbName('sig'), PORT: '0' },
      /"msg":"listening"/,
      'SIGTERM',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"msg":"stopped"');
  });
});
