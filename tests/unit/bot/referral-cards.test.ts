import { formContext } from '../../../src/app/referrals/shared';
import { review } from '../../../src/app/referrals/review';
import type { ReferralSummary } from '../../../src/app/referrals';
import { defaultAgencies } from '../../../src/domain/agency-catalogue';
import type { Principal } from '../../../src/domain/policy';
import { reviewCard, submittedCard } from '../../../src/bot/referrals/dialog/review.card';
import { stepCard } from '../../../src/bot/referrals/dialog/step.card';
import { groupAt, sectionGroups } from '../../../src/bot/referrals/dialog/walk';
import { aMember } from '../../fixtures/builders';
import { anArea, aReferral, completeReferralSections } from '../../fixtures/domain-builders';

const MARKING = 'OFFICIAL-SENSITIVE';
const area = { ...anArea('england-wales'), agencies: defaultAgencies('england-wales') };
const principal: Principal = { tenantId: 't', aadObjectId: 'a', member: aMember({ agencyId: 'police' }) };
const sectionIndex = (id: string) =>
  [
    'referrer',
    'subject',
    'category',
    'offence',
    'risk',
    'reason',
    'agencies',
    'victims',
    'safeguarding',
    'diversity',
    'disclosure',
    'attachments',
  ].indexOf(id);

type Node = Record<string, unknown>;
const all = (node: unknown, out: Node[] = []): Node[] => {
  if (Array.isArray(node)) node.forEach((n) => all(n, out));
  else if (node && typeof node === 'object') {
    out.push(node as Node);
    Object.values(node).forEach((n) => all(n, out));
  }
  return out;
};
const inputs = (card: unknown) => all(card).filter((n) => String(n.type).startsWith('Input.'));
const actions = (card: unknown) => all(card).filter((n) => String(n.type).startsWith('Action.'));

/** The walk card for the step of `section` that asks `questionId`, on a draft holding `sections`. */
function cardFor(section: string, questionId: string, sections = {}) {
  const s = sectionIndex(section);
  const group = sectionGroups(s).find((g) => g.questions.some((x) => x.id === questionId))!;
  const form = formContext(area, sections, principal);
  return stepCard({ referralId: 'referral-1', section: s, field: group.first }, form, MARKING);
}

describe('the walk cards', () => {
  it('asks the eligibility facts as one multi-select list, beside the category and the sentence', () => {
    const card = cardFor('category', 'eligibilityFacts');
    const facts = inputs(card).find((i) => i.id === 'eligibilityFacts')!;
    expect(facts).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true, style: 'expanded' });
    expect((facts.choices as unknown[]).length).toBe(11);
    expect(inputs(card).find((i) => i.id === 'category')).toMatchObject({ type: 'Input.ChoiceSet', isRequired: true });
    expect(inputs(card).find((i) => i.id === 'eligibilityFacts.qualifyingDisposal')).toMatchObject({
      style: 'compact',
    });
    expect(card).toMatchSnapshot();
  });

  it('shows a saved multi-select answer ticked, and a saved date in the date picker', () => {
    const sections = completeReferralSections();
    const category = cardFor('category', 'eligibilityFacts', sections);
    expect(inputs(category).find((i) => i.id === 'eligibilityFacts')!.value).toBe(
      'convicted,murderOrSchedule15Offence,offenceShowsCapacityForSeriousHarm,raBelievesMayCauseSeriousHarm,needsActiveMultiAgencyManagement',
    );
    const offence = cardFor('offence', 'sentenceDate', sections);
    expect(inputs(offence).find((i) => i.id === 'sentenceDate')).toMatchObject({
      type: 'Input.Date',
      value: '2024-03-04',
      isRequired: true,
      label: 'Sentence date',
    });
    expect(offence).toMatchSnapshot();
  });

  it('gives agencies as rows of distinctly labelled inputs, saved ones first, with "add more"', () => {
    const card = cardFor('agencies', 'agencies', completeReferralSections());
    const ids = inputs(card).map((i) => String(i.id));
    expect(ids.slice(0, 3)).toEqual([
      'agencies.0.agencyId',
      'agencies.0.involvement',
      'agencies.0.contributionRequired',
    ]);
    expect(ids.filter((id) => id.endsWith('.agencyId'))).toHaveLength(5);
    const labels = inputs(card).map((i) => i.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(inputs(card)[0]).toMatchObject({ value: 'housing-authority', style: 'compact' });
    expect(actions(card).map((a) => a.title)).toEqual([
      'Save and continue',
      'Save and add more rows',
      'Keep the saved answers',
    ]);
    expect(card).toMatchSnapshot();
  });

  it('labels every input, and never offers more than three buttons', () => {
    for (let s = 0; s < 12; s += 1)
      for (const g of sectionGroups(s)) {
        const card = stepCard(
          { referralId: 'r', section: s, field: groupAt({ section: s, field: g.first })!.first },
          formContext(area, completeReferralSections(), principal),
          MARKING,
        );
        for (const i of inputs(card)) expect(String(i.label ?? '')).not.toBe('');
        expect(actions(card).length).toBeLessThanOrEqual(3);
      }
  });
});

describe('the review card', () => {
  const sections = completeReferralSections();
  sections.agencies.agencies.push({
    agencyId: 'yot',
    involvement: 'Supervises a sibling',
    contributionRequired: 'Attend meetings',
  });
  sections.victims.victims = [
    { description: 'Former partner', relationship: 'ex-partner', concerns: 'Lives nearby' },
    { description: 'New partner' },
  ];
  const { attachments: _none, ...withoutDocuments } = sections;
  const referral = aReferral({
    sections: { ...withoutDocuments, risk: { ...sections.risk, assessedOn: undefined } } as never,
  });
  const card = reviewCard({ referral, ...review(referral, area, principal) }, MARKING);
  const json = JSON.stringify(card);

  it('gives each section a status in words and an Edit button named after it', () => {
    const texts = all(card)
      .filter((n) => n.type === 'TextBlock')
      .map((n) => String(n.text));
    expect(texts).toContain('Section 1 · Referrer and agency: Complete');
    expect(texts).toContain('Section 5 · Current risk of serious harm: 1 answer missing');
    expect(json).not.toMatch(/"color":"Good"/);
    const edits = actions(card).filter((a) => String(a.title).startsWith('Edit '));
    expect(edits).toHaveLength(12);
    expect(new Set(edits.map((a) => a.title)).size).toBe(12);
    expect(edits[0]!.title).toBe('Edit Referrer and agency');
  });

  it('shows victims and agencies in full, an empty section as "Nothing entered", and UK dates', () => {
    expect(json).toContain('Does now: Supervises a sibling. Must contribute: Attend meetings.');
    expect(json).toContain('Former partner (ex-partner): Lives nearby');
    expect(json).toContain('"title":"Victim 2","value":"New partner"');
    expect(json).toContain('Nothing entered');
    expect(json).toContain('1 Apr 1990');
    expect(json).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(card).toMatchSnapshot();
  });
});

describe('the submitted card', () => {
  it('is read-only: it says what was sent and what happens next, with no buttons', () => {
    const summary = {
      initials: 'T.I.',
      levelRequested: 'Level 2',
      decisionDue: '2027-01-26',
      caseRefForReferrer: null,
    } as unknown as ReferralSummary;
    const card = submittedCard(summary, '2027-01-12T09:30:00Z', MARKING);
    expect(actions(card)).toEqual([]);
    expect(inputs(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('MAPPA A referral submitted: T.I.');
    expect(json).toContain('12 Jan 2027, 09:30');
    expect(json).toContain('26 Jan 2027');
    expect(json).not.toContain('MAPPA-');
    expect(card).toMatchSnapshot();
  });
});
