import { DialogContext, DialogContextError, DialogSet, DialogState } from 'botbuilder-dialogs';
import { TestAdapter, TurnContext } from 'botbuilder';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createAdapter } from '../../src/bot/adapter';
import { loadConfig } from '../../src/config/config';
import { createLogger, describeError } from '../../src/config/logger';

/** Thrown from a named function in this file, so the first own frame is predictable. */
function throwsTypeError(input: unknown): never {
  (input as { missing: { field: string } }).missing.field.trim();
  throw new Error('unreachable');
}

/** The line of the throw above, for checking the location the log names. */
const THROW_LINE =
  readFileSync(__filename, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('.missing.field.trim()')) + 1;

function caught(f: () => void): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('describeError: what the log may say about a failure', () => {
  it('gives the class, the code and the first frame of our own code, never the message', () => {
    const e = Object.assign(new Error('Terry Imaginary of 1 Nowhere Street'), { code: 'E_SAMPLE' });
    const d = describeError(e);
    expect(d).toEqual({
      class: 'Error',
      code: 'E_SAMPLE',
      at: expect.stringMatching(/^tests\/unit\/describe-error\.test\.ts:\d+:\d+$/),
    });
    expect(JSON.stringify(d)).not.toContain('Terry');
  });

  it('names the wrapped error of a DialogContextError, with where it was thrown', () => {
    const inner = caught(() => throwsTypeError({}));
    const dc = new DialogContext(new DialogSet(), new TurnContext(new TestAdapter(), { type: 'message' }), {
      dialogStack: [],
    } as DialogState);
    const d = describeError(new DialogContextError(inner as Error, dc));
    expect(d.class).toBe('DialogContextError');
    expect(d.cause).toEqual({
      class: 'TypeError',
      at: expect.stringMatching(/^tests\/unit\/describe-error\.test\.ts:\d+:\d+$/),
    });
    expect(d.cause!.at).toMatch(new RegExp(`:${THROW_LINE}:\\d+$`));
    expect(JSON.stringify(d)).not.toMatch(/missing|field|trim/);
  });

  it('follows the standard cause too, and keeps only codes that are identifiers', () => {
    const e = new Error('outer', { cause: Object.assign(new RangeError('inner'), { code: 11000 }) });
    expect(describeError(e).cause).toMatchObject({ class: 'RangeError', code: 11000 });
    const chatty = Object.assign(new Error('x'), { code: 'not a code: Terry Imaginary' });
    expect(describeError(chatty).code).toBeUndefined();
  });

  it('describes things thrown that are not errors by their type alone', () => {
    expect(describeError('Terry Imaginary')).toEqual({ class: 'string' });
    expect(describeError(undefined)).toEqual({ class: 'undefined' });
    expect(describeError({ name: 'Terry Imaginary' })).toEqual({ class: 'object' });
  });

  it('does not mistake text inside a message for a stack frame', () => {
    const e = new Error(`bad\n    at evil (${process.cwd()}/src/fake.ts:1:1)`);
    expect(describeError(e).at).not.toContain('src/fake.ts');
  });

  it('reads frames only after the message even when the class was renamed after construction', () => {
    const e = new Error(`bad\n    at evil (${process.cwd()}/src/fake.ts:1:1)`);
    e.name = 'RenamedError';
    expect(describeError(e)).toMatchObject({ class: 'RenamedError', at: expect.stringMatching(/^tests\/unit\//) });
  });
});

describe('a failed turn in the log', () => {
  it('names what a DialogContextError wraps and where, and nothing the user typed', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    });
    const config = loadConfig({
      MONGODB_URI: 'mongodb://127.0.0.1:27017/',
      BOT_AUTH: 'none',
      ALLOWED_TENANT_IDS: '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c',
    });
    const adapter = createAdapter(config, createLogger('info', sink));
    const turn = new TurnContext(new TestAdapter(), { type: 'message', text: 'Terry Imaginary' });
    const dc = new DialogContext(new DialogSet(), turn, { dialogStack: [] } as DialogState);
    await adapter.onTurnError(turn, new DialogContextError(caught(() => throwsTypeError({})) as Error, dc));

    const logged = JSON.parse(lines.join('')) as { msg: string; error: unknown };
    expect(logged.msg).toBe('turn failed');
    expect(logged.error).toMatchObject({
      class: 'DialogContextError',
      cause: { class: 'TypeError', at: expect.stringMatching(`describe-error.test.ts:${THROW_LINE}:`) },
    });
    expect(lines.join('')).not.toMatch(/Terry|missing|field/);
  });
});
