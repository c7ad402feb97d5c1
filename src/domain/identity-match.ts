import type { PersonName, SubjectIdentifiers } from './subject.schema';

/** What identity matching compares: the person as a record holds them or as someone typed them. */
export interface PersonIdentity {
  readonly name: PersonName;
  readonly dateOfBirth?: string | undefined;
  readonly identifiers: SubjectIdentifiers;
}

/**
 * - `same`: at least one identifier in common, no identifier of the same kind differing, and the same
 *   name and date of birth. Only this may be linked to an existing record without a person deciding.
 * - `conflict`: an identifier in common, but the name, date of birth or another identifier differs.
 *   Either someone mistyped a reference number or two records describe one person; a co-ordinator
 *   must decide, and nothing is linked until they do.
 * - `none`: no identifier in common. Two people can share a name and date of birth, so those alone
 *   never match.
 */
export type IdentityMatch = 'same' | 'conflict' | 'none';

type IdKind = keyof SubjectIdentifiers;

const normText = (s: string) =>
  s
    .normalize('NFKC')
    .trim()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/\s+/g, ' ')
    .toLowerCase();

/** PNC and CRN are case-insensitive by format; the others are compared as typed, trimmed. */
export function normaliseIdentifier(kind: IdKind, value: string): string {
  const v = value.trim();
  return kind === 'pnc' || kind === 'crn' ? v.toUpperCase() : v;
}

function entries(ids: SubjectIdentifiers): [IdKind, string][] {
  return (Object.entries(ids) as [IdKind, string | undefined][]).filter(
    (e): e is [IdKind, string] => typeof e[1] === 'string' && e[1].trim() !== '',
  );
}

/** The one rule every intake path (Teams form, intake API, referral) uses to decide who a person is. */
export function compareIdentity(existing: PersonIdentity, wanted: PersonIdentity): IdentityMatch {
  let shared = false;
  let differing = false;
  for (const [kind, value] of entries(wanted.identifiers)) {
    const theirs = existing.identifiers[kind];
    if (theirs === undefined || theirs.trim() === '') continue;
    if (normaliseIdentifier(kind, theirs) === normaliseIdentifier(kind, value)) shared = true;
    else differing = true;
  }
  if (!shared) return 'none';
  const sameDetails =
    existing.dateOfBirth === wanted.dateOfBirth &&
    normText(existing.name.given) === normText(wanted.name.given) &&
    normText(existing.name.family) === normText(wanted.name.family);
  return sameDetails && !differing ? 'same' : 'conflict';
}

/** The identifiers worth looking a person up by, normalised, in a stable order. */
export function lookupIdentifiers(ids: SubjectIdentifiers): { kind: IdKind; value: string }[] {
  return entries(ids).map(([kind, value]) => ({ kind, value: normaliseIdentifier(kind, value) }));
}
