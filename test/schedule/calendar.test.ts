import { describe, expect, it } from 'vitest';
import type { CalendarEntry, PolicyFile } from '#lib/policy/schema.ts';
import { findCalendarDay, isCalendarDate, UnknownCalendarError } from '#lib/schedule/calendar.ts';

describe('a calendar entry', () => {
  it.each<[string, CalendarEntry[], string, boolean]>([
    ['a bare date matches that date', ['2026-12-24'], '2026-12-24', true],
    ['a bare date matches no other', ['2026-12-24'], '2026-12-25', false],
    ['a named date matches that date', [{ date: '2026-05-01', name: 'Labour Day' }], '2026-05-01', true],
    ['a range matches its first day', [{ from: '2026-12-24', to: '2027-01-01' }], '2026-12-24', true],
    ['a range matches a day inside, across the year end', [{ from: '2026-12-24', to: '2027-01-01' }], '2026-12-31', true],
    ['a range matches its last day (inclusive)', [{ from: '2026-12-24', to: '2027-01-01' }], '2027-01-01', true],
    ['a range matches nothing after it', [{ from: '2026-12-24', to: '2027-01-01' }], '2027-01-02', false],
    ['a range matches nothing before it', [{ from: '2026-12-24', to: '2027-01-01' }], '2026-12-23', false],
    ['a yearly date matches every year', [{ yearly: '12-25' }], '2031-12-25', true],
    ['a yearly 02-29 matches leap days', [{ yearly: '02-29' }], '2028-02-29', true],
    ['a yearly 02-29 does not move to the 28th in other years', [{ yearly: '02-29' }], '2026-02-28', false],
    ['an empty calendar matches nothing', [], '2026-12-25', false],
  ])('%s', (_title, entries, date, expected) => {
    expect(isCalendarDate(entries, date)).toBe(expected);
  });
});

describe('the calendar day of a policy', () => {
  const calendars: PolicyFile['calendars'] = {
    holidays: ['2026-12-24', { yearly: '12-25', name: 'Christmas' }, { from: '2026-12-20', to: '2026-12-31', name: 'Shutdown' }],
    blackouts: [{ date: '2026-12-25', name: 'Migration' }],
  };

  it('names the first calendar in the policy order and its first matching entry', () => {
    expect(findCalendarDay(['holidays', 'blackouts'], calendars, '2026-12-25')).toEqual({ calendar: 'holidays', entry: 'Christmas', description: 'every 12-25' });
    expect(findCalendarDay(['blackouts', 'holidays'], calendars, '2026-12-25')).toEqual({ calendar: 'blackouts', entry: 'Migration', description: '2026-12-25' });
  });

  it('has no entry name for an unnamed entry', () => {
    expect(findCalendarDay(['holidays'], calendars, '2026-12-24')).toEqual({ calendar: 'holidays', description: '2026-12-24' });
  });

  it('describes a range by its ends', () => {
    expect(findCalendarDay(['holidays'], calendars, '2026-12-28')).toEqual({ calendar: 'holidays', entry: 'Shutdown', description: '2026-12-20 to 2026-12-31' });
  });

  it('ignores calendars the policy does not name', () => {
    expect(findCalendarDay(['blackouts'], calendars, '2026-12-24')).toBeUndefined();
  });

  it('refuses a calendar that is not defined, even one named like an Object property', () => {
    expect(() => findCalendarDay(['vacations'], calendars, '2026-12-24')).toThrow(UnknownCalendarError);
    expect(() => findCalendarDay(['toString'], calendars, '2026-12-24')).toThrow(UnknownCalendarError);
  });
});
