import { deadlineForArea, newArea } from '../../../src/domain/area.schema';
import { addWorkingDays, createWorkingCalendar } from '../../../src/domain/calendar';
import {
  deadlineFor,
  defaultTimescalePolicy,
  dueDate,
  TIMESCALES,
  type TimescaleKey,
  TimescalePolicy,
  workingDaysLate,
} from '../../../src/domain/timescales';

const ENG = createWorkingCalendar({ region: 'GB-ENG', extraClosures: [] });
const SCT = createWorkingCalendar({ region: 'GB-SCT', extraClosures: [] });
const SCO = defaultTimescalePolicy('scotland');
const EW = defaultTimescalePolicy('england-wales');

describe('default timescale policies', () => {
  test('both parse against the schema and cover every timescale', () => {
    for (const p of [SCO, EW]) {
      expect(TimescalePolicy.parse(p)).toEqual(p);
      expect(Object.keys(p).sort()).toEqual(Object.keys(TIMESCALES).sort());
    }
  });

  test.each([
    ['scotland', 'notificationAfterSentence', 3, 'working_days', true],
    ['scotland', 'referralAfterNotification', 5, 'working_days', true],
    ['scotland', 'coordinatorDecision', 10, 'working_days', false],
    ['scotland', 'firstLevel2Meeting', 20, 'working_days', true],
    ['scotland', 'firstLevel3Meeting', 5, 'working_days', true],
    ['scotland', 'level2Review', 12, 'weeks', true],
    ['scotland', 'level3Review', 6, 'weeks', true],
    ['scotland', 'olrRmpReview', 12, 'months', true],
    ['england-wales', 'coordinatorDecision', 10, 'working_days', true],
    ['england-wales', 'firstLevel2Meeting', 20, 'working_days', false],
    ['england-wales', 'firstLevel3Meeting', 5, 'working_days', false],
    ['england-wales', 'level2Review', 16, 'weeks', false],
    ['england-wales', 'level3Review', 8, 'weeks', false],
    ['england-wales', 'victimContactAfterSentence', 8, 'weeks', true],
    ['england-wales', 'sfoNotification', 5, 'calendar_days', false],
  ] as const)('%s %s = %i %s (verified: %s)', (j, key, amount, unit, verified) => {
    const rule = defaultTimescalePolicy(j)[key];
    expect(rule).toMatchObject({ amount, unit, verified });
    if (!verified) expect(rule?.note ?? '').toMatch(/UNVERIFIED/);
  });

  test.each([
    ['scotland', 'notificationAfterSentence', 'area_practice'],
    ['scotland', 'referralAfterNotification', 'area_practice'],
    ['scotland', 'coordinatorDecision', 'area_practice'],
    ['scotland', 'firstLevel2Meeting', 'national_guidance'],
    ['scotland', 'firstLevel3Meeting', 'area_practice'],
    ['scotland', 'level2Review', 'area_practice'],
    ['scotland', 'level3Review', 'area_practice'],
    ['scotland', 'olrRmpReview', 'national_guidance'],
    ['england-wales', 'coordinatorDecision', 'area_practice'],
    ['england-wales', 'level2Review', 'national_guidance'],
    ['england-wales', 'victimContactAfterSentence', 'national_guidance'],
  ] as const)('%s %s comes from %s', (j, key, provenance) => {
    expect(defaultTimescalePolicy(j)[key]?.provenance).toBe(provenance);
  });

  test('the Scottish review defaults say national guidance leaves the frequency to the first meeting', () => {
    for (const key of ['level2Review', 'level3Review'] as const)
      expect(SCO[key]?.note).toMatch(/set at the first meeting/);
  });

  test('a rule stored before provenance was recorded is read as area practice, never as national', () => {
    const { provenance: _p, ...old } = SCO.referralAfterNotification!;
    expect(
      TimescalePolicy.parse({ ...SCO, referralAfterNotification: old }).referralAfterNotification?.provenance,
    ).toBe('area_practice');
  });

  test('steps with no figure in the brief are unset, not guessed', () => {
    expect(EW.notificationAfterSentence).toBeNull();
    expect(EW.referralAfterNotification).toBeNull();
    expect(SCO.victimContactAfterSentence).toBeNull();
    expect(deadlineFor(EW, 'notificationAfterSentence', '2026-01-05', ENG)).toBeNull();
  });

  test('each call returns a fresh object an area can edit', () => {
    const p = defaultTimescalePolicy('scotland');
    p.level2Review = { ...p.level2Review!, amount: 8 };
    expect(defaultTimescalePolicy('scotland').level2Review?.amount).toBe(12);
  });
});

describe('deadlines (table-driven, both jurisdictions)', () => {
  const cases: [string, 'SCO' | 'EW', TimescaleKey, string, string][] = [
    // North Strathclyde seed: notification 3 working days after sentence…
    ["sentence on a Friday before St Andrew's Day", 'SCO', 'notificationAfterSentence', '2026-11-20', '2026-11-25'],
    // …referral within 5 working days of notification (eight working days after sentencing)
    ["referral spans St Andrew's Day", 'SCO', 'referralAfterNotification', '2026-11-25', '2026-12-03'],
    [
      'initial L2 meeting within 20 working days spans Christmas and 2 January substitute',
      'SCO',
      'firstLevel2Meeting',
      '2026-12-03',
      '2027-01-06',
    ],
    ['same L2 deadline in E&W (no 2 January holiday)', 'EW', 'firstLevel2Meeting', '2026-12-03', '2027-01-05'],
    ['L3 meeting within 5 working days over Christmas', 'SCO', 'firstLevel3Meeting', '2026-12-22', '2026-12-31'],
    ['L3 meeting within 5 working days at a month end', 'EW', 'firstLevel3Meeting', '2026-08-26', '2026-09-03'],
    ['co-ordinator decision in 10 working days over New Year', 'EW', 'coordinatorDecision', '2026-12-18', '2027-01-06'],
    [
      'co-ordinator decision in 10 working days over New Year',
      'SCO',
      'coordinatorDecision',
      '2026-12-18',
      '2027-01-07',
    ],
    ['L2 review every 12 weeks', 'SCO', 'level2Review', '2026-09-08', '2026-12-01'],
    ['L2 review landing on the Boxing Day substitute rolls back', 'SCO', 'level2Review', '2026-10-05', '2026-12-24'],
    [
      "L3 review every 6 weeks landing on St Andrew's Day rolls back",
      'SCO',
      'level3Review',
      '2026-10-19',
      '2026-11-27',
    ],
    ['L3 review every 6 weeks, same dates in E&W policy (8 weeks)', 'EW', 'level3Review', '2026-10-19', '2026-12-14'],
    [
      'E&W L2 review (16 weeks) on the Boxing Day substitute rolls back',
      'EW',
      'level2Review',
      '2026-09-07',
      '2026-12-24',
    ],
    [
      'VLO contact 8 weeks after sentence, Easter Monday rolls back past Good Friday',
      'EW',
      'victimContactAfterSentence',
      '2026-02-09',
      '2026-04-02',
    ],
    ['SFO notice in 5 calendar days, Saturday rolls back', 'EW', 'sfoNotification', '2026-12-21', '2026-12-24'],
    ['OLR review 12 months from a leap day clamps to 28 February', 'SCO', 'olrRmpReview', '2024-02-29', '2025-02-28'],
    ['OLR review 12 months from a month end', 'SCO', 'olrRmpReview', '2026-01-31', '2027-01-29'],
  ];
  test.each(cases)('%s (%s %s from %s) → %s', (_label, j, key, from, expected) => {
    const [policy, cal] = j === 'SCO' ? [SCO, SCT] : [EW, ENG];
    expect(deadlineFor(policy, key, from, cal)?.due).toBe(expected);
  });

  test('notification + referral equals "eight working days after sentencing" (North Strathclyde)', () => {
    for (const sentence of ['2026-11-20', '2026-12-21', '2027-01-01', '2026-03-31']) {
      const notified = dueDate(SCO.notificationAfterSentence!, sentence, SCT);
      expect(dueDate(SCO.referralAfterNotification!, notified, SCT)).toBe(addWorkingDays(sentence, 8, SCT));
    }
  });

  test('a rule with adjust "next_working_day" rolls forward', () => {
    const rule = {
      amount: 1,
      unit: 'weeks' as const,
      adjust: 'next_working_day' as const,
      verified: true,
      source: 'test',
    };
    expect(dueDate(rule, '2026-11-23', SCT)).toBe('2026-12-01');
  });

  test.each([
    ['2026-12-24', '2026-12-24', 0],
    ['2026-12-24', '2026-12-29', 1],
    ['2026-12-24', '2026-12-22', 0],
    ['2026-11-27', '2026-12-02', 2],
  ])('workingDaysLate(due %s, done %s) = %i in Scotland', (due, done, expected) =>
    expect(workingDaysLate(due, done, SCT)).toBe(expected),
  );
});

describe('deadlineForArea', () => {
  test('uses the area policy, region and extra closures', () => {
    const area = newArea({ id: 'ns', name: 'Test North', jurisdiction: 'scotland', tenantId: 't' });
    expect(deadlineForArea(area, 'referralAfterNotification', '2026-11-25')?.due).toBe('2026-12-03');
    const closed = {
      ...area,
      calendar: { ...area.calendar, extraClosures: [{ date: '2026-12-01', reason: 'Office move' }] },
    };
    expect(deadlineForArea(closed, 'referralAfterNotification', '2026-11-25')?.due).toBe('2026-12-04');
    const edited = {
      ...area,
      timescales: { ...area.timescales, level2Review: { ...area.timescales.level2Review!, amount: 8 } },
    };
    expect(deadlineForArea(edited, 'level2Review', '2026-09-08')?.due).toBe('2026-11-03');
  });

  test('carries where the figure comes from, and labels area practice as such', () => {
    const area = newArea({ id: 'ns', name: 'Test North', jurisdiction: 'scotland', tenantId: 't' });
    expect(deadlineForArea(area, 'level2Review', '2026-09-08')).toMatchObject({
      provenance: 'area_practice',
      label: 'Level 2 review (area practice)',
    });
    expect(deadlineForArea(area, 'firstLevel2Meeting', '2026-09-08')).toMatchObject({
      provenance: 'national_guidance',
      label: 'First Level 2 meeting',
    });
  });
});
