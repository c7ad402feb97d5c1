import pino from 'pino';

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
