import { applyAnswer, findQuestion, questionApplies, type FormContext } from '../../src/app/referrals/referral-form';
import { defaultAgencies } from '../../src/domain/agency-catalogue';
import { EligibilityFacts } from '../../src/domain/eligibility';

// Facts are chosen by number from the E&W list: 2 convicted, 4 murder/Sch 15, 5 non-registrable sexual, 7 terrorism.
const ctx = (sections: FormContext['sections']): FormContext => ({
  jurisdiction: 'england-wales',
  agencies: defaultAgencies('england-wales'),
  sections,
  referrerHasVisorAccess: false,
});

describe('referral walk: the category questions', () => {
  test('asks a non-registrable sexual offender for the sentence or disposal, which Category 2 needs', () => {
    const disposal = findQuestion('category', 'eligibilityFacts.qualifyingDisposal')!;
    const facts = EligibilityFacts.parse({ convicted: true, nonRegistrableSexualOffender: true });
    expect(questionApplies(disposal, ctx({ category: { eligibilityFacts: facts } }))).toBe(true);
  });

  test('says both categories apply and the co-ordinator chooses, instead of calling Category 4 the wrong choice', () => {
    const q = findQuestion('category', 'eligibilityFacts')!;
    const sections = {
      category: {
        category: 'cat4' as const,
        eligibilityFacts: EligibilityFacts.parse({ qualifyingDisposal: 'custody_12m_plus' }),
      },
    };
    const res = applyAnswer(q, '2, 4, 7', ctx(sections));
    expect(res.ok && res.value.notes).toEqual([
      'These answers support Category 2: violent and other sexual offenders or Category 4: terrorism, terrorism-connected or terrorism-risk offenders. More than one category applies, so the co-ordinator chooses.',
    ]);
  });
});
