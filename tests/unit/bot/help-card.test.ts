import { renderCard, type AdaptiveCardJson } from '../../../src/bot/cards/render';
import { helpCard } from '../../../src/bot/help/help.card';
import type { CardRenderer } from '../../../src/bot/handler-context';
import type { Role } from '../../../src/domain/member.schema';
import { aMember } from '../../fixtures/builders';
import { principalOf } from '../../fixtures/referral-answers';
import { describeFindings, lintCard } from '../../support/card-lint';
import { cardText } from '../../support/connector';

const card: CardRenderer = (name, data) => renderCard(name, data, 'OFFICIAL');
const as = (...roles: Role[]) => principalOf(aMember({ roles }));
const textOf = (c: AdaptiveCardJson) => cardText({ attachments: [{ content: c }] });
type Action = { title: string; type: string; data?: unknown };
const actions = (c: AdaptiveCardJson) => (c.actions as Action[] | undefined) ?? [];

describe('help', () => {
  it('groups what this person can do by role, with buttons for the common starts', () => {
    const c = helpCard(card, as('coordinator', 'admin'));
    const shown = textOf(c);
    expect(shown).toContain('Here is what I can do');
    const groups = ['For practitioners', 'For co-ordinators', 'For admins'].map((g) => shown.indexOf(g));
    expect(groups.every((i) => i >= 0)).toBe(true);
    expect([...groups].sort((a, b) => a - b)).toEqual(groups);
    // Each command sits in its group.
    expect(shown.indexOf('notify')).toBeGreaterThan(groups[0]!);
    expect(shown.indexOf('notify')).toBeLessThan(groups[1]!);
    expect(shown.indexOf('audit')).toBeGreaterThan(groups[1]!);
    expect(shown.indexOf('add member')).toBeGreaterThan(groups[2]!);
    // The starts are command buttons: the command arrives as if typed, so the router's checks apply.
    expect(actions(c).map((a) => [a.title, a.type, a.data])).toEqual([
      ['Notify the co-ordinator', 'Action.Submit', { command: 'notify' }],
      ['Start a MAPPA A referral', 'Action.Submit', { command: 'refer' }],
    ]);
  });

  it('shows a practitioner only their group, and someone not enrolled whom to ask', () => {
    const practitioner = textOf(helpCard(card, as('practitioner')));
    expect(practitioner).toContain('For practitioners');
    expect(practitioner).not.toContain('For co-ordinators');
    expect(practitioner).not.toContain('add member');
    const stranger = helpCard(card, null);
    expect(textOf(stranger)).toMatch(/not enrolled[^\n]*admin/);
    expect(actions(stranger)).toEqual([]);
  });

  it('writes placeholders so Teams keeps them: no "<case ref>" that would vanish as an HTML tag', () => {
    const shown = textOf(helpCard(card, as('coordinator', 'admin')));
    expect(shown).not.toMatch(/<[^>]+>/);
    expect(shown).toMatch(/audit[^\n]*MAPPA-2026-0042/);
    expect(shown).toMatch(/erase[^\n]*MAPPA-/);
  });

  it('passes the accessibility lint for every role', () => {
    for (const p of [as('coordinator', 'admin'), as('practitioner'), as('admin'), null])
      expect(describeFindings(lintCard(helpCard(card, p)))).toEqual([]);
  });
});

describe('cards with nothing personal in them are rendered once per distinct content', () => {
  it('hands back the same, unchangeable help card for the same roles, and a different one for others', () => {
    const first = helpCard(card, as('practitioner'));
    const again = helpCard(card, as('practitioner'));
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.body[0])).toBe(true);
    expect(() => (first.body as unknown[]).push({})).toThrow(TypeError);
    expect(helpCard(card, as('coordinator'))).not.toBe(first);
    expect(
      renderCard('help', { enrolled: false, groups: [], canNotify: false, canRefer: false }, 'SECRET'),
    ).not.toEqual(renderCard('help', { enrolled: false, groups: [], canNotify: false, canRefer: false }, 'OFFICIAL'));
  });

  it('renders a card that may carry personal data afresh every time', () => {
    const data = { title: 'Saved', message: 'For Sam Invented', facts: [] };
    expect(renderCard('notice', data, 'OFFICIAL')).not.toBe(renderCard('notice', data, 'OFFICIAL'));
  });
});
