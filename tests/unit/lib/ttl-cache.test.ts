import { TtlCache } from '../../../src/lib/ttl-cache';

describe('TtlCache', () => {
  let now = 0;
  const cache = () => new TtlCache<string>({ ttlMs: 1000, maxEntries: 3, now: () => now });
  beforeEach(() => (now = 0));

  it('gives a value back until its time is up, and not after', () => {
    const c = cache();
    c.set('a', 'one');
    now = 999;
    expect(c.get('a')).toBe('one');
    now = 1000;
    expect(c.get('a')).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest', () => {
    const c = cache();
    for (const k of ['a', 'b', 'c', 'd']) c.set(k, k);
    expect(c.size).toBe(3);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('d')).toBe('d');
  });

  it('forgets a key on delete and everything on clear', () => {
    const c = cache();
    c.set('a', 'one');
    c.set('b', 'two');
    c.delete('a');
    expect(c.get('a')).toBeUndefined();
    c.clear();
    expect(c.get('b')).toBeUndefined();
  });

  it('with a ttl of 0 keeps nothing', () => {
    const c = new TtlCache<string>({ ttlMs: 0, maxEntries: 3, now: () => now });
    c.set('a', 'one');
    expect(c.get('a')).toBeUndefined();
    expect(c.size).toBe(0);
  });
});
