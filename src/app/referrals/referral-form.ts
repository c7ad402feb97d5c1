import type { z } from 'zod';
import { matchAgency } from '../../domain/agency-match';
import type { Agency } from '../../domain/agency.schema';
import { Category, RoshLevel, type Jurisdiction } from '../../domain/common.schema';
import { isIsoDate } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import {
  assessCategory,
  categoriesFor,
  categoryInfo,
  factsSupportCategory,
  QualifyingDisposal,
} from '../../domain/eligibility';
import { SENIOR_OVERSIGHT_TEXT, SeniorOversightReason } from '../../domain/levels';
import { REFERRAL_SECTIONS } from '../../domain/referral-sections';
import { ReferralSections, type Referral, type ReferralSectionId } from '../../domain/referral.schema';
import { SubjectStatus } from '../../domain/subject.schema';
import { err, ok, type Result } from '../../lib/result';

/*
 * The MAPPA A as a list of plain-language questions. Each question turns an answer into a patch of
 * one section; the patch is then checked against the domain's section schema, so the rules live in
 * one place (src/domain) and this file only knows how people write things down.
 *
 * A question is answered one of two ways. Most are inputs on the section's card (choice sets, dates,
 * short text, rows of agencies or victims), described here as data so the bot layer only draws them.
 * The few that ask for an account in the referrer's own words are `typed`: asked on their own and
 * answered in the chat, where long text is easier to write and paste. A question asked on its own
 * (typed, or alone on its card) also takes a typed reply, read by `toPatch`.
 */

export type DraftSections = Referral['sections'];
type SectionValue = Record<string, unknown>;

/** What answering a question may depend on: the area and what the draft already says. */
export interface FormContext {
  readonly jurisdiction: Jurisdiction;
  /** The area's active agencies, for matching names typed by the referrer. */
  readonly agencies: readonly Agency[];
  readonly sections: DraftSections;
  /** Police-only questions (ViSOR intelligence) are only asked of agencies with ViSOR access. */
  readonly referrerHasVisorAccess: boolean;
  /** Today in the UK, for answers that cannot lie in the future (a date of birth). */
  readonly today?: string;
}

export interface Choice {
  readonly value: string;
  readonly title: string;
}

export type QuestionKind = 'text' | 'list' | 'date' | 'yesno' | 'choice' | 'multi' | 'compound';

/** One input on a card, as data: the bot layer turns it into an Adaptive Card input. */
export interface CardInput {
  /** Unique on the card; starts with the question id (`agencies.0.agencyId` for a row's agency). */
  readonly id: string;
  /** The input's label: what a screen reader announces, so every one is distinct on a card. */
  readonly label: string;
  readonly kind: 'text' | 'date' | 'choice' | 'multi' | 'toggle';
  readonly required: boolean;
  readonly multiline?: boolean;
  readonly maxLength?: number;
  /** Choice sets: a drop-down ('compact') for long lists, radio buttons or tick boxes otherwise. */
  readonly style?: 'compact' | 'expanded';
  readonly choices?: readonly Choice[];
  /** An example, shown inside an empty text box. */
  readonly placeholder?: string;
  /** A heading above the input, for the first input of a row ("Agency 2"). */
  readonly heading?: string;
  /** A tick box's own words, beside the box (its label is the question above it). */
  readonly title?: string;
}

/** What a card sent back: each input's value by input id (an unticked box or empty text is ''). */
export type CardValues = Readonly<Record<string, string>>;

export interface ReferralQuestion {
  readonly section: ReferralSectionId;
  /** Unique within the section; the section field it fills, or `field.part` for one part of it. */
  readonly id: string;
  /** The section field the answer lands in (a key of the section schema). */
  readonly field: string;
  readonly kind: QuestionKind;
  /** Short label for the review card. */
  readonly label: string;
  readonly prompt: (ctx: FormContext) => string;
  /** An example answer, shown under the question. */
  readonly hint?: string;
  /** Offered on the card; a typed reply is accepted by number, value or title. */
  readonly choices?: (ctx: FormContext) => readonly Choice[];
  /** False for questions that only refine a required field someone else fills. */
  readonly required: boolean;
  readonly appliesTo?: (ctx: FormContext) => boolean;
  /** `typed`: a free-text account, asked on its own in the chat; `card`: an input on the section's card. */
  readonly ask: 'card' | 'typed';
  /** The typed answer as a patch of the section, or a message saying what to change. */
  readonly toPatch: (raw: string, ctx: FormContext, current: SectionValue) => Result<SectionValue, string>;
  /** The current answer in words, or undefined when not answered. */
  readonly show: (current: SectionValue, ctx: FormContext) => string | undefined;
  /** The answer as separate lines for the review (one per agency or victim); defaults to `show`. */
  readonly showEach?: (current: SectionValue, ctx: FormContext) => { label: string; value: string }[];
  /** A list answered as rows of inputs (agencies, victims, documents), which a card can extend. */
  readonly repeats?: boolean;
  /** The card inputs that answer it; `moreRows` adds a fresh set of empty rows to a list of rows. */
  readonly inputs: (ctx: FormContext, current: SectionValue, moreRows?: boolean) => readonly CardInput[];
  /** The current answer as the inputs' values, so a card shows what is saved. */
  readonly values: (current: SectionValue, ctx: FormContext) => CardValues;
  /** The card's values as a patch; a blank optional answer is left blank, a blank required one refused. */
  readonly fromInputs: (values: CardValues, ctx: FormContext, current: SectionValue) => Result<SectionValue, string>;
  /** The patch that leaves the question blank (`skip`). */
  readonly clear: (current: SectionValue) => SectionValue;
}

/* ---------- parsing helpers: words in, values out ---------- */

/** Words people use for an empty list: "none", "None identified", "n/a", "nil", "not known"… */
export const NONE =
  /^(none|none (?:identified|known|recorded|at (?:this stage|present))|n\/a|na|nil|no|nothing|not applicable|not known)\.?$/i;
const cleaned = (raw: string) => raw.trim();

const MONTHS = [
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
const monthOf = (word: string): number | undefined => {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return undefined;
  const i = MONTHS.findIndex((m) => m.startsWith(w) || (w === 'sept' && m === 'september'));
  return i < 0 ? undefined : i + 1;
};
const isoOf = (y: string, m: number | string, d: string): string | null => {
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

const DATE_HINT = 'For example 2 February 2030 or 02/02/2030';
const DATE_ERROR = 'Give a real date, for example 2 February 2030 or 02/02/2030.';

export function parseYesNo(raw: string): boolean | null {
  const s = raw.trim().toLowerCase().replace(/[.!]$/, '');
  if (['yes', 'y', 'true', 'agreed', 'approved', 'yes please'].includes(s)) return true;
  if (['no', 'n', 'false', 'not yet'].includes(s)) return false;
  return null;
}

function splitLines(raw: string, separators = /\r?\n|;/): string[] {
  return raw
    .split(separators)
    .map((s) => s.replace(/^\s*[-*•]\s*/, '').trim())
    .filter(Boolean);
}

function pickChoice(raw: string, choices: readonly Choice[]): Choice | undefined {
  const s = raw.trim().toLowerCase();
  const n = Number(s);
  if (Number.isInteger(n) && n >= 1 && n <= choices.length && String(n) === s) return choices[n - 1];
  return choices.find((c) => c.value.toLowerCase() === s || c.title.toLowerCase() === s);
}

/** "1, 3", the values a multi-select sends ("a,b"), or "none" against a numbered list. */
function pickMany(raw: string, choices: readonly Choice[]): Result<string[], string> {
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

const ROSH_WORDS: Readonly<Record<string, z.infer<typeof RoshLevel>>> = {
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
const ROSH_TEXT: Readonly<Record<z.infer<typeof RoshLevel>, string>> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  VERY_HIGH: 'Very high',
};
const roshOf = (word: string) => ROSH_WORDS[word.trim().toLowerCase().replace(/\s+/g, ' ')];
const roshChoices: Choice[] = RoshLevel.options.map((r) => ({ value: r, title: ROSH_TEXT[r] }));

/** The agency a typed name means, or a message naming the candidates (or the list) to choose from. */
function agencyFor(typed: string, agencies: readonly Agency[]): Result<Agency, string> {
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

const agencyName = (ctx: FormContext, id: string) => ctx.agencies.find((x) => x.id === id)?.name ?? id;
const agencyChoices = (ctx: FormContext): Choice[] => ctx.agencies.map((a) => ({ value: a.id, title: a.name }));

/**
 * A typed line split at "|" into at most `max` parts. More parts than that would have been dropped
 * silently (a fifth part of an agency line was once lost), so they are refused, naming the line.
 */
function bar(line: string, max: number, shape: string): Result<string[], string> {
  const parts = line.split('|').map((s) => s.trim());
  return parts.length > max
    ? err(`"${line}" has ${parts.length} parts separated by |, but only ${max} are read: write it as ${shape}.`)
    : ok(parts);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const yesNoText = (v: unknown) => (v === true ? 'Yes' : v === false ? 'No' : undefined);
const yesNoValue = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : '');
const listText = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.map(String).join('; ') : undefined);
const asRecord = (v: unknown): SectionValue =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as SectionValue) : {};
const asList = (v: unknown): SectionValue[] => (Array.isArray(v) ? v.map(asRecord) : []);
const YES_NO: Choice[] = [
  { value: 'yes', title: 'Yes' },
  { value: 'no', title: 'No' },
];

/* ---------- question builders ---------- */

type Spec = Omit<
  ReferralQuestion,
  'required' | 'show' | 'toPatch' | 'field' | 'kind' | 'ask' | 'inputs' | 'values' | 'fromInputs' | 'clear'
> &
  Partial<
    Pick<ReferralQuestion, 'show' | 'toPatch' | 'field' | 'kind' | 'ask' | 'inputs' | 'values' | 'fromInputs' | 'clear'>
  > & {
    optional?: boolean;
    /** Required by the walk although the schema lets it be absent (the address, or "no fixed abode"). */
    mustAnswer?: boolean;
    /** The label of the card input, when the review label is too short to ask the question. */
    cardLabel?: string;
    /** The most the card's text box takes (the schema's limit). */
    max?: number;
    multiline?: boolean;
  };

function requiredFieldsOf(section: ReferralSectionId): readonly string[] {
  return REFERRAL_SECTIONS.find((s) => s.id === section)!.required;
}

/** The one input a simple question has, from its kind. */
function defaultInputs(spec: Spec, kind: QuestionKind, required: boolean): ReferralQuestion['inputs'] {
  const label = spec.cardLabel ?? spec.label;
  return (ctx) => {
    const base = { id: spec.id, label, required };
    if (kind === 'date') return [{ ...base, kind: 'date' }];
    if (kind === 'yesno') return [{ ...base, kind: 'choice', style: 'expanded', choices: YES_NO }];
    if (kind === 'choice') {
      const choices = spec.choices?.(ctx) ?? [];
      return [{ ...base, kind: 'choice', style: choices.length > 4 ? 'compact' : 'expanded', choices }];
    }
    if (kind === 'multi') return [{ ...base, required: false, kind: 'multi', choices: spec.choices?.(ctx) ?? [] }];
    return [
      {
        ...base,
        kind: 'text',
        multiline: spec.multiline ?? kind === 'list',
        maxLength: spec.max ?? 2000,
        ...(spec.hint ? { placeholder: spec.hint } : kind === 'list' ? { placeholder: 'One per line' } : {}),
      },
    ];
  };
}

function defaultValue(kind: QuestionKind, field: string): ReferralQuestion['values'] | undefined {
  if (kind === 'compound' || kind === 'multi') return undefined;
  return (cur) => {
    const v = cur[field];
    if (kind === 'list') return { [field]: Array.isArray(v) ? v.map(String).join('\n') : '' };
    if (kind === 'yesno') return { [field]: yesNoValue(v) };
    return { [field]: v === undefined || v === null ? '' : String(v) };
  };
}

function q(spec: Spec): ReferralQuestion {
  const field = spec.field ?? spec.id;
  const kind = spec.kind ?? 'text';
  const { optional, mustAnswer, cardLabel, max: _max, multiline: _multiline, ...rest } = spec;
  const required = mustAnswer === true || (!optional && requiredFieldsOf(spec.section).includes(field));
  const toPatch = spec.toPatch ?? ((raw: string) => ok({ [field]: cleaned(raw) }));
  const values =
    spec.values ??
    defaultValue(kind, field) ??
    (() => {
      throw new Error(`question ${spec.section}.${spec.id} needs its card values`);
    });
  const clear =
    spec.clear ??
    ((): SectionValue => {
      if (field !== spec.id) throw new Error(`question ${spec.section}.${spec.id} needs a way to be left blank`);
      return { [field]: undefined };
    });
  const label = cardLabel ?? spec.label;
  return {
    ...rest,
    field,
    kind,
    required,
    ask: spec.ask ?? 'card',
    toPatch,
    show: spec.show ?? ((cur) => str(cur[field])),
    inputs: spec.inputs ?? defaultInputs(spec, kind, required),
    values,
    clear,
    fromInputs:
      spec.fromInputs ??
      ((vals, ctx, cur) => {
        const raw = (vals[spec.id] ?? '').trim();
        // An empty multi-select is an answer: none of them apply.
        if (kind === 'multi') return toPatch(raw === '' ? 'none' : raw, ctx, cur);
        if (raw === '') return required ? err(`${label}: please answer this.`) : ok(clear(cur));
        const patch = toPatch(raw, ctx, cur);
        // On a card of several questions, the message must say which one it is about.
        return patch.ok || patch.error.startsWith(spec.label) ? patch : err(`${spec.label}: ${patch.error}`);
      }),
  };
}

const text = (section: ReferralSectionId, id: string, label: string, prompt: string, extra: Partial<Spec> = {}) =>
  q({ section, id, label, prompt: () => prompt, ...extra });

const list = (section: ReferralSectionId, id: string, label: string, prompt: string, extra: Partial<Spec> = {}) =>
  q({
    section,
    id,
    label,
    kind: 'list',
    prompt: () => `${prompt} Put each one on its own line or separate them with semicolons.`,
    toPatch: (raw) => ok({ [id]: NONE.test(raw.trim()) ? [] : splitLines(raw) }),
    show: (cur) => listText(cur[id]),
    ...extra,
  });

const date = (section: ReferralSectionId, id: string, label: string, prompt: string, extra: Partial<Spec> = {}) =>
  q({
    section,
    id,
    label,
    kind: 'date',
    prompt: () => prompt,
    hint: DATE_HINT,
    toPatch: (raw) => {
      const d = parseUkDate(raw);
      return d ? ok({ [id]: d }) : err(DATE_ERROR);
    },
    show: (cur) => (typeof cur[id] === 'string' ? formatUkDate(cur[id]) : undefined),
    ...extra,
  });

const yesNo = (section: ReferralSectionId, id: string, label: string, prompt: string, extra: Partial<Spec> = {}) =>
  q({
    section,
    id,
    label,
    kind: 'yesno',
    prompt: () => prompt,
    cardLabel: prompt,
    choices: () => YES_NO,
    toPatch: (raw) => {
      const b = parseYesNo(raw);
      return b === null ? err('Please answer yes or no.') : ok({ [id]: b });
    },
    show: (cur) => yesNoText(cur[id]),
    ...extra,
  });

function choice(
  section: ReferralSectionId,
  id: string,
  label: string,
  prompt: string,
  choices: (ctx: FormContext) => readonly Choice[],
  extra: Partial<Spec> = {},
) {
  return q({
    section,
    id,
    label,
    kind: 'choice',
    prompt: () => prompt,
    cardLabel: prompt,
    choices,
    toPatch: (raw, ctx) => {
      const c = pickChoice(raw, choices(ctx));
      return c ? ok({ [id]: c.value }) : err(`Choose one of:\n\n${numbered(choices(ctx))}`);
    },
    show: (cur, ctx) => {
      const v = cur[id];
      return v === undefined ? undefined : (choices(ctx).find((c) => c.value === String(v))?.title ?? String(v));
    },
    ...extra,
  });
}

/** A key inside an object field (`levelFacts.seniorOversightOther`): its value, and patches that set or drop it. */
function nested(field: string, key: string) {
  return {
    get: (cur: SectionValue): unknown => asRecord(cur[field])[key],
    set: (cur: SectionValue, value: unknown): SectionValue => ({ [field]: { ...asRecord(cur[field]), [key]: value } }),
    // Leaving a part blank must not create the object: an empty one would read as answered.
    drop: (cur: SectionValue): SectionValue => {
      if (cur[field] === undefined) return {};
      const { [key]: _dropped, ...rest } = asRecord(cur[field]);
      return { [field]: rest };
    },
  };
}

/** A numbered list, one option a line, so options whose words contain commas stay readable. */
const numbered = (choices: readonly Choice[]) => choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n');

/* ---------- lists answered as rows of inputs ---------- */

interface RowColumn {
  readonly key: string;
  /** The label of row n's input, e.g. (n) => `What agency ${n} does now`. */
  readonly label: (n: number) => string;
  /** The cell in words, for a message about a row ("what it does now"). */
  readonly name: string;
  readonly kind: 'text' | 'choice';
  readonly choices?: (ctx: FormContext) => readonly Choice[];
  readonly max: number;
  readonly placeholder?: string;
  /** Must be filled in on any row that is used. */
  readonly needed: boolean;
}

/**
 * Rows for a list (agencies, victims, documents): every saved entry as an editable row, then empty
 * rows. Cards cannot add inputs on the client, so "add more" saves the card and sends a fresh set.
 */
function rowInputs(
  id: string,
  columns: readonly RowColumn[],
  minRows: number,
  heading: (n: number) => string,
): ReferralQuestion['inputs'] {
  return (ctx, cur, moreRows) => {
    const saved = asList(cur[id]).length;
    const rows = moreRows ? saved + minRows : Math.max(minRows, saved + 1);
    return Array.from({ length: rows }, (_, r) =>
      columns.map((c, i): CardInput => ({
        id: `${id}.${r}.${c.key}`,
        label: c.label(r + 1),
        kind: c.kind,
        required: false,
        ...(c.kind === 'choice' ? { style: 'compact' as const, choices: c.choices?.(ctx) ?? [] } : {}),
        ...(c.kind === 'text' ? { maxLength: c.max } : {}),
        ...(c.placeholder && r === 0 ? { placeholder: c.placeholder } : {}),
        ...(i === 0 ? { heading: heading(r + 1) } : {}),
      })),
    ).flat();
  };
}

/** The rows a card sent, in order, skipping empty ones; each row's cells by column key. */
function rowsFrom(values: CardValues, id: string, columns: readonly RowColumn[]): { n: number; cells: CardValues }[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(values)) {
    const m = /^(.+)\.(\d{1,3})\.[^.]+$/.exec(key);
    if (m && m[1] === id) indexes.add(Number(m[2]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((r) => ({
      n: r + 1,
      cells: Object.fromEntries(columns.map((c) => [c.key, (values[`${id}.${r}.${c.key}`] ?? '').trim()])),
    }))
    .filter((row) => Object.values(row.cells).some((v) => v !== ''));
}

function rowValues(id: string, columns: readonly RowColumn[], cur: SectionValue): CardValues {
  return Object.fromEntries(
    asList(cur[id]).flatMap((entry, r) => columns.map((c) => [`${id}.${r}.${c.key}`, str(entry[c.key]) ?? ''])),
  );
}

/* ---------- facts asked as lists of choices ---------- */

type EligibilityFlag =
  | 'subjectToNotificationRequirements'
  | 'convicted'
  | 'cautionedOrEquivalent'
  | 'murderOrSchedule15Offence'
  | 'nonRegistrableSexualOffender'
  | 'disqualifiedFromWorkingWithChildren'
  | 'terrorismOffenceOrConnection'
  | 'raBelievesTerrorismRisk'
  | 'offenceShowsCapacityForSeriousHarm'
  | 'raBelievesMayCauseSeriousHarm'
  | 'needsActiveMultiAgencyManagement'
  | 'restrictedPatient'
  | 'subjectToCommunitySupervision';

const FLAG_TEXT: Readonly<Record<EligibilityFlag, string>> = {
  subjectToNotificationRequirements: 'Subject to sex offender notification requirements (registered)',
  convicted: 'Convicted of an offence',
  cautionedOrEquivalent: 'Cautioned, or found not guilty by insanity / unfit to plead but did the act',
  murderOrSchedule15Offence: 'Murder or a CJA 2003 Schedule 15 offence',
  nonRegistrableSexualOffender: 'A sexual offender who does not have to register',
  disqualifiedFromWorkingWithChildren: 'Disqualified from working with children',
  terrorismOffenceOrConnection: 'A terrorism offence, or a court found a terrorist connection',
  raBelievesTerrorismRisk: 'You believe they may be involved in terrorism-related activity',
  offenceShowsCapacityForSeriousHarm: 'The offence shows they can cause serious harm',
  raBelievesMayCauseSeriousHarm: 'You reasonably believe they may cause serious harm',
  needsActiveMultiAgencyManagement: 'Active multi-agency management is needed',
  restrictedPatient: 'A restricted patient',
  subjectToCommunitySupervision: 'Supervised in the community by an order or licence',
};

const FLAGS_FOR: Readonly<Record<Jurisdiction, readonly EligibilityFlag[]>> = {
  'england-wales': [
    'subjectToNotificationRequirements',
    'convicted',
    'cautionedOrEquivalent',
    'murderOrSchedule15Offence',
    'nonRegistrableSexualOffender',
    'disqualifiedFromWorkingWithChildren',
    'terrorismOffenceOrConnection',
    'raBelievesTerrorismRisk',
    'offenceShowsCapacityForSeriousHarm',
    'raBelievesMayCauseSeriousHarm',
    'needsActiveMultiAgencyManagement',
  ],
  scotland: [
    'subjectToNotificationRequirements',
    'convicted',
    'restrictedPatient',
    'subjectToCommunitySupervision',
    'needsActiveMultiAgencyManagement',
  ],
};

const flagChoices = (ctx: FormContext): Choice[] =>
  FLAGS_FOR[ctx.jurisdiction].map((f) => ({ value: f, title: FLAG_TEXT[f] }));

const DISPOSAL_TEXT: Readonly<Record<z.infer<typeof QualifyingDisposal>, string>> = {
  custody_12m_plus: 'Custody of 12 months or more',
  suspended_12m_plus: 'Suspended sentence of 12 months or more',
  yoi_12m_plus: 'Young offender institution, 12 months or more',
  dto_12m_plus: 'Detention and training order, 12 months or more',
  hm_pleasure: "Detention at His Majesty's pleasure",
  detention_12m_plus: 'Detention of 12 months or more',
  hospital_order: 'Hospital order',
  guardianship_order: 'Guardianship order',
};
const disposalChoices: Choice[] = QualifyingDisposal.options.map((d) => ({ value: d, title: DISPOSAL_TEXT[d] }));

const L2_FLAGS = [
  { value: 'needsCoordinatedInterventions', title: 'Needs active, co-ordinated interventions from other agencies' },
  { value: 'steppingDownFromLevel3', title: 'Stepping down from Level 3' },
] as const;

// The Level 3 test's own words, so what the referrer picks reads as the decision will record it.
const seniorChoices: Choice[] = SeniorOversightReason.options.map((r) => ({
  value: r,
  title: SENIOR_OVERSIGHT_TEXT[r].charAt(0).toUpperCase() + SENIOR_OVERSIGHT_TEXT[r].slice(1),
}));

const levelRequestedOf = (ctx: FormContext) => ctx.sections.reason?.levelRequested;

const disposalKey = nested('eligibilityFacts', 'qualifyingDisposal');
const roshToPublicKey = nested('eligibilityFacts', 'roshToPublic');
const seniorOtherKey = nested('levelFacts', 'seniorOversightOther');
const cannotDeliverKey = nested('levelFacts', 'level2CannotDeliver');

const IDENTIFIER_PARTS = [
  { key: 'pnc', label: 'PNC number', placeholder: 'For example 2001/0123456X' },
  { key: 'crn', label: 'nDelius CRN', placeholder: 'For example X123456' },
  { key: 'visor', label: 'ViSOR number' },
  { key: 'prisonNumber', label: 'Prison number' },
  { key: 'chi', label: 'CHI number', scotlandOnly: true },
] as const;

const ROSH_GROUPS = [
  { key: 'public', label: 'Risk of serious harm to the public' },
  { key: 'knownAdult', label: 'Risk of serious harm to a known adult' },
  { key: 'children', label: 'Risk of serious harm to children' },
  { key: 'staff', label: 'Risk of serious harm to staff' },
  { key: 'prisoners', label: 'Risk of serious harm to prisoners (in custody only)', optional: true },
] as const;

const AGENCY_COLUMNS: readonly RowColumn[] = [
  {
    key: 'agencyId',
    label: (n) => `Agency ${n}: which agency`,
    name: 'the agency',
    kind: 'choice',
    choices: agencyChoices,
    max: 100,
    needed: true,
  },
  {
    key: 'involvement',
    label: (n) => `What agency ${n} does now`,
    name: 'what it does now',
    kind: 'text',
    max: 2000,
    placeholder: 'For example Housing options',
    needed: true,
  },
  {
    key: 'contributionRequired',
    label: (n) => `What agency ${n} must contribute`,
    name: 'what it must contribute',
    kind: 'text',
    max: 2000,
    placeholder: 'For example An address away from the victim',
    needed: true,
  },
];

const VICTIM_COLUMNS: readonly RowColumn[] = [
  {
    key: 'description',
    label: (n) => `Victim ${n}: who they are (describe rather than name)`,
    name: 'who they are',
    kind: 'text',
    max: 500,
    placeholder: 'For example Former partner',
    needed: true,
  },
  {
    key: 'relationship',
    label: (n) => `Victim ${n}: relationship to the person`,
    name: 'the relationship',
    kind: 'text',
    max: 200,
    needed: false,
  },
  {
    key: 'concerns',
    label: (n) => `Victim ${n}: concerns`,
    name: 'the concerns',
    kind: 'text',
    max: 4000,
    needed: false,
  },
];

const DOCUMENT_COLUMNS: readonly RowColumn[] = [
  {
    key: 'title',
    label: (n) => `Document ${n}: title`,
    name: 'the title',
    kind: 'text',
    max: 200,
    placeholder: 'For example OASys',
    needed: true,
  },
  {
    key: 'heldByAgencyId',
    label: (n) => `Document ${n}: held by`,
    name: 'the agency holding it',
    kind: 'choice',
    choices: agencyChoices,
    max: 100,
    needed: true,
  },
  {
    key: 'reference',
    label: (n) => `Document ${n}: reference`,
    name: 'the reference',
    kind: 'text',
    max: 200,
    needed: false,
  },
];

/** The entries of rows read from a card, or what to fix on which row. */
function readRows(
  values: CardValues,
  id: string,
  columns: readonly RowColumn[],
  noun: string,
  ctx: FormContext,
): Result<Record<string, string>[], string> {
  const out: Record<string, string>[] = [];
  for (const { n, cells } of rowsFrom(values, id, columns)) {
    const missing = columns.filter((c) => c.needed && cells[c.key] === '').map((c) => c.name);
    if (missing.length > 0) return err(`${noun} ${n}: fill in ${missing.join(' and ')}, or clear the whole row.`);
    for (const c of columns) {
      const v = cells[c.key]!;
      if (c.kind === 'choice' && v !== '' && !c.choices?.(ctx).some((x) => x.value === v))
        return err(`${noun} ${n}: choose ${c.name} from the list.`);
    }
    out.push(Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== '')));
  }
  return ok(out);
}

/* ---------- the questions, section by section ---------- */

const QUESTIONS: readonly ReferralQuestion[] = [
  // Referrer: who and which agency are filled in from the member record when the draft starts.
  text('referrer', 'jobTitle', 'Your job title', 'What is your job title?', {
    hint: 'For example Probation Officer',
    max: 200,
  }),
  text('referrer', 'managerName', 'Manager', 'Who is your manager signing this referral off?', {
    cardLabel: 'Your manager, who signs this referral off',
    max: 200,
  }),
  yesNo('referrer', 'managerApproved', 'Manager agreed', 'Has your manager agreed this referral?'),

  q({
    section: 'subject',
    id: 'name',
    label: 'Name',
    kind: 'compound',
    prompt: () => "What is the person's name? Give first name(s) then family name.",
    hint: 'For example Terry Imaginary',
    toPatch: (raw) => {
      const s = cleaned(raw);
      const comma = /^([^,]+),\s*(.+)$/.exec(s);
      if (comma) return ok({ name: { given: comma[2]!.trim(), family: comma[1]!.trim() } });
      const words = s.split(/\s+/).filter(Boolean);
      if (words.length < 2) return err('Give both a first name and a family name, for example Terry Imaginary.');
      return ok({ name: { given: words.slice(0, -1).join(' '), family: words[words.length - 1] } });
    },
    show: (cur) => {
      const n = asRecord(cur.name);
      return str(n.given) && str(n.family) ? `${String(n.given)} ${String(n.family)}` : undefined;
    },
    inputs: () => [
      { id: 'name.given', label: 'First name(s)', kind: 'text', required: true, maxLength: 100 },
      { id: 'name.family', label: 'Family name', kind: 'text', required: true, maxLength: 100 },
    ],
    values: (cur) => {
      const n = asRecord(cur.name);
      return { 'name.given': str(n.given) ?? '', 'name.family': str(n.family) ?? '' };
    },
    fromInputs: (values) => {
      const given = (values['name.given'] ?? '').trim();
      const family = (values['name.family'] ?? '').trim();
      if (!given || !family)
        return err(
          `Name: give the ${!given && !family ? 'first and family names' : !given ? 'first name' : 'family name'}.`,
        );
      return ok({ name: { given, family } });
    },
  }),
  list(
    'subject',
    'aliases',
    'Aliases',
    'Any aliases or nicknames? Say if they are gang-related. Reply "none" if none.',
    {
      optional: true,
      cardLabel: 'Aliases or nicknames (say if gang-related)',
      hint: 'One per line, or leave blank if none',
      max: 2000,
      toPatch: (raw) => ok({ aliases: NONE.test(raw.trim()) ? [] : splitLines(raw, /\r?\n|;|,/) }),
    },
  ),
  date('subject', 'dateOfBirth', 'Date of birth', 'What is their date of birth?', {
    toPatch: (raw, ctx) => {
      const d = parseUkDate(raw);
      if (!d) return err('Give a real date of birth, for example 4 March 1985 or 04/03/1985.');
      if (ctx.today !== undefined && d > ctx.today)
        return err('Date of birth: that date is in the future. Give the date they were born.');
      return ok({ dateOfBirth: d });
    },
  }),
  text('subject', 'gender', 'Gender', 'What is their gender?', { max: 50 }),
  text('subject', 'ethnicity', 'Ethnicity', 'What is their ethnicity, in words (not a code)?', {
    cardLabel: 'Ethnicity, in words (not a code)',
    hint: 'For example White British',
    max: 100,
  }),
  q({
    section: 'subject',
    id: 'address',
    label: 'Address',
    kind: 'compound',
    mustAnswer: true,
    prompt: () => 'What is their current address? Reply "NFA" if they have no fixed abode.',
    toPatch: (raw) => {
      const s = cleaned(raw);
      return /^(nfa|no fixed abode|no fixed address)$/i.test(s)
        ? ok({ address: undefined, noFixedAbode: true })
        : ok({ address: s, noFixedAbode: false });
    },
    show: (cur) => (cur.noFixedAbode === true ? 'No fixed abode' : str(cur.address)),
    inputs: () => [
      { id: 'address', label: 'Current address', kind: 'text', required: false, multiline: true, maxLength: 500 },
      {
        id: 'address.nfa',
        label: 'Or, if there is no address',
        title: 'No fixed abode',
        kind: 'toggle',
        required: false,
      },
    ],
    values: (cur) => ({ address: str(cur.address) ?? '', 'address.nfa': cur.noFixedAbode === true ? 'true' : 'false' }),
    fromInputs: (values) => {
      const address = (values.address ?? '').trim();
      if (values['address.nfa'] === 'true') return ok({ address: undefined, noFixedAbode: true });
      return address
        ? ok({ address, noFixedAbode: false })
        : err('Address: give their current address, or tick "No fixed abode".');
    },
    clear: () => ({ address: undefined, noFixedAbode: undefined }),
  }),
  text('subject', 'areaOfClosestLinks', 'Area of closest links', 'Which area do they have the closest links to?', {
    appliesTo: (ctx) => ctx.sections.subject?.noFixedAbode === true,
    cardLabel: 'No fixed abode: which area do they have the closest links to?',
    max: 200,
  }),
  text(
    'subject',
    'approvedReleaseAddress',
    'Approved release address',
    'If in custody, what is the approved release address? Type **skip** to leave it blank if not known yet.',
    {
      appliesTo: (ctx) => ctx.sections.subject?.status !== 'community',
      cardLabel: 'If in custody: approved release address (leave blank if not known yet)',
      multiline: true,
      max: 500,
    },
  ),
  q({
    section: 'subject',
    id: 'identifiers',
    label: 'Reference numbers',
    kind: 'compound',
    prompt: () =>
      'Which reference numbers do you know? Write each with its name: PNC, CRN, ViSOR, prison number' +
      ' (and CHI in Scotland). Reply "none" if you have none.',
    hint: 'For example PNC 2001/0123456X; CRN X123456',
    toPatch: (raw) => {
      if (NONE.test(raw.trim())) return ok({ identifiers: {} });
      const keys: Record<string, string> = {
        pnc: 'pnc',
        crn: 'crn',
        visor: 'visor',
        prison: 'prisonNumber',
        'prison number': 'prisonNumber',
        'prison no': 'prisonNumber',
        chi: 'chi',
      };
      const out: Record<string, string> = {};
      for (const part of splitLines(raw, /\r?\n|;|,/)) {
        const m = /^(pnc|crn|visor|prison(?: number| no)?|chi)\s*[:=-]?\s*(.+)$/i.exec(part);
        if (!m)
          return err(`Start each number with its name, for example "PNC 2001/0123456X". I could not read "${part}".`);
        out[keys[m[1]!.toLowerCase()]!] = m[2]!.trim().toUpperCase();
      }
      return ok({ identifiers: out });
    },
    show: (cur) => {
      const ids = asRecord(cur.identifiers);
      if (!cur.identifiers) return undefined;
      const parts = Object.entries(ids).map(
        ([k, v]) => `${k === 'prisonNumber' ? 'Prison' : k.toUpperCase()} ${String(v)}`,
      );
      return parts.length > 0 ? parts.join('; ') : 'None known';
    },
    inputs: (ctx) =>
      IDENTIFIER_PARTS.filter((p) => !('scotlandOnly' in p) || ctx.jurisdiction === 'scotland').map((p, i) => ({
        id: `identifiers.${p.key}`,
        label: p.label,
        kind: 'text' as const,
        required: false,
        maxLength: 40,
        ...('placeholder' in p ? { placeholder: p.placeholder } : {}),
        ...(i === 0 ? { heading: 'Reference numbers you know (leave blank any you do not)' } : {}),
      })),
    values: (cur) => {
      const ids = asRecord(cur.identifiers);
      return Object.fromEntries(IDENTIFIER_PARTS.map((p) => [`identifiers.${p.key}`, str(ids[p.key]) ?? '']));
    },
    fromInputs: (values, ctx) => {
      const out: Record<string, string> = {};
      for (const p of IDENTIFIER_PARTS) {
        if ('scotlandOnly' in p && ctx.jurisdiction !== 'scotland') continue;
        const v = (values[`identifiers.${p.key}`] ?? '').trim();
        if (v) out[p.key] = v.toUpperCase();
      }
      return ok({ identifiers: out });
    },
  }),
  choice('subject', 'status', 'Where they are now', 'Where is the person now?', () =>
    SubjectStatus.options.map((s) => ({ value: s, title: s[0]!.toUpperCase() + s.slice(1) })),
  ),

  choice('category', 'category', 'Category', 'Which MAPPA category do you think applies?', (ctx) =>
    categoriesFor(ctx.jurisdiction).map((c) => ({ value: c.category, title: c.label })),
  ),
  q({
    section: 'category',
    id: 'eligibilityFacts',
    label: 'Eligibility',
    kind: 'multi',
    cardLabel: 'Which of these are true? Tick all that apply.',
    prompt: (ctx) =>
      `Which of these are true? Reply with the numbers, for example 2, 4, or "none".\n\n${numbered(flagChoices(ctx))}`,
    choices: flagChoices,
    toPatch: (raw, ctx, cur) => {
      const picked = pickMany(raw, flagChoices(ctx));
      if (!picked.ok) return picked;
      const base = asRecord(cur.eligibilityFacts);
      const flags = Object.fromEntries(FLAGS_FOR[ctx.jurisdiction].map((f) => [f, picked.value.includes(f)]));
      return ok({ eligibilityFacts: { ...base, ...flags } });
    },
    show: (cur, ctx) => {
      if (!cur.eligibilityFacts) return undefined;
      const f = asRecord(cur.eligibilityFacts);
      const yes = FLAGS_FOR[ctx.jurisdiction].filter((k) => f[k] === true).map((k) => FLAG_TEXT[k]);
      return yes.length > 0 ? yes.join('; ') : 'None of the listed facts';
    },
    values: (cur, ctx) => {
      const f = asRecord(cur.eligibilityFacts);
      return { eligibilityFacts: FLAGS_FOR[ctx.jurisdiction].filter((k) => f[k] === true).join(',') };
    },
    clear: () => ({ eligibilityFacts: undefined }),
  }),
  q({
    section: 'category',
    id: 'eligibilityFacts.qualifyingDisposal',
    field: 'eligibilityFacts',
    label: 'Sentence or disposal',
    kind: 'choice',
    optional: true,
    prompt: () => 'Which sentence or disposal did they receive for that offence?',
    cardLabel:
      'If murder, a Schedule 15 offence or a sexual offence that does not need registration: which sentence or disposal did they receive?',
    choices: () => disposalChoices,
    // The disposal test applies to non-registrable sexual offenders too (CJA 2003 s.327(3)-(4)). Until
    // the facts are given it may apply, so the card asks it beside them.
    appliesTo: (ctx) => {
      if (ctx.jurisdiction !== 'england-wales') return false;
      const facts = ctx.sections.category?.eligibilityFacts;
      return !facts || facts.murderOrSchedule15Offence === true || facts.nonRegistrableSexualOffender === true;
    },
    toPatch: (raw, _ctx, cur) => {
      const c = pickChoice(raw, disposalChoices);
      return c ? ok(disposalKey.set(cur, c.value)) : err(`Choose one of:\n\n${numbered(disposalChoices)}`);
    },
    show: (cur) => {
      const d = disposalKey.get(cur);
      return typeof d === 'string' ? (DISPOSAL_TEXT[d as keyof typeof DISPOSAL_TEXT] ?? d) : undefined;
    },
    values: (cur) => ({ 'eligibilityFacts.qualifyingDisposal': str(disposalKey.get(cur)) ?? '' }),
    clear: disposalKey.drop,
  }),
  q({
    section: 'category',
    id: 'eligibilityFacts.roshToPublic',
    field: 'eligibilityFacts',
    label: 'RoSH to the public',
    kind: 'choice',
    optional: true,
    prompt: () => 'What is their assessed risk of serious harm to the public?',
    cardLabel: 'Assessed risk of serious harm to the public',
    choices: () => roshChoices,
    appliesTo: (ctx) => ctx.jurisdiction === 'scotland',
    toPatch: (raw, _ctx, cur) => {
      const r = roshOf(raw) ?? pickChoice(raw, roshChoices)?.value;
      return r ? ok(roshToPublicKey.set(cur, r)) : err('Answer Low, Medium, High or Very high.');
    },
    show: (cur) => {
      const r = roshToPublicKey.get(cur);
      return typeof r === 'string' ? ROSH_TEXT[r as keyof typeof ROSH_TEXT] : undefined;
    },
    values: (cur) => ({ 'eligibilityFacts.roshToPublic': str(roshToPublicKey.get(cur)) ?? '' }),
    clear: roshToPublicKey.drop,
  }),

  list('offence', 'indexOffences', 'Index offence(s)', 'What is the index offence, or offences?', {
    cardLabel: 'Index offence(s), one per line',
    hint: 'For example Wounding with intent (s.18)',
  }),
  text('offence', 'qualifyingCaution', 'Qualifying caution', 'Is there a qualifying caution instead of a conviction?', {
    appliesTo: (ctx) => ctx.sections.category?.category === 'cat3',
    cardLabel: 'Qualifying caution, if there is one instead of a conviction',
  }),
  text('offence', 'sentenceType', 'Sentence type', 'What type of sentence was given?', {
    hint: 'For example Determinate custody',
    max: 200,
  }),
  text('offence', 'sentenceLength', 'Sentence length', 'How long is the sentence?', {
    hint: 'For example 4 years',
    max: 100,
  }),
  date('offence', 'sentenceDate', 'Sentence date', 'On what date were they sentenced?'),
  text(
    'offence',
    'previousRelevantOffences',
    'Previous relevant offences',
    'Any previous offences relevant to the risk? Reply "none" if none.',
    { cardLabel: 'Previous offences relevant to the risk (leave blank if none)', multiline: true, max: 10_000 },
  ),
  date('offence', 'releaseDate', 'Release date', 'If in custody, when are they due for release?', {
    appliesTo: (ctx) => ctx.sections.subject?.status !== 'community',
    cardLabel: 'If in custody: release date',
  }),
  date('offence', 'licenceEndDate', 'Licence end date', 'When does the licence or order end?'),
  date('offence', 'mentalHealthReviewDate', 'Mental health review date', 'When is the next mental health review?', {
    appliesTo: (ctx) => ctx.sections.subject?.status === 'hospital',
  }),
  q({
    section: 'offence',
    id: 'hospitalDetention',
    label: 'Hospital detention',
    kind: 'compound',
    prompt: () => 'Hospital details: hospital | legal basis | responsible clinician (separate them with |).',
    hint: 'For example Testshire Secure Unit | s.37/41 MHA | Dr Kim Notreal',
    appliesTo: (ctx) => ctx.sections.subject?.status === 'hospital',
    toPatch: (raw) => {
      const parts = bar(raw, 3, 'hospital | legal basis | responsible clinician');
      if (!parts.ok) return parts;
      const [hospital, legalBasis, responsibleClinician] = parts.value;
      if (!hospital || !legalBasis) return err('Give at least the hospital and the legal basis, separated by |.');
      return ok({
        hospitalDetention: { hospital, legalBasis, ...(responsibleClinician ? { responsibleClinician } : {}) },
      });
    },
    show: (cur) => {
      const h = asRecord(cur.hospitalDetention);
      return h.hospital
        ? [h.hospital, h.legalBasis, h.responsibleClinician].filter(Boolean).map(String).join(' | ')
        : undefined;
    },
    inputs: () => [
      { id: 'hospitalDetention.hospital', label: 'Hospital', kind: 'text', required: false, maxLength: 200 },
      {
        id: 'hospitalDetention.legalBasis',
        label: 'Legal basis of detention',
        kind: 'text',
        required: false,
        maxLength: 200,
        placeholder: 'For example s.37/41 MHA',
      },
      {
        id: 'hospitalDetention.responsibleClinician',
        label: 'Responsible clinician',
        kind: 'text',
        required: false,
        maxLength: 200,
      },
    ],
    values: (cur) => {
      const h = asRecord(cur.hospitalDetention);
      return {
        'hospitalDetention.hospital': str(h.hospital) ?? '',
        'hospitalDetention.legalBasis': str(h.legalBasis) ?? '',
        'hospitalDetention.responsibleClinician': str(h.responsibleClinician) ?? '',
      };
    },
    fromInputs: (values) => {
      const [hospital, legalBasis, responsibleClinician] = ['hospital', 'legalBasis', 'responsibleClinician'].map((k) =>
        (values[`hospitalDetention.${k}`] ?? '').trim(),
      );
      if (!hospital && !legalBasis && !responsibleClinician) return ok({ hospitalDetention: undefined });
      if (!hospital || !legalBasis)
        return err('Hospital detention: give at least the hospital and the legal basis, or leave all three blank.');
      return ok({
        hospitalDetention: { hospital, legalBasis, ...(responsibleClinician ? { responsibleClinician } : {}) },
      });
    },
  }),
  // Asked last and typed: the account in the referrer's own words.
  list('offence', 'briefFacts', 'Brief facts', 'Give the brief facts as short points, in your own words.', {
    ask: 'typed',
  }),

  q({
    section: 'risk',
    id: 'rosh',
    label: 'RoSH',
    kind: 'compound',
    prompt: () =>
      'What is their OASys risk of serious harm to the public, known adults, children and staff, in that order' +
      ' (add a fifth for prisoners if in custody)? Use L, M, H or VH.',
    hint: 'For example M, H, L, L',
    toPatch: (raw) => {
      const parts = raw
        .split(/[,;/]/)
        .map((s) => s.trim())
        .filter(Boolean);
      const levels = parts.map(roshOf);
      if (parts.length < 4 || parts.length > 5 || levels.some((l) => l === undefined))
        return err(
          'Give four or five levels in order (public, known adult, children, staff, prisoners) using L, M, H or VH.',
        );
      const [pub, knownAdult, children, staff, prisoners] = levels;
      return ok({ rosh: { public: pub, knownAdult, children, staff, ...(prisoners ? { prisoners } : {}) } });
    },
    show: (cur) => {
      const r = asRecord(cur.rosh);
      if (!r.public) return undefined;
      const name = (k: string, label: string) =>
        r[k] ? `${label} ${ROSH_TEXT[r[k] as keyof typeof ROSH_TEXT]}` : null;
      return [
        name('public', 'Public'),
        name('knownAdult', 'Known adult'),
        name('children', 'Children'),
        name('staff', 'Staff'),
        name('prisoners', 'Prisoners'),
      ]
        .filter(Boolean)
        .join(', ');
    },
    inputs: () =>
      ROSH_GROUPS.map((g, i) => ({
        id: `rosh.${g.key}`,
        label: g.label,
        kind: 'choice' as const,
        style: 'compact' as const,
        required: !('optional' in g),
        choices: roshChoices,
        ...(i === 0 ? { heading: 'OASys risk of serious harm (RoSH)' } : {}),
      })),
    values: (cur) => {
      const r = asRecord(cur.rosh);
      return Object.fromEntries(ROSH_GROUPS.map((g) => [`rosh.${g.key}`, str(r[g.key]) ?? '']));
    },
    fromInputs: (values) => {
      const rosh: Record<string, string> = {};
      const missing: string[] = [];
      for (const g of ROSH_GROUPS) {
        const v = (values[`rosh.${g.key}`] ?? '').trim();
        if (v && !roshChoices.some((c) => c.value === v)) return err(`${g.label}: choose a level from the list.`);
        if (v) rosh[g.key] = v;
        else if (!('optional' in g)) missing.push(g.label.replace('Risk of serious harm to ', ''));
      }
      return missing.length > 0 ? err(`RoSH: choose a level for ${missing.join(', ')}.`) : ok({ rosh });
    },
  }),
  choice('risk', 'roshSetting', 'Assessed in', 'Was the RoSH assessed for the community or custody?', () => [
    { value: 'community', title: 'Community' },
    { value: 'custody', title: 'Custody' },
  ]),
  date('risk', 'assessedOn', 'Assessed on', 'When was the risk last assessed?'),
  q({
    section: 'risk',
    id: 'tools',
    label: 'Other tools',
    kind: 'list',
    optional: true,
    prompt: () => 'Any other risk tools and their results? One per line as tool: result. Reply "none" if none.',
    cardLabel: 'Other risk tools and their results, one per line as tool: result (leave blank if none)',
    hint: 'For example RM2000: High',
    toPatch: (raw) => {
      if (NONE.test(raw.trim())) return ok({ tools: [] });
      const tools = [];
      for (const line of splitLines(raw)) {
        const i = line.indexOf(':');
        if (i <= 0) return err(`Write each as tool: result. I could not read "${line}".`);
        tools.push({ name: line.slice(0, i).trim(), result: line.slice(i + 1).trim() });
      }
      return ok({ tools });
    },
    show: (cur) =>
      Array.isArray(cur.tools) && cur.tools.length > 0
        ? (cur.tools as { name: string; result: string }[]).map((t) => `${t.name}: ${t.result}`).join('; ')
        : undefined,
    values: (cur) => ({
      tools: asList(cur.tools)
        .map((t) => `${String(t.name)}: ${String(t.result)}`)
        .join('\n'),
    }),
  }),
  text(
    'risk',
    'visorIntelligence',
    'ViSOR / police-only intelligence',
    'Any ViSOR or police-only intelligence? Only agencies with ViSOR access will see it.',
    {
      appliesTo: (ctx) => ctx.referrerHasVisorAccess,
      cardLabel: 'ViSOR or police-only intelligence (only agencies with ViSOR access will see it)',
      multiline: true,
      max: 20_000,
    },
  ),
  list('risk', 'riskOfHarmFactors', 'Risk factors', 'What factors raise or reduce the risk?', { ask: 'typed' }),

  text('reason', 'reasonForReferral', 'Reason for referral', 'Why can your agency not manage the risk alone?', {
    ask: 'typed',
  }),
  q({
    section: 'reason',
    id: 'levelRequested',
    label: 'Level requested',
    kind: 'choice',
    prompt: () => 'Which level are you asking for: Level 2, Level 3, or ask the co-ordinator to advise?',
    cardLabel: 'Which level are you asking for?',
    choices: () => [
      { value: '2', title: 'Level 2' },
      { value: '3', title: 'Level 3' },
      { value: 'advise', title: 'Co-ordinator to advise' },
    ],
    toPatch: (raw) => {
      const s = raw
        .trim()
        .toLowerCase()
        .replace(/^level\s*/, '');
      if (s === '2' || s === '3') return ok({ levelRequested: Number(s) });
      if (/^(advise|co-?ordinator to advise|not sure|unsure)$/.test(s)) return ok({ levelRequested: 'advise' });
      if (s === '1')
        return err(
          'A referral asks for Level 2 or 3. Level 1 is managed by your agency without a referral, and Category 3 cases can only be managed at Level 2 or 3.',
        );
      return err('Answer 2, 3 or "advise".');
    },
    show: (cur) =>
      cur.levelRequested === 'advise'
        ? 'Co-ordinator to advise'
        : cur.levelRequested === undefined
          ? undefined
          : `Level ${String(cur.levelRequested)}`,
  }),
  yesNo(
    'reason',
    'levelFacts.addValue',
    'Meetings add value',
    'Would formal multi-agency meetings add value to managing the risk?',
    {
      field: 'levelFacts',
      toPatch: (raw, _ctx, cur) => {
        const b = parseYesNo(raw);
        return b === null
          ? err('Please answer yes or no.')
          : ok(nested('levelFacts', 'multiAgencyMeetingsAddValue').set(cur, b));
      },
      show: (cur) => yesNoText(asRecord(cur.levelFacts).multiAgencyMeetingsAddValue),
      values: (cur) => ({ 'levelFacts.addValue': yesNoValue(asRecord(cur.levelFacts).multiAgencyMeetingsAddValue) }),
      clear: nested('levelFacts', 'multiAgencyMeetingsAddValue').drop,
    },
  ),
  q({
    section: 'reason',
    id: 'levelFacts.level2',
    field: 'levelFacts',
    label: 'Other Level 2 reasons',
    kind: 'multi',
    optional: true,
    cardLabel: 'High or Very High RoSH is taken from the risk section. Do any of these also apply? Tick any that do.',
    prompt: () =>
      `High or Very High RoSH is taken from the risk section. Do any of these also apply? Reply with the numbers or "none".\n\n${numbered(L2_FLAGS)}`,
    choices: () => L2_FLAGS,
    toPatch: (raw, _ctx, cur) => {
      const picked = pickMany(raw, L2_FLAGS);
      if (!picked.ok) return picked;
      const flags = Object.fromEntries(L2_FLAGS.map((f) => [f.value, picked.value.includes(f.value)]));
      return ok({ levelFacts: { ...asRecord(cur.levelFacts), ...flags } });
    },
    show: (cur) => {
      const f = asRecord(cur.levelFacts);
      const yes = L2_FLAGS.filter((x) => f[x.value] === true).map((x) => x.title);
      return yes.length > 0 ? yes.join('; ') : undefined;
    },
    values: (cur) => {
      const f = asRecord(cur.levelFacts);
      return {
        'levelFacts.level2': L2_FLAGS.filter((x) => f[x.value] === true)
          .map((x) => x.value)
          .join(','),
      };
    },
    clear: (cur) =>
      cur.levelFacts === undefined
        ? {}
        : { levelFacts: { ...asRecord(cur.levelFacts), ...Object.fromEntries(L2_FLAGS.map((f) => [f.value, false])) } },
  }),
  q({
    section: 'reason',
    id: 'levelFacts.senior',
    field: 'levelFacts',
    label: 'Senior oversight',
    kind: 'multi',
    optional: true,
    cardLabel: 'Level 3 needs senior oversight. Which of these apply? Tick any that do.',
    prompt: () =>
      `Level 3 needs senior oversight. Which of these apply? Reply with the numbers or "none".\n\n${numbered(seniorChoices)}`,
    choices: () => seniorChoices,
    appliesTo: (ctx) => levelRequestedOf(ctx) === 3 || levelRequestedOf(ctx) === 'advise',
    toPatch: (raw, _ctx, cur) => {
      const picked = pickMany(raw, seniorChoices);
      return picked.ok
        ? ok({ levelFacts: { ...asRecord(cur.levelFacts), seniorOversightReasons: picked.value } })
        : picked;
    },
    show: (cur) => {
      const r = asRecord(cur.levelFacts).seniorOversightReasons;
      return Array.isArray(r) && r.length > 0
        ? r.map((x) => seniorChoices.find((c) => c.value === x)?.title ?? String(x)).join('; ')
        : undefined;
    },
    values: (cur) => {
      const r = asRecord(cur.levelFacts).seniorOversightReasons;
      return { 'levelFacts.senior': Array.isArray(r) ? r.map(String).join(',') : '' };
    },
    clear: (cur) =>
      cur.levelFacts === undefined ? {} : { levelFacts: { ...asRecord(cur.levelFacts), seniorOversightReasons: [] } },
  }),
  text(
    'reason',
    'levelFacts.seniorOther',
    'Other reason for senior oversight',
    'Any other reason senior managers must oversee the case?',
    {
      field: 'levelFacts',
      optional: true,
      appliesTo: (ctx) => levelRequestedOf(ctx) === 3,
      multiline: true,
      toPatch: (raw, _ctx, cur) => ok(seniorOtherKey.set(cur, cleaned(raw))),
      show: (cur) => str(seniorOtherKey.get(cur)),
      values: (cur) => ({ 'levelFacts.seniorOther': str(seniorOtherKey.get(cur)) ?? '' }),
      clear: seniorOtherKey.drop,
    },
  ),
  text(
    'reason',
    'levelFacts.level2CannotDeliver',
    'What Level 2 cannot deliver',
    'Which parts of the risk management plan could not be delivered at Level 2?',
    {
      field: 'levelFacts',
      optional: true,
      appliesTo: (ctx) => levelRequestedOf(ctx) === 3,
      multiline: true,
      max: 4000,
      toPatch: (raw, _ctx, cur) => ok(cannotDeliverKey.set(cur, cleaned(raw))),
      show: (cur) => str(cannotDeliverKey.get(cur)),
      values: (cur) => ({ 'levelFacts.level2CannotDeliver': str(cannotDeliverKey.get(cur)) ?? '' }),
      clear: cannotDeliverKey.drop,
    },
  ),

  q({
    section: 'agencies',
    id: 'agencies',
    label: 'Agencies',
    kind: 'compound',
    prompt: () => 'Which agencies are involved? One per line as agency | what it does now | what it must contribute.',
    hint: 'For example Housing | Housing options | An address away from the victim',
    toPatch: (raw, ctx) => {
      const out = [];
      for (const line of splitLines(raw, /\r?\n/)) {
        const parts = bar(line, 3, 'agency | what it does now | what it must contribute');
        if (!parts.ok) return parts;
        const [name = '', involvement, contributionRequired] = parts.value;
        const found = agencyFor(name, ctx.agencies);
        if (!found.ok) return found;
        const agency = found.value;
        if (!involvement || !contributionRequired)
          return err(`For ${agency.name}, say what it does now and what it must contribute, separated by |.`);
        out.push({ agencyId: agency.id, involvement, contributionRequired });
      }
      return out.length > 0 ? ok({ agencies: out }) : err('Name at least one agency.');
    },
    show: (cur, ctx) =>
      Array.isArray(cur.agencies) && cur.agencies.length > 0
        ? asList(cur.agencies)
            .map((a) => `${agencyName(ctx, String(a.agencyId))}: ${String(a.contributionRequired)}`)
            .join('; ')
        : undefined,
    showEach: (cur, ctx) =>
      asList(cur.agencies).map((a) => ({
        label: agencyName(ctx, String(a.agencyId)),
        value: `Does now: ${String(a.involvement)}. Must contribute: ${String(a.contributionRequired)}.`,
      })),
    repeats: true,
    inputs: rowInputs('agencies', AGENCY_COLUMNS, 5, (n) => `Agency ${n}`),
    values: (cur) => rowValues('agencies', AGENCY_COLUMNS, cur),
    fromInputs: (values, ctx) => {
      const rows = readRows(values, 'agencies', AGENCY_COLUMNS, 'Agency', ctx);
      if (!rows.ok) return rows;
      return rows.value.length > 0 ? ok({ agencies: rows.value }) : err('Agencies: name at least one agency.');
    },
  }),

  q({
    section: 'victims',
    id: 'victims',
    label: 'Victims',
    kind: 'compound',
    optional: true,
    prompt: () =>
      'Who are the identified or potential victims? Describe rather than name them. One per line as description | relationship | concerns, or "none".',
    hint: 'For example Former partner | ex-partner | lives nearby',
    toPatch: (raw) => {
      if (NONE.test(raw.trim())) return ok({ victims: [] });
      const victims = [];
      for (const line of splitLines(raw, /\r?\n/)) {
        const parts = bar(line, 3, 'description | relationship | concerns');
        if (!parts.ok) return parts;
        const [description, relationship, concerns] = parts.value;
        victims.push({ description, ...(relationship ? { relationship } : {}), ...(concerns ? { concerns } : {}) });
      }
      return ok({ victims });
    },
    show: (cur) => {
      if (!Array.isArray(cur.victims)) return undefined;
      const victims = asList(cur.victims);
      return victims.length > 0 ? victims.map((v) => victimText(v)).join('; ') : 'None identified';
    },
    showEach: (cur) => {
      const victims = asList(cur.victims);
      return victims.length > 0
        ? victims.map((v, i) => ({ label: `Victim ${i + 1}`, value: victimText(v) }))
        : Array.isArray(cur.victims)
          ? [{ label: 'Victims', value: 'None identified' }]
          : [];
    },
    repeats: true,
    inputs: rowInputs('victims', VICTIM_COLUMNS, 3, (n) => `Victim ${n}`),
    values: (cur) => rowValues('victims', VICTIM_COLUMNS, cur),
    // No rows filled in means none identified: the list may be empty.
    fromInputs: (values, ctx) => {
      const rows = readRows(values, 'victims', VICTIM_COLUMNS, 'Victim', ctx);
      return rows.ok ? ok({ victims: rows.value }) : rows;
    },
  }),
  yesNo('victims', 'victimLiaisonInvolved', 'Victim Liaison Officer', 'Is a Victim Liaison Officer involved?'),
  yesNo('victims', 'maracInvolved', 'MARAC', 'Is MARAC involved?'),
  text('victims', 'victimSafetyConcerns', 'Victim safety', 'What are the concerns for victim safety?', {
    cardLabel: 'Concerns for victim safety',
    multiline: true,
    max: 10_000,
  }),

  text(
    'safeguarding',
    'children',
    'Children',
    'Which children are in contact with the person or at risk? Write "none known" if so.',
    {
      cardLabel: 'Children in contact with the person or at risk (write "None known" if so)',
      multiline: true,
      max: 10_000,
    },
  ),
  text(
    'safeguarding',
    'vulnerableAdults',
    'Vulnerable adults',
    'Which vulnerable adults are in contact with the person or at risk? Write "none known" if so.',
    {
      cardLabel: 'Vulnerable adults in contact with the person or at risk (write "None known" if so)',
      multiline: true,
      max: 10_000,
    },
  ),

  text(
    'diversity',
    'diversityNeeds',
    'Diversity needs',
    'Any needs that affect how the person is managed (language, disability, faith, age, gender identity)? Write "none identified" if so.',
    {
      cardLabel:
        'Needs that affect how the person is managed: language, disability, faith, age, gender identity (write "None identified" if so)',
      multiline: true,
      max: 10_000,
    },
  ),
  text('diversity', 'barriers', 'Barriers', 'Any barriers to the plan?', {
    cardLabel: 'Barriers to the plan (leave blank if none)',
    multiline: true,
    max: 10_000,
  }),

  text(
    'disclosure',
    'considerations',
    'Disclosure considerations',
    'Might anyone outside MAPPA (victim, employer, partner) need to be told, and why would it be necessary and proportionate?',
    {
      multiline: true,
      max: 10_000,
      cardLabel:
        'Might anyone outside MAPPA (victim, employer, partner) need to be told? Why would it be necessary and proportionate?',
    },
  ),
  yesNo('disclosure', 'disclosureToDiscuss', 'Disclosure to discuss', 'Should the meeting discuss disclosure?'),

  q({
    section: 'attachments',
    id: 'documents',
    label: 'Documents',
    kind: 'compound',
    optional: true,
    prompt: () => 'Any documents held in agency systems? One per line as title | agency | reference, or "none".',
    hint: 'For example OASys | Probation | OASYS-1',
    toPatch: (raw, ctx) => {
      if (NONE.test(raw.trim())) return ok({ documents: [] });
      const out = [];
      for (const line of splitLines(raw, /\r?\n/)) {
        const parts = bar(line, 3, 'title | agency | reference');
        if (!parts.ok) return parts;
        const [title, agencyName = '', reference] = parts.value;
        if (!title || !agencyName) return err(`Write each as title | agency | reference. I could not read "${line}".`);
        const agency = agencyFor(agencyName, ctx.agencies);
        if (!agency.ok) return agency;
        out.push({ title, heldByAgencyId: agency.value.id, ...(reference ? { reference } : {}) });
      }
      return ok({ documents: out });
    },
    show: (cur, ctx) => {
      if (!Array.isArray(cur.documents)) return undefined;
      const docs = asList(cur.documents);
      return docs.length > 0 ? docs.map((d) => documentText(d, ctx)).join('; ') : 'None';
    },
    showEach: (cur, ctx) =>
      asList(cur.documents).map((d, i) => ({ label: `Document ${i + 1}`, value: documentText(d, ctx) })),
    repeats: true,
    inputs: rowInputs('documents', DOCUMENT_COLUMNS, 3, (n) => `Document ${n}`),
    values: (cur) => rowValues('documents', DOCUMENT_COLUMNS, cur),
    fromInputs: (values, ctx) => {
      const rows = readRows(values, 'documents', DOCUMENT_COLUMNS, 'Document', ctx);
      return rows.ok ? ok({ documents: rows.value }) : rows;
    },
  }),
];

function victimText(v: SectionValue): string {
  const who = str(v.relationship) ? `${String(v.description)} (${String(v.relationship)})` : String(v.description);
  return str(v.concerns) ? `${who}: ${String(v.concerns)}` : who;
}

function documentText(d: SectionValue, ctx: FormContext): string {
  const held = agencyName(ctx, String(d.heldByAgencyId));
  return `${String(d.title)}, held by ${held}${str(d.reference) ? `, reference ${String(d.reference)}` : ''}`;
}

/** The questions of one section, in the order the dialog asks them (some may not apply). */
export function sectionQuestions(section: ReferralSectionId): readonly ReferralQuestion[] {
  return QUESTIONS.filter((x) => x.section === section);
}

export function findQuestion(section: string, id: string): ReferralQuestion | undefined {
  return QUESTIONS.find((x) => x.section === section && x.id === id);
}

export const questionApplies = (question: ReferralQuestion, ctx: FormContext): boolean =>
  question.appliesTo?.(ctx) ?? true;

/** Has the field this question fills already got a value? */
export function isAnswered(question: ReferralQuestion, sections: DraftSections, ctx: FormContext): boolean {
  return question.show(asRecord(sections[question.section]), ctx) !== undefined;
}

/** The highest RoSH across groups, which the Level 2 test reads. */
export function highestRosh(rosh: SectionValue): z.infer<typeof RoshLevel> | undefined {
  const order = RoshLevel.options;
  const levels = Object.values(rosh).filter((v): v is z.infer<typeof RoshLevel> => order.includes(v as never));
  return levels.sort((a, b) => order.indexOf(b) - order.indexOf(a))[0];
}

const PART_NAMES: Readonly<Record<string, string>> = {
  pnc: 'PNC',
  crn: 'CRN',
  visor: 'ViSOR',
  prisonNumber: 'prison number',
  chi: 'CHI',
  given: 'first name',
  family: 'family name',
};

/** A schema issue as a sentence naming the question (and the part, for a number), never the schema's wording. */
function humanIssue(issue: z.core.$ZodIssue, label: string): string {
  const part = issue.path.map(String).find((p) => PART_NAMES[p]);
  const where = part ? `${label} (${PART_NAMES[part]})` : label;
  if (issue.code === 'too_small')
    return issue.origin === 'array' ? `${where}: give at least one.` : `${where}: this cannot be blank.`;
  if (issue.code === 'too_big') return `${where}: keep it shorter (at most ${String(issue.maximum)}).`;
  if (issue.code === 'invalid_format' || issue.code === 'custom') return `${where}: ${issue.message}`;
  return `${where}: that answer does not fit this question.`;
}

/** A patch merged into the section, each field it touches checked by the domain schema (defaults applied). */
function applyPatch(
  question: ReferralQuestion,
  patch: SectionValue,
  current: SectionValue,
): Result<SectionValue, string> {
  const shape = ReferralSections.shape[question.section].shape as Record<string, z.ZodType>;
  const next: SectionValue = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) {
      delete next[key];
      continue;
    }
    const schema = shape[key];
    if (!schema) return err('That answer does not belong in this section.');
    const parsed = schema.safeParse(value);
    if (!parsed.success) return err(humanIssue(parsed.error.issues[0]!, question.label));
    next[key] = parsed.data;
  }
  return ok(next);
}

/**
 * Checks one typed answer: parses the words, then validates every section field it touches with the
 * domain schema. Returns the new value of the whole section (parsed, so defaults are applied), or a
 * message for the person. Pure, so the dialog's prompt validator and the use case share it.
 */
export function applyAnswer(
  question: ReferralQuestion,
  raw: string,
  ctx: FormContext,
): Result<{ section: SectionValue; notes: string[] }, string> {
  if (raw.trim() === '') return err('Please type an answer.');
  const current = asRecord(ctx.sections[question.section]);
  const patch = question.toPatch(raw, ctx, current);
  if (!patch.ok) return patch;
  const next = applyPatch(question, patch.value, current);
  return next.ok ? ok({ section: next.value, notes: notesFor(question, next.value, ctx) }) : next;
}

/** The section with this question left blank (`skip`), or why it cannot be. */
export function clearAnswer(question: ReferralQuestion, ctx: FormContext): Result<{ section: SectionValue }, string> {
  if (question.required) return err(`"${question.label}" is required, so it cannot be left blank.`);
  const current = asRecord(ctx.sections[question.section]);
  const next = applyPatch(question, question.clear(current), current);
  return next.ok ? ok({ section: next.value }) : next;
}

/** What was wrong with one question on a card: its id, and the message naming it. */
export interface CardProblem {
  readonly questionId: string;
  readonly message: string;
}

/**
 * Checks a whole card: each question's inputs in the card's order, each checked as a typed answer
 * would be and seeing the answers before it (the category before the facts). Every problem is
 * reported at once, so the card comes back once with all of them marked; nothing is applied unless
 * everything passes.
 */
export function applyCardAnswers(
  questions: readonly ReferralQuestion[],
  values: CardValues,
  ctx: FormContext,
): Result<{ section: SectionValue; notes: string[] }, CardProblem[]> {
  if (questions.length === 0) return err([]);
  const sectionId = questions[0]!.section;
  let current = asRecord(ctx.sections[sectionId]);
  const problems: CardProblem[] = [];
  for (const question of questions) {
    const here: FormContext = { ...ctx, sections: { ...ctx.sections, [sectionId]: current } };
    const patch = question.fromInputs(values, here, current);
    const next = patch.ok ? applyPatch(question, patch.value, current) : patch;
    if (next.ok) current = next.value;
    else problems.push({ questionId: question.id, message: next.error });
  }
  if (problems.length > 0) return err(problems);
  return ok({ section: current, notes: notesFor(questions.at(-1)!, current, ctx, true) });
}

/**
 * Feedback worth showing straight after an answer: what the eligibility answers support. `final` is
 * for a whole card: nothing on it is still to come, so the verdict is given on what was entered.
 */
function notesFor(question: ReferralQuestion, section: SectionValue, ctx: FormContext, final = false): string[] {
  if (question.section !== 'category' || !section.eligibilityFacts) return [];
  // A verdict before the question that decides it (the sentence, for Category 2) would tell the
  // person their case does not qualify when it may well do.
  const after: FormContext = { ...ctx, sections: { ...ctx.sections, category: section } };
  const rest = sectionQuestions('category').slice(sectionQuestions('category').indexOf(question) + 1);
  if (!final && rest.some((q) => questionApplies(q, after) && !isAnswered(q, after.sections, after))) return [];
  const a = assessCategory(ctx.jurisdiction, asRecord(section.eligibilityFacts));
  if (!a.eligible) return ['These answers do not meet any MAPPA category yet; the co-ordinator will see why.'];
  const label = a.qualifying.map((q) => categoryInfo(ctx.jurisdiction, q.category)?.label ?? q.category).join(' or ');
  const chosen = Category.safeParse(section.category);
  const also = a.coordinatorChooses ? ' More than one category applies, so the co-ordinator chooses.' : '';
  return chosen.success && !factsSupportCategory(a, chosen.data)
    ? [`These answers support ${label}, not the category you chose. Type **back** to change the category.`]
    : [`These answers support ${label}.${also}`];
}

/**
 * Values other answers imply, recomputed after every save so they never go stale: the eligibility
 * reasons the co-ordinator sees, and the highest RoSH the Level 2 test reads.
 */
export function withDerivedValues(sections: DraftSections, jurisdiction: Jurisdiction): DraftSections {
  const out: DraftSections = { ...sections };
  const facts = out.category?.eligibilityFacts;
  if (out.category && facts) {
    const a = assessCategory(jurisdiction, facts);
    out.category = { ...out.category, eligibilityReasons: a.eligible ? [...a.reasons] : [] };
  }
  const rosh = out.risk?.rosh;
  if (out.reason?.levelFacts && rosh) {
    const top = highestRosh(rosh);
    out.reason = { ...out.reason, levelFacts: { ...out.reason.levelFacts, ...(top ? { highestRosh: top } : {}) } };
  }
  return out;
}

/** Every answered question of a section, for the review card: lists one line an entry, in full. */
export function sectionAnswers(
  section: ReferralSectionId,
  ctx: FormContext,
): { label: string; value: string; questionId: string }[] {
  const cur = asRecord(ctx.sections[section]);
  const out: { label: string; value: string; questionId: string }[] = [];
  for (const question of sectionQuestions(section)) {
    const each = question.showEach?.(cur, ctx);
    if (each && each.length > 0) {
      for (const e of each) out.push({ ...e, questionId: question.id });
      continue;
    }
    const value = question.show(cur, ctx);
    if (value !== undefined) out.push({ label: question.label, value, questionId: question.id });
  }
  return out;
}
