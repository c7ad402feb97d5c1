import type { FailureReason } from '../ports/outbound-queue.port';

/**
 * Teams asks bots to retry 429 (throttled), 412 (concurrent operation), 502, 503 and 504 with
 * exponential back-off and jitter, honouring Retry-After, and never to retry 403 (bot removed or
 * blocked) or 404 (conversation gone). No status at all is a network failure: worth another try.
 */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

export type Verdict = { retry: true } | { retry: false; reason: FailureReason };

export function verdictFor(status: number | undefined): Verdict {
  if (status === undefined || RETRYABLE.has(status)) return { retry: true };
  if (status === 403) return { retry: false, reason: 'forbidden' };
  if (status === 404) return { retry: false, reason: 'gone' };
  return { retry: false, reason: 'rejected' };
}

/** The wait before attempt `attempt + 1`: doubling from `baseMs`, capped, with "equal jitter" (half fixed, half random). */
export function backoffMs(attempt: number, opts: { baseMs: number; maxMs: number }, random: () => number): number {
  const full = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}
