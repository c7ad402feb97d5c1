import { plainCopy } from '../../../src/lib/plain-copy';

describe('plainCopy', () => {
  it('copies plain records deeply, so changing the copy leaves the original as it was', () => {
    const original = {
      ok: true,
      value: { id: 'a', roles: ['practitioner'], agencies: [{ id: 'police', visorAccess: true }], note: undefined },
    };
    const copy = plainCopy(original);
    expect(copy).toEqual(original);
    expect(Object.keys(copy.value)).toEqual(Object.keys(original.value));
    copy.value.roles.push('admin');
    copy.value.agencies[0]!.visorAccess = false;
    expect(original.value.roles).toEqual(['practitioner']);
    expect(original.value.agencies[0]!.visorAccess).toBe(true);
  });

  it('copies what is not a plain object or array as structuredClone does', () => {
    const at = new Date('2026-03-02T09:00:00.000Z');
    const tags = new Set(['a']);
    const copy = plainCopy({ at, tags });
    expect(copy.at).toEqual(at);
    expect(copy.at).not.toBe(at);
    expect([...copy.tags]).toEqual(['a']);
    expect(copy.tags).not.toBe(tags);
  });
});
