import type { Logger } from '../../config/logger';

/** Only the error's class and code: messages may quote what was sent. */
export function logFailure(logger: Logger, e: unknown, what: string): void {
  logger.warn({ error: { class: (e as Error).name, code: (e as { code?: unknown }).code } }, what);
}
