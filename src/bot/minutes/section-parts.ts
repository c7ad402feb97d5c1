import type { MinutesSectionId } from '../../domain/minutes.schema';
import { cutTo, sizeOf } from './minutes.card';
import { editorShape, show, slots, type Names, type Slot } from './section-fields';

/*
 * Teams refuses a card over about 100 KB (we keep to 80 KB). A section at its limits can be far larger
 * (five agency updates of three 20,000-character texts), so a section whose form would not fit is edited
 * one part at a time: a list's entries (one agency's update), or one field of an entry or of the
 * section, packed in order while they fit. A part is a range of the section's inputs in card order;
 * its inputs are saved as any section form is (absent inputs keep their values, one section version).
 */

/** Estimated bytes of a form's inputs, leaving room under 80 KB for the card around them. */
export const FORM_BUDGET = 66_000;
/** Parts listed on one card of the chooser. */
export const PARTS_A_PAGE = 25;
/** How long a part's name may run on the chooser (bytes). */
const LABEL_BYTES = 300;

/** What an input costs on the card: its text, its label (label and error message) and heading, and its JSON. */
const cost = (s: Slot, value: unknown, typed?: Readonly<Record<string, string>>): number =>
  sizeOf(typed?.[s.id] ?? show(s.get(value), s.field)) +
  2 * sizeOf(s.label) +
  sizeOf(s.heading) +
  (s.field.choices ? 100 * s.field.choices.length : 0) +
  700;

const costOf = (group: readonly Slot[], value: unknown, typed?: Readonly<Record<string, string>>) =>
  group.reduce((n, s) => n + cost(s, value, typed), 0);

export interface SectionPart {
  /** `first-last`: the range of the section's inputs (in card order) the part edits. */
  readonly id: string;
  readonly label: string;
  readonly slotIds: ReadonlySet<string>;
}

const partOf = (all: readonly Slot[], from: number, to: number, label: string): SectionPart => ({
  id: `${from}-${to}`,
  label,
  slotIds: new Set(all.slice(from, to + 1).map((s) => s.id)),
});

/**
 * The parts a section is edited in, or none when its whole form fits one card. An entry of a list is
 * never split between parts unless it alone would not fit, when each of its fields is a part.
 */
export function sectionParts(
  section: MinutesSectionId,
  value: unknown,
  names: Names,
  visor: boolean,
  typed?: Readonly<Record<string, string>>,
): SectionPart[] {
  const all = slots(section, value, names, visor);
  if (costOf(all, value, typed) <= FORM_BUDGET) return [];
  // Units: a list's entry (its inputs together), or one input.
  const units: { from: number; to: number; label: string }[] = [];
  const array = editorShape(section) === 'array';
  for (let i = 0; i < all.length;) {
    let j = i;
    if (array) {
      const entry = all[i]!.id.split('.')[0];
      while (j + 1 < all.length && all[j + 1]!.id.split('.')[0] === entry) j++;
    }
    const group = all.slice(i, j + 1);
    if (costOf(group, value, typed) <= FORM_BUDGET)
      units.push({ from: i, to: j, label: group[0]!.heading || group[0]!.label });
    else for (let k = i; k <= j; k++) units.push({ from: k, to: k, label: all[k]!.label });
    i = j + 1;
  }
  const parts: SectionPart[] = [];
  for (let u = 0; u < units.length;) {
    let v = u;
    let size = costOf(all.slice(units[u]!.from, units[u]!.to + 1), value, typed);
    while (v + 1 < units.length) {
      const next = costOf(all.slice(units[v + 1]!.from, units[v + 1]!.to + 1), value, typed);
      if (size + next > FORM_BUDGET) break;
      size += next;
      v++;
    }
    const first = units[u]!;
    const last = units[v]!;
    const name = (l: string, bytes: number) => (sizeOf(l) <= bytes ? l : `${cutTo(l, bytes)} …`);
    parts.push(
      partOf(
        all,
        first.from,
        last.to,
        u === v
          ? name(first.label, LABEL_BYTES)
          : `${name(first.label, LABEL_BYTES / 2)} to ${name(last.label, LABEL_BYTES / 2)}`,
      ),
    );
    u = v + 1;
  }
  return parts;
}
