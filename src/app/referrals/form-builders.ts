import { formatUkDate } from '../../domain/format';
import { REFERRAL_SECTIONS } from '../../domain/referral-sections';
import type { ReferralSectionId } from '../../domain/referral.schema';
import { err, ok } from '../../lib/result';
import {
  asList,
  asRecord,
  cleaned,
  DATE_ERROR,
  DATE_HINT,
  listText,
  NONE,
  parseUkDate,
  parseYesNo,
  pickChoice,
  splitLines,
  str,
  YES_NO,
  yesNoText,
  yesNoValue,
} from './form-parse';
import type {
  CardInput,
  CardValues,
  Choice,
  FormContext,
  QuestionKind,
  ReferralQuestion,
  SectionValue,
} from './form-types';

/* ---------- question builders ---------- */

export type Spec = Omit<
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

export function requiredFieldsOf(section: ReferralSectionId): readonly string[] {
  return REFERRAL_SECTIONS.find((s) => s.id === section)!.required;
}

/** The one input a simple question has, from its kind. */
export function defaultInputs(spec: Spec, kind: QuestionKind, required: boolean): ReferralQuestion['inputs'] {
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

export function defaultValue(kind: QuestionKind, field: string): ReferralQuestion['values'] | undefined {
  if (kind === 'compound' || kind === 'multi') return undefined;
  return (cur) => {
    const v = cur[field];
    if (kind === 'list') return { [field]: Array.isArray(v) ? v.map(String).join('\n') : '' };
    if (kind === 'yesno') return { [field]: yesNoValue(v) };
    return { [field]: v === undefined || v === null ? '' : String(v) };
  };
}

export function q(spec: Spec): ReferralQuestion {
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

export const text = (
  section: ReferralSectionId,
  id: string,
  label: string,
  prompt: string,
  extra: Partial<Spec> = {},
) => q({ section, id, label, prompt: () => prompt, ...extra });

export const list = (
  section: ReferralSectionId,
  id: string,
  label: string,
  prompt: string,
  extra: Partial<Spec> = {},
) =>
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

export const date = (
  section: ReferralSectionId,
  id: string,
  label: string,
  prompt: string,
  extra: Partial<Spec> = {},
) =>
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

export const yesNo = (
  section: ReferralSectionId,
  id: string,
  label: string,
  prompt: string,
  extra: Partial<Spec> = {},
) =>
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

export function choice(
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
export function nested(field: string, key: string) {
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
export const numbered = (choices: readonly Choice[]) => choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n');

/* ---------- lists answered as rows of inputs ---------- */

export interface RowColumn {
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
export function rowInputs(
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
export function rowsFrom(
  values: CardValues,
  id: string,
  columns: readonly RowColumn[],
): { n: number; cells: CardValues }[] {
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

export function rowValues(id: string, columns: readonly RowColumn[], cur: SectionValue): CardValues {
  return Object.fromEntries(
    asList(cur[id]).flatMap((entry, r) => columns.map((c) => [`${id}.${r}.${c.key}`, str(entry[c.key]) ?? ''])),
  );
}
