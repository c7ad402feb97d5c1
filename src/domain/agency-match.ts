/*
 * Matching an agency name as a practitioner types it ("children's services", "YOT", "NHS") to the
 * area's agency list. Areas rename and add agencies, so the list is the truth: a short name only
 * counts for an agency the area actually has, and anything that fits more than one agency comes
 * back as candidates for the person to choose between rather than a guess.
 */

export interface NamedAgency {
  readonly id: string;
  readonly name: string;
}

export type AgencyMatch<A extends NamedAgency> =
  | { readonly kind: 'one'; readonly agency: A }
  | { readonly kind: 'several'; readonly candidates: readonly A[] }
  | { readonly kind: 'none' };

/**
 * Case, apostrophes, punctuation, "&" and spacing do not tell agencies apart, and neither does a
 * plural ("children's services" / "childrens service").
 */
export function normaliseAgencyName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
    .join(' ');
}

/*
 * Short names practitioners use, keyed by their normalised form, each naming the catalogue ids it
 * may mean in either jurisdiction. "NHS" and "mental health" list every agency they could be, so
 * they resolve only where the area has exactly one of them.
 */
const SHORT_NAMES: ReadonlyArray<readonly [names: readonly string[], ids: readonly string[]]> = [
  [
    [
      'csc',
      'children service',
      'children social care',
      'children social service',
      'children social work',
      'child protection',
    ],
    ['la-childrens-services'],
  ],
  [['asc', 'adult service', 'adult social care', 'adult social service', 'adult social work'], ['la-adult-services']],
  [
    ['social service', 'social work', 'social care'],
    ['la-childrens-services', 'la-adult-services', 'local-authority'],
  ],
  [['jsw', 'cjsw', 'justice social work', 'criminal justice social work'], ['local-authority']],
  [
    [
      'yot',
      'yos',
      'yjs',
      'yjt',
      'youth justice',
      'youth justice service',
      'youth justice team',
      'youth offending',
      'youth offending service',
    ],
    ['yot'],
  ],
  [['jcp', 'jobcentre', 'jobcentre plus', 'job centre', 'job centre plus'], ['dwp']],
  [
    ['prison', 'hmp', 'hmpps prisons'],
    ['prisons', 'sps'],
  ],
  [['hmpps'], ['prisons', 'probation']],
  [['nps', 'national probation service', 'pdu'], ['probation']],
  [['nhs'], ['nhs-england', 'nhs-trust', 'icb', 'health-board']],
  [
    ['mental health', 'mental health trust', 'mental health service', 'mh', 'mh trust', 'cmht'],
    ['nhs-trust', 'health-board'],
  ],
  [['ccg', 'icb', 'lhb', 'clinical commissioning group', 'integrated care board'], ['icb']],
  [['public health'], ['la-health']],
  [['housing', 'council housing', 'housing department', 'housing service', 'housing options'], ['housing-authority']],
  [
    ['housing association', 'social landlord', 'registered social landlord', 'rsl', 'registered provider'],
    ['registered-provider', 'rsl'],
  ],
  [
    ['police', 'constabulary', 'the police'],
    ['police', 'police-scotland'],
  ],
  [['em', 'tagging', 'tag', 'electronic monitoring', 'em provider'], ['em-provider']],
  [['immigration', 'home office', 'ukvi', 'border force', 'immigration enforcement'], ['home-office-immigration']],
  [['education', 'school'], ['la-education']],
  [['mod', 'army', 'armed forces', 'military'], ['mod']],
  [['sps', 'scottish prisons'], ['sps']],
  [['scra', 'children reporter', 'reporter', 'children hearing'], ['principal-reporter']],
  [['sss'], ['social-security-scotland']],
];

const SHORT_NAME_IDS: ReadonlyMap<string, readonly string[]> = new Map(
  SHORT_NAMES.flatMap(([names, ids]) => names.map((n) => [normaliseAgencyName(n), ids] as const)),
);

/** Words that say nothing about which agency is meant, so a phrase of only these matches none. */
const FILLER = new Set(['and', 'of', 'for', 'the', 'a', 'an', 'or']);

function result<A extends NamedAgency>(found: readonly A[]): AgencyMatch<A> {
  const unique = [...new Set(found)];
  if (unique.length === 0) return { kind: 'none' };
  return unique.length === 1 ? { kind: 'one', agency: unique[0]! } : { kind: 'several', candidates: unique };
}

/**
 * The agency a typed name means: the exact name or id (normalised), else a common short name the
 * area has, else the agencies whose name or id contains the typed words in order (the last may be
 * cut short, "testshire child"). Several fits come back as candidates, never as a guess.
 */
export function matchAgency<A extends NamedAgency>(typed: string, agencies: readonly A[]): AgencyMatch<A> {
  const s = normaliseAgencyName(typed);
  if (s === '' || s.split(' ').every((w) => FILLER.has(w))) return { kind: 'none' };
  const keys = agencies.map((a) => ({ a, name: normaliseAgencyName(a.name), id: normaliseAgencyName(a.id) }));

  const exact = keys.filter((k) => k.name === s || k.id === s).map((k) => k.a);
  if (exact.length > 0) return result(exact);

  const ids = SHORT_NAME_IDS.get(s);
  const short = ids ? agencies.filter((a) => ids.includes(a.id)) : [];
  if (short.length > 0) return result(short);

  if (s.length < 3) return { kind: 'none' };
  const phrase = ` ${s}`;
  return result(keys.filter((k) => ` ${k.name}`.includes(phrase) || ` ${k.id}`.includes(phrase)).map((k) => k.a));
}
