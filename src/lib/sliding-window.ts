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
 * No sub-second smoothing is needed for safety: sends are counted as of their answer (`begin`/`end`), so
 * a burst's late arrivals can never share a window with the next second's early ones.
 */
export const tenantWindows = (perSecond: number): readonly RateWindow[] => [{ limit: perSecond, windowMs: 1000 }];

interface KeyState {
  /** Times of recorded events, oldest first. */
  readonly times: number[];
  /** Events begun and not yet ended: each counts as the newest in every window. */
  inFlight: number;
  blockedUntil: number;
}

/** An event under way (a call sent, its answer not yet back). */
export interface InFlight {
  /** Ends it: from now on it counts as having happened at `at`. Only the first call counts. */
  end(at: number): void;
}

/**
 * A sliding-window log per key, checked against several windows at once. Unlike a token bucket or a
 * fixed window it never lets through more than a server counting its own last N seconds would accept,
 * whatever the burst pattern. A call is counted from when it is begun until its answer (`begin`), so
 * no margin for the time a request spends on its way is needed; `marginMs` widens every window for an
 * event recorded at one instant (`record`) that a server may count later.
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
      if (t.length + state.inFlight < w.limit) continue;
      // Until an event under way ends, nobody knows when the server counted it: no room it would fill.
      if (state.inFlight >= w.limit) return Infinity;
      // The limit-th most recent event (those under way being the most recent) must leave the window first.
      at = Math.max(at, t[t.length - (w.limit - state.inFlight)]! + w.windowMs);
    }
    return at;
  }

  /**
   * An event that happens at some unknown moment between now and its `end`, such as a call a server
   * counts when it arrives: a sender knows only that it arrived after it was sent and before its answer
   * came back. Counted as the newest event until it ends, then as of its end, so a call held up on its
   * way (a stall before the request left, a slow hop) can never crowd a later window.
   */
  begin(key: string): InFlight {
    const state = this.stateOf(key);
    state.inFlight += 1;
    let ended = false;
    return {
      end: (at: number) => {
        if (ended) return;
        ended = true;
        state.inFlight -= 1;
        // Never pruned while under way (prune skips keys with calls in flight), so `key` is still `state`.
        this.record(key, at);
      },
    };
  }

  private stateOf(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = { times: [], inFlight: 0, blockedUntil: 0 };
      this.keys.set(key, state);
    }
    return state;
  }

  record(key: string, at: number): void {
    const state = this.stateOf(key);
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
    const state = this.stateOf(key);
    state.blockedUntil = Math.max(state.blockedUntil, until);
  }

  /** Forgets keys with nothing inside any window at `now`. */
  prune(now: number): void {
    for (const [key, state] of this.keys) {
      const last = state.times[state.times.length - 1] ?? -Infinity;
      if (state.inFlight === 0 && now - last >= this.longestMs && state.blockedUntil <= now) this.keys.delete(key);
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
