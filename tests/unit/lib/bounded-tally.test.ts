import { BoundedTally } from '../../../src/lib/bounded-tally';

describe('BoundedTally', () => {
  it('says which occurrence is the first of its key in the interval, and counts the rest', () => {
    const tally = new BoundedTally(10, 'other');
    expect(tally.add('t1')).toEqual({ key: 't1', first: true });
    expect(tally.add('t1')).toEqual({ key: 't1', first: false });
    expect(tally.add('t2')).toEqual({ key: 't2', first: true });
    expect(tally.add('t1').first).toBe(false);
    expect(tally.drain()).toEqual([
      { key: 't1', count: 3 },
      { key: 't2', count: 1 },
    ]);
  });

  it('starts a new interval on drain', () => {
    const tally = new BoundedTally(10, 'other');
    tally.add('t1');
    tally.drain();
    expect(tally.drain()).toEqual([]);
    expect(tally.add('t1').first).toBe(true);
  });

  it('tracks at most maxKeys keys; the rest are counted together under the overflow key', () => {
    const tally = new BoundedTally(3, 'other');
    for (let i = 0; i < 1000; i++) tally.add(`tenant-${i}`);
    expect(tally.size).toBe(4);
    const drained = tally.drain();
    expect(drained).toHaveLength(4);
    expect(drained.find((d) => d.key === 'other')).toEqual({ key: 'other', count: 997 });
    expect(drained.reduce((a, d) => a + d.count, 0)).toBe(1000);
  });

  it('reports the first overflowed occurrence as first, once per interval', () => {
    const tally = new BoundedTally(1, 'other');
    tally.add('a');
    expect(tally.add('b')).toEqual({ key: 'other', first: true });
    expect(tally.add('c')).toEqual({ key: 'other', first: false });
    expect(tally.add('a')).toEqual({ key: 'a', first: false });
  });

  it('refuses a useless bound', () => {
    expect(() => new BoundedTally(0, 'other')).toThrow(RangeError);
  });
});
