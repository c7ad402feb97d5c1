/**
 * Teams asks bots to retry 429 (throttled), 412 (concurrent operation) and 502/504 with exponential
 * backoff and jitter, and never to retry 403/404/413 (blocked, uninstalled, too big).
 */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e?.statusCode, e?.status, e?.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

export async function withTeamsRetry<T>(
  fn: () => Promise<T>,
  opts: { attempts?: number; baseMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const base = opts.baseMs ?? 500;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const status = statusOf(err);
      if (i >= attempts || status === undefined || !RETRYABLE.has(status)) throw err;
      const delay = base * 2 ** (i - 1) * (0.8 + Math.random() * 0.4);
      await sleep(delay);
    }
  }
}
