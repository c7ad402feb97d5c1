import { formatUkDate, formatUkDateTime, personInitials, roshLabel, whereNowLabel } from '../../../src/domain/format';

describe('one way to write dates and initials everywhere', () => {
  it('writes calendar dates and instants as a UK reader does, never as ISO', () => {
    expect(formatUkDate('2027-01-15')).toBe('15 Jan 2027');
    // 23:30 on 30 June in London is still 30 June, although it is 1 July nowhere near.
    expect(formatUkDate('2026-06-30T22:30:00Z')).toBe('30 Jun 2026');
    expect(formatUkDateTime('2026-06-30T22:30:00Z')).toBe('30 Jun 2026, 23:30');
    expect(formatUkDate('not a date')).toBe('not a date');
  });

  it('writes initials one way, from any spacing or case', () => {
    expect(personInitials({ given: ' dana ', family: 'colfax' })).toBe('D.C.');
    expect(personInitials({ given: 'Élodie Ann', family: "o'Brien" })).toBe('É.O.');
    expect(personInitials({ given: 'Dana' })).toBe('?');
    expect(personInitials(undefined)).toBe('?');
  });

  it('writes stored codes as the words the forms offer', () => {
    expect(roshLabel('VERY_HIGH')).toBe('Very high');
    expect(roshLabel('MEDIUM')).toBe('Medium');
    expect(whereNowLabel('custody')).toBe('In custody');
    expect(whereNowLabel('hospital')).toBe('Detained in hospital');
  });
});
