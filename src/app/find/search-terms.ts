import { isIsoDate, type IsoDate } from '../../domain/dates';
import { SubjectIdentifiers } from '../../domain/subject.schema';
import { normaliseIdentifier } from '../../domain/identity-match';
import { CaseRef } from '../ports/case-repository.port';

/** What `find` searches by, read from what was typed. */
export type FindQuery =
  | { readonly kind: 'caseRef'; readonly value: string }
  | { readonly kind: 'pnc' | 'crn' | 'visor'; readonly value: string }
  | { readonly kind: 'name'; readonly name: string; readonly dateOfBirth: IsoDate };
export type FindKind = FindQuery['kind'];

/** Which part of the search was wrong, and what to type instead. */
export interface SearchTermError {
  readonly field: 'search' | 'caseRef' | 'pnc' | 'crn' | 'visor' | 'name' | 'dateOfBirth';
  readonly message: string;
}

export const FIND_EXAMPLES =
  'find 2015/0012345X (a PNC number), find X123456 (a CRN), find MAPPA-2026-0042 (a case reference), ' +
  'find visor and the ViSOR reference, or find and a name with the date of birth, for example ' +
  'find Jordan Fictitious 15/07/1985';

const MESSAGES = {
  search: `Type what to search by: ${FIND_EXAMPLES}.`,
  caseRef: 'Case references look like MAPPA-2026-0042: MAPPA, the year and the number.',
  pnc: 'A PNC number looks like 2015/0012345X: the year, a slash, up to seven digits and a check letter.',
  crn: 'A CRN looks like X123456: one letter and six digits.',
  visor: 'Type find visor and the ViSOR reference, for example find visor 12/345678.',
  name: 'To search by name, type the first name and surname, then the date of birth, for example find Jordan Fictitious 15/07/1985.',
  dateOfBirth: 'That date of birth is not a real date. Write it like 15/07/1985.',
} as const satisfies Record<SearchTermError['field'], string>;

const wrong = (field: SearchTermError['field']): { ok: false; error: SearchTermError } => ({
  ok: false,
  error: { field, message: MESSAGES[field] },
});

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad = (n: string) => n.padStart(2, '0');

/**
 * A date of birth at the end of the words, as people write them: 15/07/1985, 15-07-1985, 15.07.1985,
 * 1985-07-15 or 15 Jul 1985. `taken` is how many words it used; `date` is null when it looks like a
 * date but is not a real one (31/02/1985).
 */
function trailingDate(words: readonly string[]): { taken: number; date: IsoDate | null } | null {
  const last = words[words.length - 1] ?? '';
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(last);
  if (m) {
    const iso = `${m[3]}-${pad(m[2]!)}-${pad(m[1]!)}`;
    return { taken: 1, date: isIsoDate(iso) ? iso : null };
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(last);
  if (m) {
    const iso = `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
    return { taken: 1, date: isIsoDate(iso) ? iso : null };
  }
  if (words.length >= 3 && /^\d{4}$/.test(last)) {
    const day = words[words.length - 3]!;
    const month = MONTHS.indexOf(words[words.length - 2]!.slice(0, 3).toLowerCase());
    if (/^\d{1,2}$/.test(day) && month >= 0) {
      const iso = `${last}-${pad(String(month + 1))}-${pad(day)}`;
      return { taken: 3, date: isIsoDate(iso) ? iso : null };
    }
  }
  return null;
}

const PREFIXES: Readonly<Record<string, FindKind>> = {
  pnc: 'pnc',
  crn: 'crn',
  visor: 'visor',
  ref: 'caseRef',
  case: 'caseRef',
  name: 'name',
};

function asKind(kind: FindKind, text: string): { ok: true; query: FindQuery } | { ok: false; error: SearchTermError } {
  const v = text.trim();
  switch (kind) {
    case 'caseRef': {
      const ref = CaseRef.safeParse(v);
      return ref.success ? { ok: true, query: { kind, value: ref.data } } : wrong('caseRef');
    }
    case 'pnc':
    case 'crn': {
      const ok = SubjectIdentifiers.shape[kind].safeParse(v.replace(/\s+/g, ''));
      return ok.success && ok.data
        ? { ok: true, query: { kind, value: normaliseIdentifier(kind, ok.data) } }
        : wrong(kind);
    }
    case 'visor':
      return v.length >= 1 && v.length <= 40 ? { ok: true, query: { kind, value: v } } : wrong('visor');
    case 'name': {
      const words = v.split(' ').filter((w) => w !== '');
      const date = trailingDate(words);
      if (!date) return wrong('name');
      if (!date.date) return wrong('dateOfBirth');
      const name = words.slice(0, words.length - date.taken);
      if (name.length < 2 || name.some((w) => /\d/.test(w))) return wrong('name');
      return { ok: true, query: { kind: 'name', name: name.join(' '), dateOfBirth: date.date } };
    }
  }
}

/**
 * Reads what follows `find`. A leading pnc, crn, visor, ref or name says what it is; otherwise the
 * shape does (MAPPA-… a case reference, digits and a slash a PNC, a letter and digits a CRN, words
 * ending in a date a name). ViSOR references have no one format, so they need the word visor. Each
 * refusal names the expected format, never echoes the input back.
 */
export function readSearchTerms(raw: string): { ok: true; query: FindQuery } | { ok: false; error: SearchTermError } {
  const text = raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (text === '') return wrong('search');
  const [first = '', ...rest] = text.split(' ');
  const prefixed = PREFIXES[first.toLowerCase().replace(/:$/, '')];
  if (prefixed) return rest.length > 0 ? asKind(prefixed, rest.join(' ')) : wrong(prefixed);
  if (/^mappa/i.test(text)) return asKind('caseRef', text);
  const words = text.split(' ');
  const date = trailingDate(words);
  if (date && date.taken === words.length) return wrong('name'); // a date alone: whose?
  if (words.length === 1) {
    if (/^\d{1,4}\/\S*$/.test(text)) return asKind('pnc', text);
    if (/^[a-z]\d+$/i.test(text)) return asKind('crn', text);
    return wrong('search');
  }
  if (words.some((w) => /[a-z]/i.test(w))) return asKind('name', text);
  return wrong('search');
}

/** The search as the audit log's keyed hash takes it: the kind and the value as it was looked up. */
export function canonicalTerms(query: FindQuery): string {
  return query.kind === 'name'
    ? `name:${query.name.toLowerCase()}|${query.dateOfBirth}`
    : `${query.kind}:${query.value.toUpperCase()}`;
}
