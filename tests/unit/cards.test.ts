import fs from 'node:fs';
import path from 'node:path';
import { cardDataSchemas, renderCard, type CardName } from '../../src/bot/cards/render';

const cardsDir = path.resolve(__dirname, '../../cards');
const templateNames = fs
  .readdirSync(cardsDir)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.data.json'))
  .map((f) => f.replace(/\.json$/, ''));
/** Each template's sample, and any named variant `<card>.<state>.data.json` (say, decided). */
const sampleNames = fs
  .readdirSync(cardsDir)
  .filter((f) => f.endsWith('.data.json'))
  .map((f) => f.replace(/\.data\.json$/, ''));

describe('card templates', () => {
  it('every template has a renderer and a sample data file', () => {
    expect(templateNames.sort()).toEqual(Object.keys(cardDataSchemas).sort());
    for (const name of templateNames) expect(fs.existsSync(path.join(cardsDir, `${name}.data.json`))).toBe(true);
  });

  it.each(sampleNames)('%s renders its sample as Adaptive Card 1.5 framed by the marking', (sampleName) => {
    const name = sampleName.split('.')[0]!;
    const template = JSON.parse(fs.readFileSync(path.join(cardsDir, `${name}.json`), 'utf8')) as { version: string };
    expect(template.version).toBe('1.5');
    const sample = JSON.parse(fs.readFileSync(path.join(cardsDir, `${sampleName}.data.json`), 'utf8')) as never;
    const card = renderCard(name as CardName, sample, 'OFFICIAL-SENSITIVE');
    const body = card.body as Array<{ id?: string; text?: string }>;
    expect(body[0]).toMatchObject({ id: 'marking-top', text: 'OFFICIAL-SENSITIVE' });
    expect(body[body.length - 1]).toMatchObject({ id: 'marking-bottom', text: 'OFFICIAL-SENSITIVE' });
    const json = JSON.stringify(card);
    expect(json).not.toContain('${');
    expect(json.length).toBeLessThan(80 * 1024);
    expect(card).toMatchSnapshot();
  });

  it('uses the configured marking', () => {
    const card = renderCard('welcome', { areaName: 'X' }, 'OFFICIAL');
    expect(JSON.stringify(card)).toContain('"text":"OFFICIAL"');
  });

  it('binds each render to its own data when a template is reused', () => {
    const first = renderCard('notice', { title: 'First', message: 'one', facts: [{ title: 'A', value: '1' }] }, 'M');
    const second = renderCard('notice', { title: 'Second', message: 'two', facts: [] }, 'M');
    expect(JSON.stringify(second)).not.toMatch(/First|one|"A"/);
    expect(JSON.stringify(first)).toContain('First');
    (first.body as Array<Record<string, unknown>>).push({ type: 'TextBlock', text: 'added later' });
    expect(JSON.stringify(renderCard('notice', { title: 'Third', message: '', facts: [] }, 'M'))).not.toContain(
      'added later',
    );
  });

  it('refuses data that does not fit the template', () => {
    expect(() => renderCard('welcome', { areaName: '' }, 'OFFICIAL-SENSITIVE')).toThrow();
  });
});
