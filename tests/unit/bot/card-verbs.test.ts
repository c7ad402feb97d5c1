import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VERB_DECLARATIONS } from '../../../src/bot/commands';
import { verbEntry } from '../../../src/bot/dispatch';

const ROOT = path.resolve(__dirname, '../../..');
const CARDS = path.join(ROOT, 'cards');

/**
 * Verbs a card sends: Action.Execute `verb`s (the refresh action's included) and any `verb` in
 * Action.Submit data. A templated verb (`${verb}`) is the one the card's sample data binds.
 */
type Sent = Map<string, 'execute' | 'submit'>;

function verbsIn(node: unknown, sample: Record<string, unknown>, found: Sent): void {
  if (Array.isArray(node)) return node.forEach((n) => verbsIn(n, sample, found));
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const add = (v: unknown, via: 'execute' | 'submit') => {
    if (typeof v !== 'string') return;
    const bound = /^\$\{(\w+)\}$/.exec(v);
    found.set(bound ? String(sample[bound[1]!]) : v, via);
  };
  if (o.type === 'Action.Execute') add(o.verb, 'execute');
  if (o.type === 'Action.Submit' && o.data && typeof o.data === 'object')
    add((o.data as { verb?: unknown }).verb, 'submit');
  Object.values(o).forEach((v) => verbsIn(v, sample, found));
}

const templates = readdirSync(CARDS).filter((f) => f.endsWith('.json') && !f.endsWith('.data.json'));
const byCard = new Map(
  templates.map((f) => {
    const found: Sent = new Map();
    const sample = JSON.parse(readFileSync(path.join(CARDS, f.replace(/\.json$/, '.data.json')), 'utf8')) as Record<
      string,
      unknown
    >;
    verbsIn(JSON.parse(readFileSync(path.join(CARDS, f), 'utf8')), sample, found);
    return [f, found] as const;
  }),
);
const cardVerbs = new Set([...byCard.values()].flatMap((s) => [...s.keys()]));

/** Source files that could send a verb: not the declarations, the handler bindings or the table. */
function senders(dir: string): { file: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return senders(full);
    if (!full.endsWith('.ts') || /(catalogue|index|dispatch|commands)\.ts$/.test(full)) return [];
    return [{ file: path.relative(ROOT, full), text: readFileSync(full, 'utf8') }];
  });
}

/**
 * Verbs the dispatch table declares that no template and no card-building code sends. Each is a
 * finding to act on (give it a card or remove it), listed so a new one fails this test.
 */
const SENT_BY_NOTHING: Record<string, string> = {};

describe('card verbs and the dispatch table agree', () => {
  it('finds verbs in the card templates (the check reads them)', () => {
    const verbs = (card: string) => Object.fromEntries(byCard.get(card) ?? []);
    expect(verbs('referral-decision.json')).toEqual({
      'referral.refresh': 'execute',
      'referral.approve': 'execute',
      'referral.reject': 'execute',
      'referral.requestInfo': 'execute',
      'referral.export': 'execute',
      'referral.scheduleMeeting': 'execute',
    });
    expect(verbs('referral-review.json')).toEqual({
      'referral.edit': 'submit',
      'referral.submit': 'submit',
      'referral.save': 'submit',
    });
    expect(verbs('referral-step.json')).toEqual({ 'referral.answer': 'submit' });
    expect(verbs('referral-confirm.json')).toEqual({ 'referral.answer': 'submit' });
    expect(verbs('referral-submitted.json')).toEqual({});
    expect(verbs('welcome.json')).toEqual({ help: 'submit' });
    expect(verbs('member-pick.json')).toEqual({ 'member.remove': 'execute' });
  });

  it.each([...byCard].filter(([, verbs]) => verbs.size > 0))(
    'handles every verb %s sends, as it sends it',
    (_card, verbs) => {
      for (const [verb, via] of verbs) {
        const entry = verbEntry(verb);
        const handled = via === 'execute' ? entry?.execute !== undefined : entry?.submit !== undefined;
        expect({ verb, via, handled }).toEqual({ verb, via, handled: true });
      }
    },
  );

  it('has no verb that no card template or card-building code sends', () => {
    const code = senders(path.join(ROOT, 'src/bot'));
    // A verb's quoted name outside a `case` label: code that puts it on a card or a dialog action.
    const sentByCode = (verb: string) =>
      code.some(({ text }) => new RegExp(`(?<!case )'${verb.replace('.', '\\.')}'`).test(text));
    const unsent = Object.keys(VERB_DECLARATIONS).filter((verb) => !cardVerbs.has(verb) && !sentByCode(verb));
    expect(unsent.sort()).toEqual(Object.keys(SENT_BY_NOTHING).sort());
  });
});
