import { REFERRAL_SECTIONS, validateReferralForSubmit } from '../../../src/domain/referral-sections';
import { Referral, ReferralSections } from '../../../src/domain/referral.schema';
import { anArea, aReferral, completeReferralSections } from '../../fixtures/domain-builders';

const EW = anArea('england-wales');
const SCO = anArea('scotland');

function withSections(patch: (s: ReturnType<typeof completeReferralSections>) => void): Referral {
  const s = completeReferralSections();
  patch(s);
  return aReferral({ sections: s });
}

describe('REFERRAL_SECTIONS', () => {
  test('walks every MAPPA A section once, in schema order', () => {
    expect(REFERRAL_SECTIONS.map((s) => s.id)).toEqual(Object.keys(ReferralSections.shape));
  });

  test('every required field exists in its section schema and guidance is given', () => {
    for (const sec of REFERRAL_SECTIONS) {
      const keys = Object.keys(ReferralSections.shape[sec.id].shape);
      for (const f of sec.required) expect(keys).toContain(f);
      expect(sec.guidance.length).toBeGreaterThan(20);
    }
  });
});

describe('validateReferralForSubmit', () => {
  test('a complete Level 2 referral is ready', () => {
    expect(validateReferralForSubmit(aReferral(), EW)).toEqual({ ready: true, missing: [], failures: [] });
  });

  test('an empty draft lists every required field and no criteria failures it cannot judge', () => {
    const v = validateReferralForSubmit(aReferral({ sections: {} }), EW);
    const expected = REFERRAL_SECTIONS.flatMap((s) => s.required.map((f) => `${s.id}.${f}`));
    expect(v.missing.map((m) => `${m.section}.${m.field}`)).toEqual(expected);
    expect(v.failures).toEqual([]);
    expect(v.ready).toBe(false);
  });

  test.each<[string, (s: ReturnType<typeof completeReferralSections>) => void, string]>([
    ['blank text counts as missing', (s) => (s.victims.victimSafetyConcerns = '  '), 'victims.victimSafetyConcerns'],
    ['empty list counts as missing', (s) => (s.offence.briefFacts = []), 'offence.briefFacts'],
    ['no agencies involved', (s) => (s.agencies.agencies = []), 'agencies.agencies'],
  ])('missing: %s', (_label, patch, field) => {
    const s = completeReferralSections();
    patch(s);
    // parse bypassed on purpose: the draft schema would reject some of these before they reach the validator
    const v = validateReferralForSubmit({ ...aReferral(), sections: s as Referral['sections'] }, EW);
    expect(v.missing.map((m) => `${m.section}.${m.field}`)).toEqual([field]);
  });

  test.each<[string, Referral, typeof EW, string[]]>([
    ['already submitted', aReferral({ status: 'submitted' }), EW, ['NOT_DRAFT']],
    ['no address and not NFA', withSections((s) => delete s.subject.address), EW, ['ADDRESS_MISSING']],
    [
      'no fixed abode is an answer',
      withSections((s) => {
        delete s.subject.address;
        s.subject.noFixedAbode = true;
      }),
      EW,
      [],
    ],
    [
      'facts support no category',
      withSections(
        (s) =>
          (s.category.eligibilityFacts = {
            ...s.category.eligibilityFacts,
            murderOrSchedule15Offence: false,
            offenceShowsCapacityForSeriousHarm: false,
          }),
      ),
      EW,
      ['NOT_ELIGIBLE'],
    ],
    [
      'facts support another category',
      withSections((s) => (s.category.eligibilityFacts.subjectToNotificationRequirements = true)),
      EW,
      ['CATEGORY_MISMATCH'],
    ],
    [
      'facts support Category 2 and Category 4, and the referrer chose 4',
      withSections((s) => {
        s.category.category = 'cat4';
        s.category.eligibilityFacts.terrorismOffenceOrConnection = true;
      }),
      EW,
      [],
    ],
    [
      'a non-registrable sexual offender with no qualifying disposal meets no category',
      withSections((s) => {
        s.category.eligibilityFacts = {
          ...s.category.eligibilityFacts,
          murderOrSchedule15Offence: false,
          nonRegistrableSexualOffender: true,
          offenceShowsCapacityForSeriousHarm: false,
        };
        delete s.category.eligibilityFacts.qualifyingDisposal;
      }),
      EW,
      ['NOT_ELIGIBLE'],
    ],
    [
      'Level 2 without any criterion',
      withSections((s) => (s.reason.levelFacts.highestRosh = 'MEDIUM')),
      EW,
      ['L2_NO_CRITERION'],
    ],
    [
      'Level 3 without senior oversight',
      withSections((s) => (s.reason.levelRequested = 3)),
      EW,
      ['L3_NO_SENIOR_OVERSIGHT'],
    ],
    [
      'Category 3 asking the co-ordinator to advise without the Level 2 test',
      withSections((s) => {
        s.category.category = 'cat3';
        s.category.eligibilityFacts = { ...s.category.eligibilityFacts, murderOrSchedule15Offence: false };
        s.reason.levelRequested = 'advise';
        s.reason.levelFacts.multiAgencyMeetingsAddValue = false;
      }),
      EW,
      ['CATEGORY_3_LEVEL_1', 'L2_NO_ADDED_VALUE'],
    ],
    [
      'agency unknown to the area',
      withSections((s) =>
        s.agencies.agencies.push({ agencyId: 'fire-service', involvement: 'x', contributionRequired: 'y' }),
      ),
      EW,
      ['UNKNOWN_AGENCY'],
    ],
    [
      'Category 2 is not used in Scotland',
      aReferral(),
      SCO,
      ['CATEGORY_NOT_IN_JURISDICTION', 'UNKNOWN_AGENCY', 'UNKNOWN_AGENCY', 'UNKNOWN_AGENCY'],
    ],
    [
      'Scotland Level 3 without what Level 2 cannot deliver',
      withSections((s) => {
        s.referrer.agencyId = 'local-authority';
        s.agencies.agencies = [{ agencyId: 'rsl', involvement: 'Tenancy', contributionRequired: 'Housing' }];
        s.attachments.documents = [];
        s.category.category = 'cat1';
        s.category.eligibilityFacts.subjectToNotificationRequirements = true;
        s.reason.levelRequested = 3;
        s.reason.levelFacts.seniorOversightReasons = ['public_confidence'];
      }),
      SCO,
      ['L3_LEVEL2_CANNOT_DELIVER_MISSING'],
    ],
  ])('criteria: %s', (_label, referral, area, codes) => {
    const v = validateReferralForSubmit(referral, area);
    expect(v.failures.map((f) => f.code)).toEqual(codes);
    expect(v.ready).toBe(codes.length === 0);
  });

  describe('the lead agency of the case a referral opens', () => {
    // As area set-up seeds it: co-ordinators and admins belong to the unit, which owns no case.
    const withUnit = {
      ...EW,
      agencies: [
        { id: 'mappa-unit', name: 'MAPPA co-ordination unit', role: 'other' as const, visorAccess: true, active: true },
        ...EW.agencies,
      ],
    };
    const byUnit = (caseId?: string) =>
      aReferral({
        sections: {
          ...completeReferralSections(),
          referrer: { ...completeReferralSections().referrer, agencyId: 'mappa-unit' },
        },
        ...(caseId ? { caseId } : {}),
      });

    test('a referral with no case cannot make the co-ordination unit its lead agency', () => {
      const v = validateReferralForSubmit(byUnit(), withUnit);
      expect(v.failures).toEqual([
        expect.objectContaining({
          code: 'LEAD_AGENCY_CANNOT_LEAD',
          section: 'referrer',
          message: expect.stringMatching(/MAPPA co-ordination unit cannot lead a case/),
        }),
      ]);
      expect(v.ready).toBe(false);
    });

    test('a referral on an existing case keeps that case lead agency, so the unit may refer it', () => {
      expect(validateReferralForSubmit(byUnit('case-1'), withUnit).failures).toEqual([]);
    });
  });

  test('an agency the area has deactivated is unknown', () => {
    const area = {
      ...EW,
      agencies: EW.agencies.map((a) => (a.id === 'housing-authority' ? { ...a, active: false } : a)),
    };
    expect(validateReferralForSubmit(aReferral(), area).failures.map((f) => f.code)).toEqual(['UNKNOWN_AGENCY']);
  });
});

describe('Referral schema', () => {
  test('a draft may hold partial sections', () => {
    const r = Referral.parse({
      id: 'r',
      areaId: 'a',
      status: 'draft',
      sections: { subject: { name: { given: 'Pat', family: 'Notreal' } } },
      createdAt: '2026-01-01T00:00:00Z',
      version: 0,
    });
    expect(r.sections.subject?.name?.family).toBe('Notreal');
    expect(r.protectiveMarking).toBe('OFFICIAL-SENSITIVE');
  });

  test('RoSH is one of LOW | MEDIUM | HIGH | VERY_HIGH per group', () => {
    const s = completeReferralSections();
    expect(
      ReferralSections.shape.risk.safeParse({ ...s.risk, rosh: { ...s.risk.rosh, public: 'EXTREME' } }).success,
    ).toBe(false);
    expect(
      ReferralSections.shape.risk.safeParse({ ...s.risk, rosh: { ...s.risk.rosh, prisoners: 'VERY_HIGH' } }).success,
    ).toBe(true);
  });

  test.each([[2], [3], ['advise']])('level requested %p is accepted', (level) => {
    expect(ReferralSections.shape.reason.shape.levelRequested.safeParse(level).success).toBe(true);
  });
  test.each([[1], [4], ['2']])('level requested %p is rejected', (level) => {
    expect(ReferralSections.shape.reason.shape.levelRequested.safeParse(level).success).toBe(false);
  });
});
