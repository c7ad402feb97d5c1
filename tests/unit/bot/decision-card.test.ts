import type { ReferralSummary } from '../../../src/app/referrals';
import { renderCard } from '../../../src/bot/cards/render';
import { decisionCardData } from '../../../src/bot/referrals/decision.card';
import { cardText } from '../../support/connector';
import { describeFindings, lintCard } from '../../support/card-lint';

/** A submitted Category 2 referral asking for Level 2; every person in it is invented. */
function aSummary(over: Partial<ReferralSummary> = {}): ReferralSummary {
  return {
    referralId: '00000000-0000-4000-8000-00000000a001',
    version: 3,
    status: 'submitted',
    caseId: 'case-1',
    caseRef: 'MAPPA-2026-0042',
    caseRefForReferrer: null,
    categoryLabel: 'Category 2: violent and other sexual offenders',
    initials: 'T.I.',
    levelRequested: 'Level 2',
    referrerName: 'Sam Invented',
    referrerAadObjectId: 'a3333333-3333-4333-8333-333333333333',
    referrerAgency: 'Probation Service',
    submittedOn: '2026-12-01',
    decisionDue: '2026-12-14',
    daysLeft: 10,
    advisoryNotes: [],
    questions: [],
    identityCheck: null,
    decision: null,
    assessment: {
      levelTest: {
        summary: 'Level 2 test met',
        reasons: ['formal multi-agency meetings would add value', 'assessed as High or Very High risk of serious harm'],
      },
      rosh: [
        { group: 'Public', level: 'Medium' },
        { group: 'Known adult', level: 'High' },
        { group: 'Children', level: 'Low' },
        { group: 'Staff', level: 'Low' },
      ],
      roshContext: 'Assessed for custody on 10 Jan 2026',
      categoryBasis: ['convicted of a specified violent offence', 'sentenced to 12 months or more in custody'],
      rationale: 'Release due and housing and victim safety need several agencies.',
    },
    ...over,
  };
}

const render = (data: ReturnType<typeof decisionCardData>) => renderCard('referral-decision', data, 'OFFICIAL');
const textOf = (card: unknown) => cardText({ attachments: [{ content: card }] });
const buttons = (card: unknown) => ((card as { actions?: Array<{ title: string }> }).actions ?? []).map((a) => a.title);

describe("the co-ordinator's referral decision card", () => {
  it('shows what a decision rests on: the level test and its reasons, RoSH, category basis and the rationale', () => {
    const shown = textOf(render(decisionCardData(aSummary())));
    expect(shown).toContain('Level 2 test met');
    expect(shown).toContain('assessed as High or Very High risk of serious harm');
    expect(shown).toContain('Known adult\nHigh');
    expect(shown).toContain('Assessed for custody on 10 Jan 2026');
    expect(shown).toContain('sentenced to 12 months or more in custody');
    expect(shown).toContain('Release due and housing and victim safety need several agencies.');
  });

  it('keeps the level test reasons, RoSH and free text off the channel copy', () => {
    const json = JSON.stringify(render(decisionCardData(aSummary(), { forChannel: true })));
    expect(json).not.toContain('Release due');
    expect(json).not.toContain('Known adult');
    expect(json).not.toContain('12 months or more');
    expect(json).toContain('T.I.');
  });

  it('names the case once and says the deadline as one clear line', () => {
    const card = render(decisionCardData(aSummary()));
    const json = JSON.stringify(card);
    expect(json.split('MAPPA-2026-0042')).toHaveLength(2);
    expect(textOf(card)).toContain('Decide by 14 Dec 2026 · 10 working days left');
    expect(textOf(render(decisionCardData(aSummary({ daysLeft: 1 }))))).toContain(
      'Decide by 14 Dec 2026 · 1 working day left',
    );
    expect(textOf(render(decisionCardData(aSummary({ daysLeft: -2 }))))).toContain(
      'Decide by 14 Dec 2026 · 2 working days overdue',
    );
  });

  it('says who decided what, and when, instead of "Decide by: Decided"; Export stays', () => {
    const decided = aSummary({
      status: 'accepted',
      decision: {
        outcome: 'accepted',
        level: 2,
        rationale: 'Level 2 test met.',
        decidedBy: 'Morgan Reyes',
        decidedAt: '2026-11-30T10:15:00Z',
      },
    });
    const card = render(decisionCardData(decided));
    const shown = textOf(card);
    expect(shown).toContain('Approved at Level 2 by Morgan Reyes, 30 Nov 2026');
    expect(shown).not.toMatch(/Decided\b/);
    // Approved at Level 2: the meeting can be scheduled from the card (sent to the presser's personal chat).
    expect(buttons(card)).toEqual(['Schedule meeting', 'Export MAPPA A']);
    const rejected = aSummary({
      status: 'declined',
      decision: { outcome: 'declined', level: 1, rationale: 'x', decidedBy: 'Morgan Reyes', decidedAt: '2026-11-30' },
    });
    expect(textOf(render(decisionCardData(rejected)))).toContain('Rejected by Morgan Reyes, 30 Nov 2026');
    expect(buttons(render(decisionCardData(rejected)))).toEqual(['Export MAPPA A']);
  });

  it('passes the accessibility lint open and decided, for the co-ordinator and the channel', () => {
    const decided = aSummary({
      decision: { outcome: 'accepted', level: 3, rationale: 'r', decidedBy: 'Morgan Reyes', decidedAt: '2026-11-30' },
    });
    for (const s of [aSummary(), decided])
      for (const forChannel of [false, true])
        expect(describeFindings(lintCard(render(decisionCardData(s, { forChannel }))))).toEqual([]);
  });
});
