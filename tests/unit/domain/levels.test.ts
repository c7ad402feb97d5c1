import type { Category, Jurisdiction, Level } from '../../../src/domain/common.schema';
import {
  assessLevel,
  checkRequestedLevel,
  type CriteriaFailureCode,
  type LevelFactsInput,
} from '../../../src/domain/levels';

const L2: LevelFactsInput = { multiAgencyMeetingsAddValue: true, highestRosh: 'HIGH' };
const L3: LevelFactsInput = { ...L2, seniorOversightReasons: ['media_scrutiny_public_interest'] };
const SCO_L3: LevelFactsInput = {
  ...L3,
  level2CannotDeliver: 'Surveillance at short notice needs senior police sign-off.',
};

describe('assessLevel: the lowest level the facts support', () => {
  test.each<[string, Jurisdiction, Category | null, LevelFactsInput, Level | null]>([
    ['nothing stated: Level 1', 'england-wales', 'cat1', {}, 1],
    [
      'High RoSH but meetings add nothing: Level 1 (level is not risk)',
      'england-wales',
      'cat2',
      { highestRosh: 'VERY_HIGH' },
      1,
    ],
    [
      'adds value but no Level 2 criterion: Level 1',
      'england-wales',
      'cat2',
      { multiAgencyMeetingsAddValue: true, highestRosh: 'MEDIUM' },
      1,
    ],
    ['adds value + High RoSH: Level 2', 'england-wales', 'cat1', L2, 2],
    [
      'adds value + co-ordinated interventions (lower risk): Level 2',
      'england-wales',
      'cat2',
      { multiAgencyMeetingsAddValue: true, highestRosh: 'LOW', needsCoordinatedInterventions: true },
      2,
    ],
    [
      'adds value + stepping down from Level 3: Level 2',
      'scotland',
      'cat1',
      { multiAgencyMeetingsAddValue: true, steppingDownFromLevel3: true },
      2,
    ],
    ['Level 2 test + senior oversight: Level 3', 'england-wales', 'cat2', L3, 3],
    [
      'senior oversight for another stated reason: Level 3',
      'england-wales',
      'cat4',
      { ...L2, seniorOversightOther: 'Cross-border resources' },
      3,
    ],
    [
      'senior oversight without the Level 2 test: Level 1',
      'england-wales',
      'cat2',
      { seniorOversightReasons: ['public_confidence'] },
      1,
    ],
    ['Scotland Level 3 without "what Level 2 cannot deliver": Level 2', 'scotland', 'cat1', L3, 2],
    ['Scotland Level 3 with it: Level 3', 'scotland', 'restricted_patient', SCO_L3, 3],
    ['Category 3 meeting no test: no level (not Category 3)', 'england-wales', 'cat3', {}, null],
    ['Category 3 meeting the Level 2 test: Level 2', 'scotland', 'cat3', L2, 2],
  ])('%s', (_label, j, category, facts, expected) => {
    const a = assessLevel(j, category, facts);
    expect(a.level).toBe(expected);
    expect(a.reasons.length).toBeGreaterThan(0);
  });

  test('Level 1 cites the lowest-level principle and prompts escalation when the plan is not robust', () => {
    const a = assessLevel('england-wales', 'cat2', { leadAgencyPlanRobust: false });
    expect(a.reasons[0]).toMatch(/lowest level that gives a defensible plan/);
    expect(a.warnings.join(' ')).toMatch(/consider a Level 2 referral/);
  });

  test('the checklist shows each criterion and whether it is met; the Scottish-only item only in Scotland', () => {
    const ew = assessLevel('england-wales', 'cat1', L3).checklist;
    expect(ew.filter((c) => c.met).map((c) => c.id)).toEqual([
      'l2_adds_value',
      'l2_high_rosh',
      'l3_media_scrutiny_public_interest',
    ]);
    expect(ew.some((c) => c.id === 'l3_level2_cannot_deliver')).toBe(false);
    expect(assessLevel('scotland', 'cat1', L3).checklist.find((c) => c.id === 'l3_level2_cannot_deliver')?.met).toBe(
      false,
    );
  });
});

describe('checkRequestedLevel (referral flow)', () => {
  test.each<
    [string, Category | null, Level | 'advise', LevelFactsInput, Jurisdiction, Level | null, CriteriaFailureCode[]]
  >([
    ['Category 3 at Level 1 is refused', 'cat3', 1, L2, 'england-wales', null, ['CATEGORY_3_LEVEL_1']],
    ['Category 1 at Level 1 is fine', 'cat1', 1, {}, 'england-wales', 1, []],
    ['Level 2 with the test met', 'cat2', 2, L2, 'england-wales', 2, []],
    [
      'Level 2 without any criterion',
      'cat2',
      2,
      { multiAgencyMeetingsAddValue: true },
      'england-wales',
      null,
      ['L2_NO_CRITERION'],
    ],
    [
      'Level 2 where meetings add nothing',
      'cat2',
      2,
      { highestRosh: 'HIGH' },
      'england-wales',
      null,
      ['L2_NO_ADDED_VALUE'],
    ],
    ['Level 3 with the Level 2 test and a senior reason (E&W)', 'cat2', 3, L3, 'england-wales', 3, []],
    ['Level 3 with no senior reason', 'cat2', 3, L2, 'england-wales', null, ['L3_NO_SENIOR_OVERSIGHT']],
    [
      'Level 3 with a senior reason but no Level 2 test',
      'cat2',
      3,
      { seniorOversightReasons: ['significant_resources_short_notice'] },
      'england-wales',
      null,
      ['L2_NO_ADDED_VALUE', 'L2_NO_CRITERION'],
    ],
    [
      'Scotland Level 3 must say what Level 2 cannot deliver',
      'cat1',
      3,
      L3,
      'scotland',
      null,
      ['L3_LEVEL2_CANNOT_DELIVER_MISSING'],
    ],
    ['Scotland Level 3 complete', 'cat3', 3, SCO_L3, 'scotland', 3, []],
    ['advise: returns the assessed level', 'cat1', 'advise', L3, 'england-wales', 3, []],
    [
      'advise: Category 3 without the Level 2 test fails',
      'cat3',
      'advise',
      {},
      'england-wales',
      null,
      ['CATEGORY_3_LEVEL_1', 'L2_NO_ADDED_VALUE', 'L2_NO_CRITERION'],
    ],
  ])('%s', (_label, category, requested, facts, j, level, failures) => {
    const r = checkRequestedLevel(category, requested, facts, j);
    if (level === null) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('LEVEL_CRITERIA_NOT_MET');
        expect(r.error.failures.map((f) => f.code)).toEqual(failures);
        expect(r.error.meta?.['failures']).toEqual(failures);
      }
    } else {
      expect(r).toMatchObject({ ok: true, value: { level } });
    }
  });

  test('defaults to England and Wales rules', () => {
    expect(checkRequestedLevel('cat1', 3, L3).ok).toBe(true);
  });
});
