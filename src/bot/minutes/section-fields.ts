import { PILLAR_LABELS, Pillar } from '../../domain/action.schema';
import { sectionSpec } from '../../domain/minutes-sections';
import {
  AttendanceStatus,
  MinutedRoshLevel,
  MinutedRoshToWhom,
  type Minutes,
  type MinutesSectionId,
} from '../../domain/minutes.schema';

/*
 * How each section of the minutes is edited on its own card: its texts as text areas and its
 * structured values (attendance, risk of serious harm) as choices, all prefilled and keyed so a save
 * changes only those and keeps the rest of the section (which agency, which decision) as recorded.
 * The choices are the schema's own enum values, and the use case validates the whole section again.
 */

interface Choice {
  readonly title: string;
  readonly value: string;
}
const choicesOf = <T extends string>(options: readonly T[], titles: Readonly<Record<T, string>>): Choice[] =>
  options.map((value) => ({ title: titles[value], value }));

interface Field {
  readonly key: string;
  readonly label: string;
  readonly required?: true;
  readonly date?: true;
  /** A list kept as one line per entry (licence conditions), each line at most `lineMax` long. */
  readonly lines?: true;
  readonly lineMax?: number;
  readonly max?: number;
  /** Police-only: shown and saved only for a reader with ViSOR access. */
  readonly policeOnly?: true;
  /** A structured value: one of these (or, with `multi`, any of them). */
  readonly choices?: readonly Choice[];
  readonly multi?: true;
  /** Shown, never edited, for the entries it is true of (the decided level and category). */
  readonly fixedWhen?: (item: Record<string, unknown>) => boolean;
}

type Editor =
  | { readonly shape: 'scalar'; readonly field: Field }
  | { readonly shape: 'object'; readonly fields: readonly Field[] }
  | {
      readonly shape: 'array';
      readonly fields: readonly Field[];
      readonly item: (x: Record<string, unknown>, i: number, names: Names) => string;
    };

export type Names = Readonly<Record<string, string>>;

/** A section text's limit unless its field says otherwise (the minutes schema's). */
export const TEXT_MAX = 20_000;
const agency = (names: Names, id: unknown) => (typeof id === 'string' ? (names[id] ?? id) : '');

const isCaseDecision = (x: Record<string, unknown>) => x.topic === 'level' || x.topic === 'category';

/** Why a structured value of a section is shown but not edited on its card. */
const NOTES: Partial<Record<MinutesSectionId, string>> = {
  decisions:
    'The decided level and category are not edited here: the meeting recorded them on the case, whose history ' +
    'keeps who decided and why, and the minutes must agree with it. A different level or category is a new ' +
    'decision on the case (at a meeting or by the chair), not a correction of these minutes. Their rationale, ' +
    'and any other decision, can be edited below.',
  agency_views:
    "Each agency's view of level and category is minuted as the agency gave it at the meeting, so it is not " +
    'edited here; its comment can be.',
};

export const sectionNote = (section: MinutesSectionId): string => NOTES[section] ?? '';

const EDITORS: Readonly<Record<MinutesSectionId, Editor>> = {
  meeting_details: {
    shape: 'object',
    fields: [
      { key: 'date', label: 'Date of the meeting', required: true, date: true },
      { key: 'chair', label: 'Chair', max: 200 },
      { key: 'minuteTaker', label: 'Minute-taker', max: 200 },
      { key: 'venue', label: 'Venue', max: 500 },
    ],
  },
  attendance: {
    shape: 'array',
    item: (x, i, n) => `Attendance ${i + 1} (${agency(n, x.agencyId)})`,
    fields: [
      {
        key: 'status',
        label: 'Attendance',
        required: true,
        choices: choicesOf(AttendanceStatus.options, {
          present: 'Present',
          apologies: 'Apologies',
          substitute: 'Substitute attended',
          report_sent: 'Report sent in lieu of attendance',
          absent: 'Absent (no apologies recorded)',
        }),
      },
      { key: 'name', label: 'Name', max: 200 },
      { key: 'role', label: 'Role', max: 200 },
      { key: 'substituteFor', label: 'Substitute for', max: 200 },
    ],
  },
  confidentiality: { shape: 'scalar', field: { key: 'value', label: 'Confidentiality statement' } },
  previous_actions: {
    shape: 'array',
    item: (x, i) => `Previous action ${i + 1}${typeof x.text === 'string' ? `: ${x.text}` : ''}`,
    fields: [{ key: 'update', label: 'Update', max: 4000 }],
  },
  agency_updates: {
    shape: 'array',
    item: (x, i, n) =>
      `Update ${i + 1} (${agency(n, x.agencyId)}${x.kind === 'report_in_lieu' ? ', report in lieu of attendance' : ''})`,
    fields: [
      { key: 'summary', label: 'Summary', required: true },
      { key: 'childrenAndVulnerablePeople', label: 'Children and vulnerable people' },
      { key: 'changeInRisk', label: 'Change in risk' },
    ],
  },
  risk: {
    shape: 'object',
    fields: [
      {
        key: 'roshLevel',
        label: 'Risk of serious harm level',
        choices: choicesOf(MinutedRoshLevel.options, {
          low: 'Low',
          medium: 'Medium',
          high: 'High',
          very_high: 'Very high',
        }),
      },
      {
        key: 'roshToWhom',
        label: 'Risk of serious harm to',
        multi: true,
        choices: choicesOf(MinutedRoshToWhom.options, {
          public: 'The public',
          known_adult: 'A known adult',
          children: 'Children',
          staff: 'Staff',
          prisoners: 'Prisoners',
        }),
      },
      { key: 'roshSummary', label: 'Risk of serious harm: summary' },
      { key: 'assessment', label: 'Assessment of change in risk' },
      { key: 'victimsAndPotentialVictims', label: 'Victims and potential victims' },
      { key: 'diversityIssues', label: 'Diversity issues' },
      { key: 'restrictedIntelligence', label: 'Police-only intelligence', policeOnly: true },
    ],
  },
  rmp: {
    shape: 'object',
    fields: [
      ...Pillar.options.map((p) => ({ key: p, label: PILLAR_LABELS[p] })),
      { key: 'licenceConditions', label: 'Licence conditions (one a line)', lines: true, lineMax: 2000 },
    ],
  },
  victim_issues: { shape: 'scalar', field: { key: 'value', label: 'Victim issues' } },
  disclosure: {
    shape: 'array',
    item: (_x, i) => `Disclosure decision ${i + 1}`,
    fields: [
      { key: 'recipient', label: 'Recipient (by role, never named)', max: 500 },
      { key: 'rationale', label: 'Rationale', required: true },
    ],
  },
  agency_views: {
    shape: 'array',
    item: (x, i, n) => `View ${i + 1} (${agency(n, x.agencyId)})`,
    fields: [{ key: 'comment', label: 'Comment', max: 2000 }],
  },
  decisions: {
    shape: 'array',
    item: (_x, i) => `Decision ${i + 1}`,
    fields: [
      { key: 'decision', label: 'Decision', required: true, max: 4000, fixedWhen: isCaseDecision },
      { key: 'rationale', label: 'Rationale', required: true },
    ],
  },
  review_date: { shape: 'scalar', field: { key: 'value', label: 'Next review date', date: true } },
  distribution: {
    shape: 'array',
    item: (_x, i) => `Recipient ${i + 1}`,
    fields: [{ key: 'recipient', label: 'Recipient', required: true, max: 300 }],
  },
};

export interface SectionInput {
  readonly id: string;
  readonly label: string;
  readonly kind: 'text' | 'date' | 'choice' | 'fixed';
  readonly heading: string;
  readonly required: boolean;
  readonly errorMessage: string;
  readonly multiline: boolean;
  readonly maxLength: number;
  readonly value: string;
  readonly error: string;
  readonly choices: Choice[];
  readonly multiSelect: boolean;
}

/*
 * Control characters (other than tab and line breaks) cannot be typed in Teams, print as nothing in the
 * Word and PDF documents, and cost six bytes each in a card's JSON: a form leaves them out, so that a
 * field at its 20,000-character limit is at most three bytes a character (60 KB) on the card.
 */
// eslint-disable-next-line no-control-regex -- matching them is the point
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
export const printable = (s: string): string => s.replace(UNPRINTABLE, '');

export const show = (v: unknown, f: Field): string =>
  printable(
    Array.isArray(v) ? v.join(f.lines ? '\n' : ',') : typeof v === 'string' || typeof v === 'number' ? String(v) : '',
  );

/** A value as the reader reads it: a choice by its title, not its code. */
const shown = (v: unknown, f: Field): string => {
  const raw = show(v, f);
  if (!f.choices) return raw;
  return raw
    .split(',')
    .filter(Boolean)
    .map((c) => f.choices!.find((x) => x.value === c)?.title ?? c)
    .join(', ');
};

/** How a section is edited: one text, an object's fields, or a list's entries. */
export const editorShape = (section: MinutesSectionId): Editor['shape'] => EDITORS[section].shape;

/** The section's value in `m` (as this reader may see it). */
export const sectionValue = (m: Minutes, section: MinutesSectionId): unknown => m[sectionSpec(section).field];

export interface Slot {
  readonly id: string;
  readonly label: string;
  readonly heading: string;
  readonly field: Field & { readonly fixed?: true };
  readonly get: (v: unknown) => unknown;
}

export function slots(section: MinutesSectionId, value: unknown, names: Names, visor: boolean): Slot[] {
  const e = EDITORS[section];
  const allowed = (f: Field) => visor || !f.policeOnly;
  if (e.shape === 'scalar') return [{ id: 'value', label: e.field.label, heading: '', field: e.field, get: (v) => v }];
  if (e.shape === 'object')
    return e.fields.filter(allowed).map((f) => ({
      id: f.key,
      label: f.label,
      heading: '',
      field: f,
      get: (v) => (v as Record<string, unknown> | undefined)?.[f.key],
    }));
  const items = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  return items.flatMap((x, i) => {
    const item = printable(e.item(x, i, names));
    return e.fields.filter(allowed).map((f, j) => ({
      id: `${i}.${f.key}`,
      label: `${item}: ${f.label}`,
      heading: j === 0 ? item : '',
      field: f.fixedWhen?.(x) ? { ...f, fixed: true } : f,
      get: (v) => (Array.isArray(v) ? (v[i] as Record<string, unknown> | undefined)?.[f.key] : undefined),
    }));
  });
}

/** The slots of one part of a section (all of them when no part is named). */
const within = (all: Slot[], only: ReadonlySet<string> | undefined): Slot[] =>
  only ? all.filter((s) => only.has(s.id)) : all;

/** The section's texts as facts, for the conflict box (what the other person saved). */
export function sectionFacts(
  section: MinutesSectionId,
  value: unknown,
  names: Names,
  visor: boolean,
  only?: ReadonlySet<string>,
): { title: string; value: string }[] {
  return within(slots(section, value, names, visor), only).map((s) => ({
    title: s.label,
    value: shown(s.get(value), s.field) || 'None recorded',
  }));
}

/** The section's inputs: prefilled from `value`, or showing `typed` (kept) with `errors` under each. */
export function sectionInputs(
  section: MinutesSectionId,
  value: unknown,
  names: Names,
  visor: boolean,
  typed?: Readonly<Record<string, string>>,
  errors: Readonly<Record<string, string>> = {},
  only?: ReadonlySet<string>,
): SectionInput[] {
  return within(slots(section, value, names, visor), only).map((s) => ({
    id: s.id,
    label: s.label,
    kind: s.field.fixed ? 'fixed' : s.field.choices ? 'choice' : s.field.date ? 'date' : 'text',
    heading: s.heading,
    required: s.field.required === true,
    errorMessage: s.field.choices
      ? `${s.field.label}: choose ${s.field.multi ? 'any that apply' : 'one'}`
      : s.field.required
        ? `Write the ${s.field.label.toLowerCase()}`
        : `${s.field.label}: leave empty for none`,
    multiline: !s.field.date && (s.field.max ?? TEXT_MAX) > 500,
    maxLength: s.field.max ?? TEXT_MAX,
    // An input the form did not send shows what is saved, as the save keeps it.
    value: s.field.fixed ? shown(s.get(value), s.field) : (typed?.[s.id] ?? show(s.get(value), s.field)),
    error: errors[s.id] ?? '',
    choices: [...(s.field.choices ?? [])],
    multiSelect: s.field.multi === true,
  }));
}

/** Labels of the section's inputs in card order, for the line beside Save. */
export function sectionLabels(
  section: MinutesSectionId,
  value: unknown,
  names: Names,
  visor: boolean,
): Record<string, string> {
  return Object.fromEntries(slots(section, value, names, visor).map((s) => [s.id, s.label]));
}
