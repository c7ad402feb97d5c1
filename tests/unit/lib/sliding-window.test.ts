import { SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS } from '../../../src/lib/sliding-window';

/** Sends as fast as the limiter allows for `forMs`, returning the times it allowed. */
function drive(limiter: SlidingWindowLimiter, key: string, forMs: number, start = 0): number[] {
  const sent: number[] = [];
  let now = start;
  while (now < start + forMs) {
    const at = limiter.nextAllowedAt(key, now);
    if (at > now) {
      now = at;
      continue;
    }
    limiter.record(key, now);
    sent.push(now);
  }
  return sent;
}

/** The most events inside any window of `ms` (half-open, as a server counting its last `ms` would). */
function maxIn(times: number[], ms: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('sliding-window limiter', () => {
  it('never lets more through than any window allows, and is not slower than the tightest window', () => {
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS);
    const sent = drive(limiter, 'conv', 60_000);
    expect(maxIn(sent, 1000)).toBeLessThanOrEqual(7);
    expect(maxIn(sent, 2000)).toBeLessThanOrEqual(8);
    expect(maxIn(sent, 30_000)).toBeLessThanOrEqual(60);
    // 60 per 30 s binds over a minute: exactly 120 fit.
    expect(sent).toHaveLength(120);
  });

  it('keeps the hourly window: 1,800 per hour and no more', () => {
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS);
    const sent = drive(limiter, 'conv', 2 * 3_600_000);
    expect(maxIn(sent, 3_600_000)).toBe(1800);
  });

  it('keeps keys apart, and a margin widens each window', () => {
    const limiter = new SlidingWindowLimiter([{ limit: 2, windowMs: 1000 }], { marginMs: 50 });
    limiter.record('a', 0);
    limiter.record('a', 10);
    expect(limiter.nextAllowedAt('a', 20)).toBe(1050);
    expect(limiter.nextAllowedAt('b', 20)).toBe(20);
  });

  it('counts a call under way as the newest until its answer, then as of its answer', () => {
    const limiter = new SlidingWindowLimiter([{ limit: 2, windowMs: 1000 }]);
    const first = limiter.begin('a');
    const second = limiter.begin('a');
    // Both under way: when the server counted them is unknown, so no room is known yet.
    expect(limiter.nextAllowedAt('a', 5)).toBe(Infinity);
    first.end(40);
    // One answered at 40, one still under way (newest): room once the answered one leaves the window.
    expect(limiter.nextAllowedAt('a', 50)).toBe(1040);
    second.end(300);
    first.end(900); // only the first end counts
    expect(limiter.nextAllowedAt('a', 300)).toBe(1040);
    expect(limiter.nextAllowedAt('a', 1040)).toBe(1040);
    expect(limiter.nextAllowedAt('b', 5)).toBe(5);
  });

  it('keeps a key with a call under way when pruning, and counts the call once it ends', () => {
    const limiter = new SlidingWindowLimiter([{ limit: 1, windowMs: 1000 }]);
    const call = limiter.begin('a');
    limiter.prune(10_000);
    expect(limiter.size()).toBe(1);
    call.end(10_000);
    expect(limiter.nextAllowedAt('a', 10_001)).toBe(11_000);
  });

  it('blocks a key until a time (Retry-After), then lets it go', () => {
    const limiter = new SlidingWindowLimiter([{ limit: 30, windowMs: 1000 }]);
    limiter.blockUntil('a', 5000);
    expect(limiter.nextAllowedAt('a', 100)).toBe(5000);
    expect(limiter.nextAllowedAt('a', 5000)).toBe(5000);
  });

  it('forgets idle keys so memory follows the active conversations only', () => {
    const limiter = new SlidingWindowLimiter([{ limit: 2, windowMs: 1000 }]);
    for (let i = 0; i < 100; i++) limiter.record(`k${i}`, 0);
    expect(limiter.size()).toBe(100);
    limiter.prune(5000);
    expect(limiter.size()).toBe(0);
  });
});
