import { backoffMs, verdictFor } from '../../../src/app/outbound';

describe('outbound retry policy', () => {
  it.each([412, 429, 502, 503, 504, undefined])('retries %s', (status) => {
    expect(verdictFor(status)).toEqual({ retry: true });
  });

  it('never retries a conversation gone, a bot removed or blocked, or another refusal', () => {
    expect(verdictFor(404)).toEqual({ retry: false, reason: 'gone' });
    expect(verdictFor(403)).toEqual({ retry: false, reason: 'forbidden' });
    expect(verdictFor(400)).toEqual({ retry: false, reason: 'rejected' });
    expect(verdictFor(413)).toEqual({ retry: false, reason: 'rejected' });
  });

  it('doubles the wait each attempt, caps it, and jitters within the upper half', () => {
    const opts = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffMs(1, opts, () => 0)).toBe(500);
    expect(backoffMs(1, opts, () => 1)).toBe(1000);
    expect(backoffMs(3, opts, () => 0)).toBe(2000);
    expect(backoffMs(3, opts, () => 1)).toBe(4000);
    expect(backoffMs(20, opts, () => 1)).toBe(60_000);
    expect(backoffMs(20, opts, () => 0)).toBe(30_000);
  });
});
