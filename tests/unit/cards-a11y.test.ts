import fs from 'node:fs';
import path from 'node:path';
import { renderCard, type CardName } from '../../src/bot/cards/render';
import { describeFindings, lintCard } from '../support/card-lint';

const cardsDir = path.resolve(__dirname, '../../cards');
const templates = new Set(
  fs
    .readdirSync(cardsDir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.data.json'))
    .map((f) => f.replace(/\.json$/, '')),
);
/** Every sample: `<card>.data.json`, and any named variant `<card>.<state>.data.json`. */
const samples = fs
  .readdirSync(cardsDir)
  .filter((f) => f.endsWith('.data.json'))
  .map((file) => ({ file, card: file.replace(/\.data\.json$/, '').split('.')[0]! }))
  .filter((s) => templates.has(s.card));

describe('every card passes the accessibility lint over its sample data', () => {
  it('has a sample for every template', () => {
    expect(new Set(samples.map((s) => s.card))).toEqual(templates);
  });

  it.each(samples.map((s) => [s.file, s.card] as const))('%s', (file, card) => {
    const data = JSON.parse(fs.readFileSync(path.join(cardsDir, file), 'utf8')) as never;
    const rendered = renderCard(card as CardName, data, 'OFFICIAL-SENSITIVE');
    expect(describeFindings(lintCard(rendered))).toEqual([]);
  });
});

/** The lint itself: each rule catches what it is for, so a passing card means something. */
describe('the card lint', () => {
  const card = (body: unknown[], actions: unknown[] = []) => ({ type: 'AdaptiveCard', version: '1.5', body, actions });
  const rules = (c: unknown) => lintCard(c).map((f) => f.rule);

  it('passes a plain, labelled card', () => {
    expect(
      rules(
        card(
          [
            { type: 'TextBlock', text: 'Late by 2 working days', color: 'Attention' },
            { type: 'Input.Text', id: 'a', label: 'Reason' },
            { type: 'Image', url: 'https://example.org/x.png', altText: 'Agency logo' },
          ],
          [{ type: 'Action.Execute', title: 'Send', style: 'positive' }],
        ),
      ),
    ).toEqual([]);
  });

  it('finds an input without a label', () => {
    expect(rules(card([{ type: 'Input.Date', id: 'due' }]))).toEqual(['input-label']);
  });

  it('finds state shown by colour alone', () => {
    expect(rules(card([{ type: 'TextBlock', text: '●', color: 'Good' }]))).toEqual(['colour-only']);
  });

  it('finds two actions with one title in a card, across action sets, but not across a ShowCard', () => {
    const edit = { type: 'Action.Submit', title: 'Edit' };
    expect(
      rules(
        card([
          { type: 'Container', items: [{ type: 'ActionSet', actions: [edit] }] },
          { type: 'ActionSet', actions: [edit] },
        ]),
      ),
    ).toEqual(['duplicate-action']);
    expect(
      rules(
        card(
          [],
          [
            {
              type: 'Action.ShowCard',
              title: 'Approve',
              card: { type: 'AdaptiveCard', body: [], actions: [{ type: 'Action.Execute', title: 'Approve' }] },
            },
          ],
        ),
      ),
    ).toEqual([]);
  });

  it('finds an image without alt text', () => {
    expect(rules(card([{ type: 'Image', url: 'https://example.org/x.png' }]))).toEqual(['image-alt']);
  });

  it('finds a placeholder Teams would take for an HTML tag', () => {
    expect(rules(card([{ type: 'TextBlock', text: 'Type audit <case ref>' }]))).toEqual(['markup-in-text']);
    expect(rules(card([{ type: 'FactSet', facts: [{ title: 'erase <case ref>', value: 'x' }] }]))).toEqual([
      'markup-in-text',
    ]);
    expect(rules(card([{ type: 'TextBlock', text: 'Type audit &lt;case ref&gt; or 3 < 4' }]))).toEqual([]);
  });

  it('finds more than one primary action', () => {
    expect(
      rules(
        card(
          [],
          [
            { type: 'Action.Execute', title: 'A', style: 'positive' },
            { type: 'Action.Execute', title: 'B', style: 'positive' },
          ],
        ),
      ),
    ).toEqual(['one-primary']);
  });

  it('finds a destructive action with no confirmation step', () => {
    const erase = { type: 'Action.Execute', title: 'Erase', style: 'destructive' };
    expect(rules(card([], [erase]))).toEqual(['unconfirmed-destructive']);
    expect(
      rules(card([{ type: 'Input.Text', id: 'c', label: 'Type the reference', isRequired: true }], [erase])),
    ).toEqual([]);
  });

  it('finds an action without a title', () => {
    expect(rules(card([], [{ type: 'Action.Execute', verb: 'x' }]))).toEqual(['action-title']);
  });
});
