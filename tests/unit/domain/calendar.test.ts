import { addWorkingDays, createWorkingCalendar, isWorkingDay, workingDaysBetween } from '../../../src/domain/calendar';
import { addDays, addMonths, daysBetween, isIsoDate, ukDateOf } from '../../../src/domain/dates';

const ENG = createWorkingCalendar({ region: 'GB-ENG', extraClosures: [] });
const WLS = createWorkingCalendar({ region: 'GB-WLS', extraClosures: [] });
const SCT = createWorkingCalendar({ region: 'GB-SCT', extraClosures: [] });
const CAL = { ENG, WLS, SCT };

describe('ISO dates', () => {
  test.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-04-31', false],
  ])('isIsoDate(%s) = %s', (d, expected) => expect(isIsoDate(d)).toBe(expected));

  test.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-29', 1, '2026-03-30'], // the clocks change; a date must not
    ['2026-03-01', -1, '2026-02-28'],
  ])('addDays(%s, %i) = %s', (d, n, expected) => expect(addDays(d, n)).toBe(expected));

  test.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-08-31', 1, '2026-09-30'],
    ['2026-11-15', 2, '2027-01-15'],
  ])('addMonths(%s, %i) clamps to month end: %s', (d, n, expected) => expect(addMonths(d, n)).toBe(expected));

  test('daysBetween counts calendar days across a month end', () =>
    expect(daysBetween('2026-01-30', '2026-03-02')).toBe(31));

  test('ukDateOf keeps a late-evening BST instant on its UK day', () => {
    expect(ukDateOf(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(ukDateOf(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });
});

describe('bank holidays', () => {
  test.each([
    // [date, region, working?]
    ['2026-11-30', 'SCT', false], // St Andrew's Day, Monday 30 November 2026
    ['2026-11-30', 'ENG', true],
    ['2026-12-28', 'ENG', false], // Boxing Day substitute
    ['2026-12-28', 'WLS', false],
    ['2026-12-28', 'SCT', false],
    ['2026-01-02', 'SCT', false], // 2 January, Scotland only
    ['2026-01-02', 'ENG', true],
    ['2026-04-06', 'ENG', false], // Easter Monday, not a Scottish bank holiday
    ['2026-04-06', 'SCT', true],
    ['2026-08-03', 'SCT', false], // Scottish summer bank holiday is the first Monday
    ['2026-08-31', 'ENG', false],
    ['2026-08-31', 'SCT', true],
    ['2027-01-04', 'SCT', false], // substitute for 2 January 2027 (a Saturday)
    ['2027-12-27', 'ENG', false], // Christmas substitute
    ['2028-01-03', 'ENG', false], // New Year substitute
    ['2028-01-04', 'SCT', false], // New Year substitute after 2 January's
    ['2026-04-05', 'ENG', false], // Sunday (Easter Sunday is an observance, closed as a weekend)
    ['2026-03-15', 'ENG', false], // Sunday
    ['2026-03-16', 'ENG', true],
  ] as const)('%s in %s is a working day: %s', (date, region, expected) =>
    expect(isWorkingDay(date, CAL[region])).toBe(expected),
  );

  test('a configured extra closure is not a working day and names its reason', () => {
    const cal = createWorkingCalendar({
      region: 'GB-ENG',
      extraClosures: [{ date: '2026-12-29', reason: 'Office closure' }],
    });
    expect(cal.closure('2026-12-29')).toBe('Office closure');
    expect(addWorkingDays('2026-12-24', 1, cal)).toBe('2026-12-30');
    expect(addWorkingDays('2026-12-24', 1, ENG)).toBe('2026-12-29');
  });
});

describe('addWorkingDays', () => {
  test.each([
    // [from, n, region, expected]
    ['2026-11-27', 1, 'SCT', '2026-12-01'], // Fri → over the weekend and St Andrew's Day
    ['2026-11-27', 1, 'ENG', '2026-11-30'],
    ['2026-12-24', 1, 'ENG', '2026-12-29'], // Christmas, weekend, Boxing Day substitute
    ['2026-12-24', 1, 'SCT', '2026-12-29'],
    ['2026-12-31', 1, 'SCT', '2027-01-05'], // 1 Jan, 2 Jan (Sat) and its substitute Monday
    ['2026-12-31', 1, 'ENG', '2027-01-04'],
    ['2026-01-30', 1, 'ENG', '2026-02-02'], // month end over a weekend
    ['2028-02-28', 1, 'ENG', '2028-02-29'], // leap day
    ['2026-08-28', 1, 'ENG', '2026-09-01'], // month end over the E&W summer bank holiday
    ['2026-08-28', 1, 'SCT', '2026-08-31'],
    ['2026-04-02', 1, 'ENG', '2026-04-07'], // Good Friday and Easter Monday
    ['2026-04-02', 1, 'SCT', '2026-04-06'],
    ['2026-11-28', 1, 'SCT', '2026-12-01'], // starting on a Saturday
    ['2026-12-01', -1, 'SCT', '2026-11-27'],
    ['2026-06-10', 0, 'ENG', '2026-06-10'],
  ] as const)('%s + %i working days in %s = %s', (from, n, region, expected) =>
    expect(addWorkingDays(from, n, CAL[region])).toBe(expected),
  );
});

describe('workingDaysBetween (late by N working days)', () => {
  test.each([
    ['2026-12-24', '2026-12-29', 'ENG', 1],
    ['2026-11-27', '2026-12-01', 'SCT', 1],
    ['2026-11-27', '2026-12-01', 'ENG', 2],
    ['2026-12-01', '2026-11-27', 'SCT', -1],
    ['2026-06-10', '2026-06-10', 'ENG', 0],
    ['2026-01-30', '2026-02-27', 'ENG', 20],
    ['2026-12-31', '2027-01-06', 'SCT', 2],
  ] as const)('(%s, %s] in %s = %i', (from, to, region, expected) =>
    expect(workingDaysBetween(from, to, CAL[region])).toBe(expected),
  );

  test('is the inverse of addWorkingDays', () => {
    for (const n of [1, 5, 10, 20, 60])
      expect(workingDaysBetween('2026-11-20', addWorkingDays('2026-11-20', n, SCT), SCT)).toBe(n);
  });
});
