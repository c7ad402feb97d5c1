import type { MinutesSectionId } from '../../domain/minutes.schema';
import { editorShape, slots, TEXT_MAX, type Names, type Slot } from './section-fields';

/*
 * What a section's form sent, and the section's new value from it: only the inputs sent change (absent
 * is not empty), and an input sent as something other than text, or longer than its limit, is refused
 * by name with the text kept.
 */

/**
 * What was typed into this section's inputs, whole, for the inputs the form sent as text. An input the
 * form did not send is absent here, and a save keeps its value as it stands (absent is not empty).
 */
export function typedSection(
  section: MinutesSectionId,
  value: unknown,
  names: Names,
  visor: boolean,
  form: Readonly<Record<string, unknown>>,
): Record<string, string> {
  return Object.fromEntries(
    slots(section, value, names, visor).flatMap((s) => {
      const v = form[s.id];
      return typeof v === 'string' ? [[s.id, v]] : [];
    }),
  );
}

/** The inputs the form sent as something other than text (a damaged or forged card): refused by name. */
export function notTextInputs(
  section: MinutesSectionId,
  value: unknown,
  names: Names,
  visor: boolean,
  form: Readonly<Record<string, unknown>>,
): string[] {
  return slots(section, value, names, visor)
    .filter((s) => form[s.id] !== undefined && typeof form[s.id] !== 'string')
    .map((s) => s.id);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The section's new value: `base` with the typed texts put in (an empty optional text removes it, an
 * input not sent keeps its value), or the fields that need attention, each named in the card's words:
 * one sent as something other than text, or longer than its limit (refused, never cut).
 */
export function applyTyped(
  section: MinutesSectionId,
  base: unknown,
  names: Names,
  visor: boolean,
  typed: Readonly<Record<string, string>>,
  notText: readonly string[] = [],
): { ok: true; value: unknown } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const shape = editorShape(section);
  const read = (s: Slot): unknown => {
    if (s.field.fixed) return s.get(base);
    if (notText.includes(s.id)) {
      errors[s.id] = `${s.label}: this was not sent as text, so nothing was saved. Type it again.`;
      return s.get(base);
    }
    const sent = typed[s.id];
    if (sent === undefined) return s.get(base);
    const max = s.field.max ?? TEXT_MAX;
    if (sent.length > max)
      errors[s.id] =
        `${s.label} is too long: at most ${max.toLocaleString('en-GB')} characters ` +
        `(this has ${sent.length.toLocaleString('en-GB')}). Shorten it: your text is kept below.`;
    const raw = sent.trim();
    if (raw === '') {
      if (s.field.required) errors[s.id] = `${s.label} is needed: write it, or undo your change.`;
      return s.field.lines ? [] : undefined;
    }
    if (s.field.date && !ISO_DATE.test(raw)) errors[s.id] = `${s.label}: choose a date with the date picker.`;
    if (s.field.choices) {
      const picked = s.field.multi ? raw.split(',').map((c) => c.trim()) : [raw];
      const allowed = new Set(s.field.choices.map((c) => c.value));
      if (picked.some((c) => !allowed.has(c)))
        errors[s.id] = `${s.label}: choose ${s.field.multi ? 'from' : 'one of'} the options listed.`;
      return s.field.multi ? [...new Set(picked)] : raw;
    }
    if (s.field.lines) {
      const lines = raw
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const lineMax = s.field.lineMax ?? max;
      const over = lines.findIndex((l) => l.length > lineMax);
      if (over >= 0 && !errors[s.id])
        errors[s.id] =
          `${s.label}: line ${over + 1} is too long: at most ${lineMax.toLocaleString('en-GB')} characters a line. ` +
          'Shorten it or split it: your text is kept below.';
      return lines;
    }
    return raw;
  };
  const put = (obj: Record<string, unknown>, key: string, v: unknown) => {
    if (v === undefined) delete obj[key];
    else obj[key] = v;
  };
  const all = slots(section, base, names, visor);
  let value: unknown;
  if (shape === 'scalar') value = read(all[0]!);
  else if (shape === 'object') {
    const obj = { ...((base as Record<string, unknown> | undefined) ?? {}) };
    for (const s of all) put(obj, s.field.key, read(s));
    value = obj;
  } else {
    const items = (Array.isArray(base) ? base : []).map((x) => ({ ...(x as Record<string, unknown>) }));
    for (const s of all) {
      const i = Number(s.id.split('.')[0]);
      if (items[i]) put(items[i], s.field.key, read(s));
    }
    value = items;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}
