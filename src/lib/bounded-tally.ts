/**
 * Counts occurrences per key over an interval in bounded memory: at most `maxKeys` keys are
 * tracked, and every key past that is counted under `overflowKey`, so a caller who can choose the
 * keys (a tenant id on an unauthenticated-looking request) cannot make it grow.
 */
export class BoundedTally {
  private counts = new Map<string, number>();

  constructor(
    private readonly maxKeys: number,
    readonly overflowKey: string,
  ) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError('maxKeys must be a positive integer');
  }

  /** Keys counted in this interval, the overflow key included. */
  get size(): number {
    return this.counts.size;
  }

  /** Counts one occurrence; `first` is true for the first one under its key in this interval. */
  add(key: string): { key: string; first: boolean } {
    const tracked =
      this.counts.has(key) || this.counts.size - (this.counts.has(this.overflowKey) ? 1 : 0) < this.maxKeys;
    const under = tracked && key !== this.overflowKey ? key : this.overflowKey;
    const before = this.counts.get(under) ?? 0;
    this.counts.set(under, before + 1);
    return { key: under, first: before === 0 };
  }

  /** The counts since the last drain, in first-seen order; starts a new interval. */
  drain(): Array<{ key: string; count: number }> {
    const out = [...this.counts].map(([key, count]) => ({ key, count }));
    this.counts = new Map();
    return out;
  }
}
