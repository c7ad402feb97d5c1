import type { z } from 'zod';
import { matchAgency } from '../../domain/agency-match';
import type { Agency } from '../../domain/agency.schema';
import { RoshLevel } from '../../domain/common.schema';
import { isIsoDate } from '../../domain/dates';
import { err, ok, type Result } from '../../lib/result';
import type { Choice, FormContext, SectionValue } from './form-types';

/* ---------- parsing helpers: words in, values out ---------- */

/** Words people use for an empty list: "none", "None identified", "n/a", "nil", "not known"… */
export const NONE =
  /^(none|none (?:identified|known|recorded|at (?:this stage|present))|n\/a|na|nil|no|nothing|not applicable|not known)\.?$/i;
export const cleaned = (raw: string) => raw.trim();

export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
export const monthOf = (word: string): number | undefined => {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return undefined;
  const i = MONTHS.findIndex((m) => m.startsWith(w) || (w === 'sept' && m === 'september'));
  return i < 0 ? undefined : i + 1;
};
export const isoOf = (y: string, m: number | string, d: string): string | null => {
  const iso = `${y}-${String(m).padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
};

/**
 * A date as people write it, UK day first: 2024-03-04 (what a date picker sends), 4/3/2024,
 * 04-03-2024, 04.03.2024, "2 February 2030", "2nd Feb 2030", "Sat 2 Feb 2030" and "February 2, 2030".
 */
export function parseUkDate(raw: string): string | null {
  const s = raw
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? /i, '');
  if (isIsoDate(s)) return s;
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (numeric) return isoOf(numeric[3]!, numeric[2]!, numeric[1]!);
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+\.?),? (\d{4})$/.exec(s);
  const monthFirst = /^([A-Za-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(s);
  const [day, month, year] = dayFirst
    ? [dayFirst[1]!, dayFirst[2]!, dayFirst[3]!]
    : monthFirst
      ? [monthFirst[2]!, monthFirst[1]!, monthFirst[3]!]
      : [];
  const m = month === undefined ? undefined : monthOf(month);
  return m === undefined ? null : isoOf(year!, m, day!);
}

export const DATE_HINT = 'For example 2 February 2030 or 02/02/2030';
export const DATE_ERROR = 'Give a real date, for example 2 February 2030 or 02/02/2030.';

export function parseYesNo(raw: string): boolean | null {
  const s = raw.trim().toLowerCase().replace(/[.!]$/, '');
  if (['yes', 'y', 'true', 'agreed', 'approved', 'yes please'].includes(s)) return true;
  if (['no', 'n', 'false', 'not yet'].includes(s)) return false;
  return null;
}

export function splitLines(raw: string, separators = /\r?\n|;/): string[] {
  return raw
    .split(separators)
    .map((s) => s.replace(/^\s*[-*•]\s*/, '').trim())
    .filter(Boolean);
}

export function pickChoice(raw: string, choices: readonly Choice[]): Choice | undefined {
  const s = raw.trim().toLowerCase();
  const n = Number(s);
  if (Number.isInteger(n) && n >= 1 && n <= choices.length && String(n) === s) return choices[n - 1];
  return choices.find((c) => c.value.toLowerCase() === s || c.title.toLowerCase() === s);
}

/** "1, 3", the values a multi-select sends ("a,b"), or "none" against a numbered list. */
export function pickMany(raw: string, choices: readonly Choice[]): Result<string[], string> {
  if (NONE.test(raw.trim())) return ok([]);
  const parts = raw
    .split(/[,;\s]+|\band\b/)
    .map((s) => s.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    const c = pickChoice(p, choices);
    if (!c) return err(`"${p}" is not one of the numbers listed. Reply with numbers such as 1, 3, or "none".`);
    if (!out.includes(c.value)) out.push(c.value);
  }
  return out.length > 0 ? ok(out) : err('Reply with the numbers that apply, or "none".');
}

export const ROSH_WORDS: Readonly<Record<string, z.infer<typeof RoshLevel>>> = {
  l: 'LOW',
  low: 'LOW',
  m: 'MEDIUM',
  med: 'MEDIUM',
  medium: 'MEDIUM',
  h: 'HIGH',
  high: 'HIGH',
  vh: 'VERY_HIGH',
  'very high': 'VERY_HIGH',
  very_high: 'VERY_HIGH',
};
export const ROSH_TEXT: Readonly<Record<z.infer<typeof RoshLevel>, string>> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  VERY_HIGH: 'Very high',
};
export const roshOf = (word: string) => ROSH_WORDS[word.trim().toLowerCase().replace(/\s+/g, ' ')];
export const roshChoices: Choice[] = RoshLevel.options.map((r) => ({ value: r, title: ROSH_TEXT[r] }));

/** The agency a typed name means, or a message naming the candidates (or the list) to choose from. */
export function agencyFor(typed: string, agencies: readonly Agency[]): Result<Agency, string> {
  const m = matchAgency(typed, agencies);
  if (m.kind === 'one') return ok(m.agency);
  if (m.kind === 'several')
    return err(`"${typed.trim()}" could be ${m.candidates.map((a) => a.name).join(', or ')}. Write the one you mean.`);
  return err(
    `I do not know the agency "${typed.trim()}". Use one of: ${agencies
      .slice(0, 20)
      .map((a) => a.name)
      .join(', ')}.`,
  );
}

export const agencyName = (ctx: FormContext, id: string) => ctx.agencies.find((x) => x.id === id)?.name ?? id;
export const agencyChoices = (ctx: FormContext): Choice[] => ctx.agencies.map((a) => ({ value: a.id, title: a.name }));

/**
 * A typed line split at "|" into at most `max` parts. More parts than that would have been dropped
 * silently (a fifth part of an agency line was once lost), so they are refused, naming the line.
 */
export function bar(line: string, max: number, shape: string): Result<string[], string> {
  const parts = line.split('|').map((s) => s.trim());
  return parts.length > max
    ? err(`"${line}" has ${parts.length} parts separated by |, but only ${max} are read: write it as ${shape}.`)
    : ok(parts);
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const yesNoText = (v: unknown) => (v === true ? 'Yes' : v === false ? 'No' : undefined);
export const yesNoValue = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : '');
export const listText = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.map(String).join('; ') : undefined);
export const asRecord = (v: unknown): SectionValue =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as SectionValue) : {};
export const asList = (v: unknown): SectionValue[] => (Array.isArray(v) ? v.map(asRecord) : []);
export const YES_NO: Choice[] = [
  { value: 'yes', title: 'Yes' },
  { value: 'no', title: 'No' },
];
