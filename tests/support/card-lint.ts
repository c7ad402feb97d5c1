/**
 * An accessibility and style lint for rendered Adaptive Cards: the rules of docs/cards.md that a
 * machine can check. Run over every template's sample data (tests/unit/cards-a11y.test.ts) and over
 * cards the bot really sent (bot tests), so a card that only goes wrong with real data is caught too.
 */

type Node = Record<string, unknown>;

export interface LintFinding {
  readonly rule:
    | 'input-label'
    | 'colour-only'
    | 'duplicate-action'
    | 'image-alt'
    | 'markup-in-text'
    | 'one-primary'
    | 'unconfirmed-destructive'
    | 'action-title';
  readonly where: string;
  readonly detail: string;
}

const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Something Teams would take for an HTML tag and drop, e.g. the `<case ref>` in `audit <case ref>`. */
const TAG_LIKE = /<\/?[A-Za-z][^<>]*>/;
/** At least one word: a state shown in colour must also be said. */
const WORD = /\p{L}{2,}/u;

/** A card and the ShowCard cards inside it are separate cards: a screen reader meets them apart. */
interface CardScope {
  readonly actions: Node[];
  readonly inputs: Node[];
}

function collect(card: Node, path: string, out: LintFinding[]): void {
  const scope: CardScope = { actions: [], inputs: [] };
  const nested: Array<{ card: Node; path: string }> = [];

  const visitAction = (a: Node, at: string) => {
    scope.actions.push(a);
    if (a.type === 'Action.ShowCard' && isNode(a.card)) nested.push({ card: a.card, path: `${at} > ${str(a.title)}` });
  };
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${at}[${i}]`));
    if (!isNode(node)) return;
    const type = str(node.type);
    if (type.startsWith('Input.')) {
      scope.inputs.push(node);
      if (str(node.label).trim() === '')
        out.push({ rule: 'input-label', where: at, detail: `${type} "${str(node.id)}" has no label` });
    }
    if ((type === 'TextBlock' || type === 'TextRun') && str(node.color) !== '' && str(node.color) !== 'Default') {
      if (!WORD.test(str(node.text)))
        out.push({ rule: 'colour-only', where: at, detail: `"${str(node.text)}" is shown in colour without words` });
    }
    if (type === 'Image' && str(node.altText).trim() === '')
      out.push({ rule: 'image-alt', where: at, detail: `image ${str(node.url)} has no altText` });
    for (const key of ['text', 'label', 'placeholder', 'errorMessage'] as const) {
      if (TAG_LIKE.test(str(node[key])))
        out.push({ rule: 'markup-in-text', where: at, detail: `${key} "${str(node[key])}" looks like an HTML tag` });
    }
    if (type === 'FactSet' && Array.isArray(node.facts)) {
      for (const f of node.facts.filter(isNode)) {
        for (const t of [str(f.title), str(f.value)])
          if (TAG_LIKE.test(t))
            out.push({ rule: 'markup-in-text', where: at, detail: `fact "${t}" looks like an HTML tag` });
      }
    }
    if (type === 'Input.ChoiceSet' && Array.isArray(node.choices)) {
      for (const c of node.choices.filter(isNode))
        if (TAG_LIKE.test(str(c.title)))
          out.push({ rule: 'markup-in-text', where: at, detail: `choice "${str(c.title)}" looks like an HTML tag` });
    }
    if (type === 'ActionSet' && Array.isArray(node.actions)) {
      node.actions.filter(isNode).forEach((a, i) => visitAction(a, `${at}.actions[${i}]`));
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      // The refresh action is never shown as a button; ShowCard cards are their own scope.
      if (k === 'refresh' || k === 'card' || k === 'selectAction') continue;
      if (k === 'actions' && Array.isArray(v)) {
        v.filter(isNode).forEach((a, i) => visitAction(a, `${at}.actions[${i}]`));
        continue;
      }
      visit(v, `${at}.${k}`);
    }
  };
  visit(card, path);

  const seen = new Map<string, number>();
  for (const a of scope.actions) {
    const title = str(a.title).trim();
    if (title === '') {
      out.push({ rule: 'action-title', where: path, detail: `${str(a.type)} has no title` });
      continue;
    }
    if (TAG_LIKE.test(title))
      out.push({ rule: 'markup-in-text', where: path, detail: `action "${title}" looks like an HTML tag` });
    seen.set(title.toLowerCase(), (seen.get(title.toLowerCase()) ?? 0) + 1);
  }
  for (const [title, n] of seen)
    if (n > 1) out.push({ rule: 'duplicate-action', where: path, detail: `${n} actions titled "${title}"` });

  const primary = scope.actions.filter((a) => a.style === 'positive');
  if (primary.length > 1)
    out.push({
      rule: 'one-primary',
      where: path,
      detail: `${primary.length} primary actions: ${primary.map((a) => str(a.title)).join(', ')}`,
    });

  // A destructive action needs a confirmation step: it sits in a ShowCard opened first, or on a card
  // whose required input (such as typing the reference again) must be filled before it runs.
  const confirmed = path.includes(' > ') || scope.inputs.some((i) => i.isRequired === true);
  for (const a of scope.actions.filter((x) => x.style === 'destructive'))
    if (!confirmed)
      out.push({
        rule: 'unconfirmed-destructive',
        where: path,
        detail: `"${str(a.title)}" runs without a confirmation`,
      });

  for (const n of nested) collect(n.card, n.path, out);
}

/** Every finding for one rendered card; empty when it passes. */
export function lintCard(card: unknown): LintFinding[] {
  const out: LintFinding[] = [];
  if (isNode(card)) collect(card, 'card', out);
  return out;
}

/** Findings as lines a failing test can print. */
export function describeFindings(findings: readonly LintFinding[]): string[] {
  return findings.map((f) => `${f.rule} at ${f.where}: ${f.detail}`);
}
