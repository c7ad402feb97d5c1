import pino from 'pino';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Paths that may carry personal data or secrets. Activity text, card submissions and names are never
 * logged: MAPPA messages name offenders, victims and children.
 */
export const REDACT_PATHS = [
  'text',
  '*.text',
  'value',
  '*.value',
  'attachments',
  '*.attachments',
  'name',
  '*.name',
  'from',
  '*.from',
  'recipient',
  '*.recipient',
  'req.headers.authorization',
  'headers.authorization',
  '*.password',
  'password',
  'MicrosoftAppPassword',
  'subject',
  '*.subject',
];

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'mappa-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** What the log may say about a failure: never its message, which can quote what a user typed. */
export interface ErrorDescription {
  readonly class: string;
  readonly code?: string | number;
  /** The first stack frame in our own code (`src/…:line:col`), else the first frame at all. */
  readonly at?: string;
  /** The error it wraps: `.error` of botbuilder's DialogContextError, or the standard `.cause`. */
  readonly cause?: ErrorDescription;
}

// Two levels up from src/config (or dist/src/config): frames under it, outside node_modules, are ours.
const PROJECT_ROOT = resolve(__dirname, '..', '..');
const IDENTIFIER = /^[\w$.:-]{1,64}$/;
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

function frameOf(line: string): { file: string; own: boolean } | null {
  const m = FRAME.exec(line);
  if (!m) return null;
  const path = m[1]!.replace(/^file:\/\//, '');
  const rel = relative(PROJECT_ROOT, path);
  const inside = isAbsolute(path) && !rel.startsWith('..') && !isAbsolute(rel);
  const own = inside && !rel.split(sep).includes('node_modules');
  return { file: `${inside ? rel.split(sep).join('/') : path}:${m[2]}:${m[3]}`, own };
}

function whereFrom(e: Error): string | undefined {
  if (typeof e.stack !== 'string') return undefined;
  // The stack opens with the message, which may span lines: frames are read only after it.
  const inStack = e.message ? e.stack.indexOf(e.message) : -1;
  const afterMessage = inStack >= 0 ? inStack + e.message.length : e.stack.indexOf('\n');
  const frames = e.stack
    .slice(Math.max(afterMessage, 0))
    .split('\n')
    .map(frameOf)
    .filter((f) => f !== null);
  return (frames.find((f) => f.own) ?? frames[0])?.file;
}

/**
 * An error as the log may record it: class, code, where in our code it was thrown, and the same for
 * the error it wraps, so a wrapper such as DialogContextError does not hide its cause.
 */
export function describeError(e: unknown, depth = 0): ErrorDescription {
  if (!(e instanceof Error)) return { class: e === null ? 'null' : typeof e };
  const name = IDENTIFIER.test(e.name) ? e.name : 'Error';
  const rawCode = (e as { code?: unknown }).code;
  const code =
    typeof rawCode === 'number' || (typeof rawCode === 'string' && IDENTIFIER.test(rawCode)) ? rawCode : undefined;
  const at = whereFrom(e);
  const wrapped = (e as { error?: unknown }).error ?? e.cause;
  const cause = wrapped !== undefined && depth < 3 ? describeError(wrapped, depth + 1) : undefined;
  return {
    class: name,
    ...(code !== undefined ? { code } : {}),
    ...(at !== undefined ? { at } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}
