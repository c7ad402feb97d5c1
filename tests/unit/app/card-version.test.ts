import { DoneInput } from '../../../src/app/actions';

const versionMessage = (version: unknown) => {
  const r = DoneInput.safeParse({ version, note: 'Visit done.' });
  return r.success ? null : r.error.issues.find((i) => i.path[0] === 'version')?.message;
};

describe("an action card's version", () => {
  it('reads a whole number as sent', () => {
    expect(DoneInput.parse({ version: '3', note: 'Visit done.' }).version).toBe(3);
    expect(DoneInput.parse({ version: 0, note: 'Visit done.' }).version).toBe(0);
  });

  it('says a version that is absent or blank is missing', () => {
    for (const v of [undefined, '', '  ', { v: 1 }]) expect(versionMessage(v)).toMatch(/missing its version/);
  });

  it('says a version that was sent but is no whole number is not one a card is given, not that it is missing', () => {
    for (const v of ['abc', '1.5', '-1', '99999999999999999999', 1.5])
      expect(versionMessage(v)).toMatch(/not one a card is given/);
  });
});
