/**
 * Statistical disclosure control as the published MAPPA tables practise it: a count from 1 to
 * `threshold - 1` is not shown (primary suppression), and where a total and the other figures of the
 * same line would let someone work a hidden count out by subtraction, the next smallest figure of
 * that line is hidden too (secondary suppression), repeated until no line gives a hidden count away.
 * Zero is shown: it identifies nobody.
 *
 * A line is a list of cell keys whose last key is the total of the others.
 */
export function suppressedCells(
  values: ReadonlyMap<string, number>,
  lines: ReadonlyArray<readonly string[]>,
  threshold: number,
): Set<string> {
  const hidden = new Set<string>();
  for (const [key, v] of values) if (v > 0 && v < threshold) hidden.add(key);
  let changed = hidden.size > 0;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (line.filter((k) => hidden.has(k)).length !== 1) continue;
      const next = line
        .filter((k) => !hidden.has(k) && (values.get(k) ?? 0) > 0)
        .sort((a, b) => (values.get(a) ?? 0) - (values.get(b) ?? 0))[0];
      if (next !== undefined) {
        hidden.add(next);
        changed = true;
      }
    }
  }
  return hidden;
}

/**
 * How a hidden figure is written in every output: "[c]" (confidential), the Government Statistical
 * Service's symbol. One symbol for both kinds: "<5" would be untrue of a secondary cell (which may be
 * 40), and two symbols would tell a reader which hidden cells are small, undoing the secondary step.
 */
export const HIDDEN = '[c]';
