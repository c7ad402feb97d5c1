import { assessCategory, categoriesFor, type EligibilityFactsInput } from '../../../src/domain/eligibility';

const violentCustody: EligibilityFactsInput = {
  convicted: true,
  murderOrSchedule15Offence: true,
  qualifyingDisposal: 'custody_12m_plus',
};

describe('category eligibility, England and Wales', () => {
  test.each<[string, EligibilityFactsInput, string | null, string | null]>([
    ['registered sexual offender', { subjectToNotificationRequirements: true, convicted: true }, 'cat1', 'automatic'],
    [
      'SONR wins over a Schedule 15 custodial sentence',
      { ...violentCustody, subjectToNotificationRequirements: true },
      'cat1',
      'automatic',
    ],
    ['Schedule 15 with 12 months+ custody', violentCustody, 'cat2', 'automatic'],
    [
      'Schedule 15 with a suspended sentence of 12 months+',
      { ...violentCustody, qualifyingDisposal: 'suspended_12m_plus' },
      'cat2',
      'automatic',
    ],
    [
      'Schedule 15 with a hospital order',
      { ...violentCustody, qualifyingDisposal: 'hospital_order' },
      'cat2',
      'automatic',
    ],
    [
      'Schedule 15 but under 12 months (no qualifying disposal)',
      { convicted: true, murderOrSchedule15Offence: true },
      null,
      null,
    ],
    [
      'disqualified from working with children',
      { convicted: true, disqualifiedFromWorkingWithChildren: true },
      'cat2',
      'automatic',
    ],
    [
      'non-registrable sexual offender with 12 months+ custody',
      { convicted: true, nonRegistrableSexualOffender: true, qualifyingDisposal: 'custody_12m_plus' },
      'cat2',
      'automatic',
    ],
    [
      'non-registrable sexual offender with a hospital order',
      { convicted: true, nonRegistrableSexualOffender: true, qualifyingDisposal: 'hospital_order' },
      'cat2',
      'automatic',
    ],
    // CJA 2003 s.327(3)-(4): the sentence or disposal test applies to the sexual (Sch 15 Part 2) offences too.
    [
      'non-registrable sexual offender without a qualifying disposal',
      { convicted: true, nonRegistrableSexualOffender: true },
      null,
      null,
    ],
    ['terrorism offence', { convicted: true, terrorismOffenceOrConnection: true }, 'cat4', 'automatic'],
    [
      'caution plus RA belief of terrorism risk',
      { cautionedOrEquivalent: true, raBelievesTerrorismRisk: true },
      'cat4',
      'discretionary',
    ],
    ['RA belief of terrorism risk without any conviction or caution', { raBelievesTerrorismRisk: true }, null, null],
    [
      'other dangerous offender needing active management',
      {
        convicted: true,
        offenceShowsCapacityForSeriousHarm: true,
        raBelievesMayCauseSeriousHarm: true,
        needsActiveMultiAgencyManagement: true,
      },
      'cat3',
      'discretionary',
    ],
    [
      'capacity for serious harm but no need for Level 2/3',
      { convicted: true, offenceShowsCapacityForSeriousHarm: true, raBelievesMayCauseSeriousHarm: true },
      null,
      null,
    ],
    ['nothing stated', {}, null, null],
  ])('%s', (_label, facts, category, basis) => {
    const a = assessCategory('england-wales', facts);
    expect(a.category).toBe(category);
    expect(a.eligible).toBe(category !== null);
    if (a.eligible) {
      expect(a.basis).toBe(basis);
      expect(a.reasons.length).toBeGreaterThan(0);
    }
  });

  test('a refusal explains every category considered', () => {
    const a = assessCategory('england-wales', {});
    expect(a.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Not Category 1.*notification requirements/),
        expect.stringMatching(/^Not Category 3/),
        expect.stringMatching(/^Not Category 4/),
      ]),
    );
  });

  test('the reasons name the conditions met', () => {
    expect(
      assessCategory('england-wales', { cautionedOrEquivalent: true, raBelievesTerrorismRisk: true }).reasons,
    ).toEqual([
      'convicted, cautioned, found not guilty by insanity or unfit but did the act',
      'the Responsible Authority believes they may be or become involved in terrorism-related activity',
    ]);
  });
});

describe('several categories at once (the Category 4 precedence is not settled)', () => {
  const terrorism = { terrorismOffenceOrConnection: true } as const;

  test.each<[string, EligibilityFactsInput, string[]]>([
    [
      'registered sexual offender with a terrorism offence',
      { subjectToNotificationRequirements: true, convicted: true, ...terrorism },
      ['cat1', 'cat4'],
    ],
    ['Schedule 15 custody with a terrorist connection', { ...violentCustody, ...terrorism }, ['cat2', 'cat4']],
    ['terrorism offence alone', { convicted: true, ...terrorism }, ['cat4']],
    ['registered sexual offender alone', { subjectToNotificationRequirements: true, convicted: true }, ['cat1']],
    // Categories 1 and 2 are settled (lowest wins), and Category 3 covers only people in no other category.
    ['SONR and Schedule 15 custody', { ...violentCustody, subjectToNotificationRequirements: true }, ['cat1']],
    [
      'Schedule 15 custody and the Category 3 test',
      {
        ...violentCustody,
        offenceShowsCapacityForSeriousHarm: true,
        raBelievesMayCauseSeriousHarm: true,
        needsActiveMultiAgencyManagement: true,
      },
      ['cat2'],
    ],
  ])('%s', (_label, facts, categories) => {
    const a = assessCategory('england-wales', facts);
    expect(a.qualifying.map((q) => q.category)).toEqual(categories);
    expect(a.category).toBe(categories[0]);
    expect(a.coordinatorChooses).toBe(categories.length > 1);
  });

  test('says so in the reasons the co-ordinator reads, naming the other category and why it applies', () => {
    const a = assessCategory('england-wales', { ...violentCustody, ...terrorism });
    expect(a.reasons.at(-1)).toMatch(/^Also meets Category 4.*terrorism offence.*the co-ordinator chooses/);
    expect(a.qualifying[1]).toMatchObject({ category: 'cat4', basis: 'automatic' });
  });

  test('nothing qualifying lists nothing', () => {
    expect(assessCategory('england-wales', {})).toMatchObject({ qualifying: [], coordinatorChooses: false });
  });

  test('Scotland lists one category: its precedence is not in question', () => {
    const a = assessCategory('scotland', { subjectToNotificationRequirements: true, restrictedPatient: true });
    expect(a.qualifying.map((q) => q.category)).toEqual(['cat1']);
    expect(a.coordinatorChooses).toBe(false);
  });
});

describe('category eligibility, Scotland', () => {
  const orosh: EligibilityFactsInput = {
    convicted: true,
    subjectToCommunitySupervision: true,
    roshToPublic: 'HIGH',
    needsActiveMultiAgencyManagement: true,
  };
  test.each<[string, EligibilityFactsInput, string | null]>([
    ['registered sex offender', { subjectToNotificationRequirements: true }, 'cat1'],
    ['restricted patient', { restrictedPatient: true }, 'restricted_patient'],
    [
      'RSO who is also a restricted patient is Category 1',
      { subjectToNotificationRequirements: true, restrictedPatient: true },
      'cat1',
    ],
    ['ORoSH: High RoSH under community supervision', orosh, 'cat3'],
    ['ORoSH: Very High', { ...orosh, roshToPublic: 'VERY_HIGH' }, 'cat3'],
    ['ORoSH needs High or Very High RoSH', { ...orosh, roshToPublic: 'MEDIUM' }, null],
    ['ORoSH needs community supervision', { ...orosh, subjectToCommunitySupervision: false }, null],
    [
      'ORoSH needs a conviction (a caution is not enough)',
      { ...orosh, convicted: false, cautionedOrEquivalent: true },
      null,
    ],
    ['Scotland does not use Category 2 violent offenders', violentCustody, null],
    ['Scotland has no Category 4', { convicted: true, terrorismOffenceOrConnection: true }, null],
  ])('%s', (_label, facts, category) => {
    expect(assessCategory('scotland', facts).category).toBe(category);
  });

  test('only Category 3 is restricted to Levels 2 and 3, in both jurisdictions', () => {
    for (const j of ['england-wales', 'scotland'] as const) {
      for (const info of categoriesFor(j))
        expect(info.allowedLevels).toEqual(info.category === 'cat3' ? [2, 3] : [1, 2, 3]);
    }
    expect(categoriesFor('scotland').map((c) => c.category)).toEqual(['cat1', 'restricted_patient', 'cat3']);
    expect(categoriesFor('england-wales').map((c) => c.category)).toEqual(['cat1', 'cat2', 'cat3', 'cat4']);
  });
});
