import { canonicalTerms, nameMatches, readSearchTerms } from '../../../src/app/find';
import { aSubject } from '../../fixtures/builders';

describe('reading what follows find', () => {
  it.each([
    ['2015/0012345X', { kind: 'pnc', value: '2015/0012345X' }],
    ['pnc 2015/0012345x', { kind: 'pnc', value: '2015/0012345X' }],
    ['x123456', { kind: 'crn', value: 'X123456' }],
    ['CRN: X123456', { kind: 'crn', value: 'X123456' }],
    ['mappa-2026-0042', { kind: 'caseRef', value: 'MAPPA-2026-0042' }],
    ['visor 12/345678', { kind: 'visor', value: '12/345678' }],
    ['Jordan Fictitious 15/07/1985', { kind: 'name', name: 'Jordan Fictitious', dateOfBirth: '1985-07-15' }],
    ['jordan  fictitious 1985-07-15', { kind: 'name', name: 'jordan fictitious', dateOfBirth: '1985-07-15' }],
    ['Jordan Fictitious 15 Jul 1985', { kind: 'name', name: 'Jordan Fictitious', dateOfBirth: '1985-07-15' }],
    ['name Jordan Fictitious 5.7.1985', { kind: 'name', name: 'Jordan Fictitious', dateOfBirth: '1985-07-05' }],
  ])('reads "%s"', (typed, query) => {
    expect(readSearchTerms(typed)).toEqual({ ok: true, query });
  });

  it.each([
    ['2015/00123', 'pnc', '2015/0012345X'],
    ['pnc 20150012345X', 'pnc', '2015/0012345X'],
    ['X12345', 'crn', 'X123456'],
    ['crn 123456', 'crn', 'X123456'],
    ['MAPPA-2026', 'caseRef', 'MAPPA-2026-0042'],
    ['case 42', 'caseRef', 'MAPPA-2026-0042'],
    ['Jordan Fictitious', 'name', '15/07/1985'],
    ['Jordan 15/07/1985', 'name', 'first name and surname'],
    ['15/07/1985', 'name', 'first name and surname'],
    ['Jordan Fictitious 31/02/1985', 'dateOfBirth', '15/07/1985'],
    ['visor', 'visor', 'find visor 12/345678'],
    ['', 'search', '2015/0012345X'],
    ['12345', 'search', 'X123456'],
  ])('refuses "%s", naming the %s format', (typed, field, shown) => {
    const r = readSearchTerms(typed);
    if (r.ok) throw new Error('expected a refusal');
    expect(r.error.field).toBe(field);
    expect(r.error.message).toContain(shown);
  });

  it("answers with the format, never with what was typed (it may be someone's identifier)", () => {
    const messages = ['2016/00123', '1999/7'].map((t) => {
      const r = readSearchTerms(t);
      return r.ok ? '' : r.error.message;
    });
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).not.toContain('2016');
  });

  it('hashes one canonical form, whatever the case it was typed in', () => {
    const a = readSearchTerms('pnc 2015/0012345x');
    const b = readSearchTerms('2015/0012345X');
    if (!a.ok || !b.ok) throw new Error('expected both read');
    expect(canonicalTerms(a.query)).toBe(canonicalTerms(b.query));
  });

  it('matches a name in full or by first and last name, not by a different person', () => {
    const s = aSubject({ name: { given: 'Jordan Lee', family: 'Fictitious-Smith' } });
    expect(nameMatches('jordan lee fictitious smith', s)).toBe(true);
    expect(nameMatches('Jordan Smith', s)).toBe(true);
    expect(nameMatches('Jordan Fictitious', s)).toBe(false);
    expect(nameMatches('Lee Smith', s)).toBe(false);
  });
});
