/** One rate limit: at most `limit` events in any `windowMs`. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Teams' documented limits for a bot sending to one conversation (the "per bot per thread" table):
 * 7 per second, 8 per 2 seconds, 60 per 30 seconds and 1,800 per hour.
 */
export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1000 },
  { limit: 8, windowMs: 2000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
];

/**
 * Per app per tenant: a setting, since Microsoft's pages say 50 requests per second in newer text and 30 in older.
 * Also a quarter of it per quarter second, so a second's allowance is not spent in one burst: calls sent
 * together reach Teams spread by the network, and a burst's late arrivals would share a window with the
 * next second's early ones.
 */
export const tenantWindows = (perSecond: number): readonly RateWindow[] => [
  { limit: perSecond, windowMs: 1000 },
  { limit: Math.ceil(perSecond / 4), windowMs: 250 },
];

interface KeyState {
  /** Times of recorded events, oldest first. */
  readonly times: number[];
  blockedUntil: number;
}

/**
 * A sliding-window log per key, checked against several windows at once. Unlike a token bucket or a
 * fixed window it never lets through more than a server counting its own last N seconds would accept,
 * whatever the burst pattern. `marginMs` widens every window to absorb the time between recording
 * a send here and the request reaching the server.
 */
export class SlidingWindowLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly windows: readonly RateWindow[];
  private readonly longestMs: number;

  constructor(windows: readonly RateWindow[], opts: { marginMs?: number } = {}) {
    const margin = opts.marginMs ?? 0;
    this.windows = windows.map((w) => ({ limit: w.limit, windowMs: w.windowMs + margin }));
    this.longestMs = Math.max(0, ...this.windows.map((w) => w.windowMs));
  }

  /** The earliest time (ms) at or after `now` when one more event for `key` fits every window. */
  nextAllowedAt(key: string, now: number): number {
    const state = this.keys.get(key);
    if (!state) return now;
    let at = Math.max(now, state.blockedUntil);
    const t = state.times;
    for (const w of this.windows) {
      if (t.length < w.limit) continue;
      // The limit-th most recent event must leave the window before another fits.
      at = Math.max(at, t[t.length - w.limit]! + w.windowMs);
    }
    return at;
  }

  record(key: string, at: number): void {
    let state = this.keys.get(key);
    if (!state) {
      state = { times: [], blockedUntil: 0 };
      this.keys.set(key, state);
    }
    const t = state.times;
    let i = t.length;
    while (i > 0 && t[i - 1]! > at) i--;
    t.splice(i, 0, at);
    // Only the longest window's worth is ever consulted.
    const keep = Math.max(...this.windows.map((w) => w.limit));
    if (t.length > keep) t.splice(0, t.length - keep);
  }

  /** Nothing for `key` before `until` (a Retry-After from the server). */
  blockUntil(key: string, until: number): void {
    const state = this.keys.get(key) ?? { times: [], blockedUntil: 0 };
    state.blockedUntil = Math.max(state.blockedUntil, until);
    this.keys.set(key, state);
  }

  /** Forgets keys with nothing inside any window at `now`. */
  prune(now: number): void {
    for (const [key, state] of this.keys) {
      const last = state.times[state.times.length - 1] ?? -Infinity;
      if (now - last >= this.longestMs && state.blockedUntil <= now) this.keys.delete(key);
    }
  }

  /** Keys that may not send at `now` (to leave out of a claim). */
  blockedKeys(now: number, max = 1000): string[] {
    const out: string[] = [];
    for (const key of this.keys.keys()) {
      if (out.length >= max) break;
      if (this.nextAllowedAt(key, now) > now) out.push(key);
    }
    return out;
  }

  size(): number {
    return this.keys.size;
  }
}
