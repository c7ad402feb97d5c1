import type { NotificationSummary } from '../../../src/app/notifications';
import { renderCard } from '../../../src/bot/cards/render';
import { channelCard } from '../../../src/bot/notifications/notification-channel.card';
import { describeFindings, lintCard } from '../../support/card-lint';
import { cardText } from '../../support/connector';

const h = { card: ((name, data) => renderCard(name, data, 'OFFICIAL')) as Parameters<typeof channelCard>[0]['card'] };

/** A Category 2 notification about an invented person, not yet decided. */
function aSummary(over: Partial<NotificationSummary> = {}): NotificationSummary {
  return {
    id: 'n-0001',
    caseRef: 'MAPPA-2026-0042',
    categoryLabel: 'Category 2',
    initials: 'T.I.',
    leadAgencyName: 'Probation Service',
    receivedOn: '2026-11-30',
    status: 'received',
    caseStatus: 'notified',
    deadlines: [
      {
        key: 'notificationAfterSentence',
        label: 'Notification due after sentence',
        due: '2026-11-25',
        done: true,
        lateBy: 3,
      },
      { key: 'coordinatorDecision', label: 'Co-ordinator decision due', due: '2026-12-14', done: false, daysLeft: 10 },
    ],
    joinedExistingCase: false,
    today: '2026-11-30',
    referralDueDefault: null,
    referralRuleLabel: null,
    ...over,
  };
}

const full: NonNullable<NotificationSummary['full']> = {
  names: { given: 'Terry', family: 'Imaginary', aliases: ['TJ'] },
  dateOfBirth: '1990-04-01',
  identifiers: { pnc: '2019/0012345X', prisonNumber: 'A1234BC' },
  custodyStatus: 'custody',
  sentenceDate: '2026-11-02',
  eligibilityReasons: ['Convicted of a specified violent offence'],
  withheld: [],
  identityConflictRefs: null,
};

const textOf = (card: unknown) => cardText({ attachments: [{ content: card }] });
const actions = (card: unknown) => (card as { actions?: Array<{ title: string; style?: string }> }).actions ?? [];

describe('the notification card in the co-ordinator channel', () => {
  it('names the case once and gives the deadline as one clear line', () => {
    const card = channelCard(h, aSummary(), { refreshUserIds: [] });
    expect(JSON.stringify(card).split('MAPPA-2026-0042')).toHaveLength(2);
    const shown = textOf(card);
    expect(shown).toContain('Decide by 14 Dec 2026 · 10 working days left');
    expect(shown).not.toMatch(/due: due/);
    expect(shown).toMatch(/3 working days late \(due 25 Nov 2026\)/);
    const late = channelCard(
      h,
      aSummary({
        deadlines: [
          { key: 'coordinatorDecision', label: 'Co-ordinator decision due', due: '2026-12-14', done: false, lateBy: 2 },
        ],
      }),
      { refreshUserIds: [] },
    );
    expect(textOf(late)).toContain('Decide by 14 Dec 2026 · 2 working days overdue');
  });

  it('has one primary action, a details button that says what it does, and says what the referral choices do', () => {
    const card = channelCard(h, aSummary(), { refreshUserIds: [] });
    const titles = actions(card).map((a) => a.title);
    expect(titles[0]).toBe('Manage at Level 1 (notification only)');
    expect(
      actions(card)
        .filter((a) => a.style === 'positive')
        .map((a) => a.title),
    ).toEqual(['Manage at Level 1 (notification only)']);
    expect(titles).toContain('Show details (only you)');
    expect(titles).not.toContain('Open case');
    const shown = textOf(card);
    expect(shown).toMatch(/Await referral[^\n]*: [^\n]*remind/);
    expect(shown).toMatch(/Ask lead agency to refer[^\n]*: [^\n]*message/);
  });

  it('after a decision says who decided what and when, and shows the referral due date once set', () => {
    const decided = aSummary({
      status: 'accepted',
      decision: {
        verb: 'awaitReferral',
        outcome: 'accepted',
        label: 'Accepted: awaiting a referral',
        byName: 'Morgan Reyes',
        at: '2026-12-01T09:00:00Z',
      },
      deadlines: [
        { key: 'coordinatorDecision', label: 'Co-ordinator decision due', due: '2026-12-14', done: true },
        {
          key: 'referralAfterNotification',
          label: 'Referral to Level 2/3 due',
          due: '2027-01-12',
          done: false,
          daysLeft: 25,
        },
      ],
    });
    const card = channelCard(h, decided, { refreshUserIds: [] });
    const shown = textOf(card);
    expect(shown).toContain('Accepted, referral awaited: decided by Morgan Reyes, 1 Dec 2026');
    expect(shown).toMatch(/Referral to Level 2\/3 due\n12 Jan 2027 · 25 working days left/);
    expect(shown).not.toMatch(/\bdone\b/);
    expect(actions(card).map((a) => a.title)).toEqual(['Show details (only you)']);
  });

  it('shows the co-ordinator readable details, the sentence date included', () => {
    const shown = textOf(channelCard(h, aSummary({ full }), { refreshUserIds: [] }));
    expect(shown).toContain('In custody');
    expect(shown).not.toMatch(/\ncustody\n/);
    expect(shown).toMatch(/Sentence date\n2 Nov 2026/);
    expect(shown).toMatch(/Prison number\nA1234BC/);
    expect(shown).not.toContain('PRISONNUMBER');
  });

  it('passes the accessibility lint in every state', () => {
    for (const s of [aSummary(), aSummary({ full })])
      expect(describeFindings(lintCard(channelCard(h, s, { refreshUserIds: [] })))).toEqual([]);
  });
});
