import { defaultAgencies } from '../../../src/domain/agency-catalogue';
import { matchAgency, normaliseAgencyName } from '../../../src/domain/agency-match';

const englandWales = defaultAgencies('england-wales');
const scotland = defaultAgencies('scotland');

/** The ids the match resolved to: one id, several (sorted), or none. */
function idsFor(typed: string, agencies = englandWales): string | string[] | null {
  const m = matchAgency(typed, agencies);
  if (m.kind === 'one') return m.agency.id;
  if (m.kind === 'several') return m.candidates.map((a) => a.id).sort();
  return null;
}

describe('normaliseAgencyName', () => {
  test.each([
    ["Children's Services", 'children service'],
    ['children’s   services', 'children service'],
    ['CHILDRENS SERVICES.', 'children service'],
    ['Health & Social Care', 'health and social care'],
    ['la-childrens-services', 'la children service'],
    ['  Probation  ', 'probation'],
    ['Integrated Care Board / Local Health Board', 'integrated care board local health board'],
  ])('%j becomes %j', (typed, expected) => {
    expect(normaliseAgencyName(typed)).toBe(expected);
  });
});

describe('matchAgency', () => {
  test.each<[string, string]>([
    // The name as listed, whatever the case, apostrophes, punctuation or spacing.
    ["Local authority children's social care", 'la-childrens-services'],
    ['local authority childrens social care', 'la-childrens-services'],
    ['LOCAL AUTHORITY CHILDREN’S SOCIAL CARE', 'la-childrens-services'],
    ['Local  housing   authority', 'housing-authority'],
    ['Department for Work & Pensions (Jobcentre Plus)', 'dwp'],
    // The id.
    ['la-childrens-services', 'la-childrens-services'],
    ['nhs-trust', 'nhs-trust'],
    // Common short names.
    ["Children's services", 'la-childrens-services'],
    ['childrens services', 'la-childrens-services'],
    ['CSC', 'la-childrens-services'],
    ["children's social care", 'la-childrens-services'],
    ['Adult social care', 'la-adult-services'],
    ['YOT', 'yot'],
    ['YJS', 'yot'],
    ['youth justice', 'yot'],
    ['Youth Offending Service', 'yot'],
    ['Jobcentre', 'dwp'],
    ['prison', 'prisons'],
    ['Probation', 'probation'],
    ['Housing', 'housing-authority'],
    ['mental health', 'nhs-trust'],
    ['Police', 'police'],
  ])('%j is %s (England and Wales)', (typed, id) => {
    expect(idsFor(typed)).toBe(id);
  });

  it('offers the candidates when a name fits more than one agency', () => {
    expect(idsFor('NHS')).toEqual(['icb', 'nhs-england', 'nhs-trust']);
    expect(idsFor('HMPPS')).toEqual(['prisons', 'probation']);
    expect(idsFor('social services')).toEqual(['la-adult-services', 'la-childrens-services']);
    expect(idsFor('Local authority')).toEqual([
      'la-adult-services',
      'la-childrens-services',
      'la-education',
      'la-health',
    ]);
  });

  it('resolves a short name only to agencies the area has', () => {
    expect(idsFor('NHS', scotland)).toBe('health-board');
    expect(idsFor('mental health', scotland)).toBe('health-board');
    expect(idsFor('Police', scotland)).toBe('police-scotland');
    expect(idsFor('YOT', scotland)).toBeNull();
  });

  it('matches an agency the area renamed by the words of its name', () => {
    const renamed = englandWales.map((a) =>
      a.id === 'la-childrens-services' ? { ...a, name: "Testshire Children's Services" } : a,
    );
    expect(idsFor("children's services", renamed)).toBe('la-childrens-services');
    expect(idsFor('testshire childrens', renamed)).toBe('la-childrens-services');
  });

  it('knows nothing of blank or unrelated names', () => {
    expect(idsFor('')).toBeNull();
    expect(idsFor('   ')).toBeNull();
    expect(idsFor('Fire and Rescue')).toBeNull();
    expect(idsFor('&')).toBeNull();
  });
});
