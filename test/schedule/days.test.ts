import { describe, expect, it } from 'vitest';
import { epochDayOfIso, isoOfEpochDay } from '#lib/schedule/civil-date.ts';
import { describeDays, matchingSpecificity, SPECIFICITY, type DaySelectors } from '#lib/schedule/days.ts';

const applies = (selectors: DaySelectors, date: string): boolean => matchingSpecificity(selectors, epochDayOfIso(date)) !== undefined;

describe('a window without day selectors', () => {
  it('applies every day, as the least specific', () => {
    expect(matchingSpecificity({}, epochDayOfIso('2026-02-28'))).toBe(SPECIFICITY.everyDay);
  });
});

describe('weekdays', () => {
  it.each([
    ['2026-03-02', true], // Monday
    ['2026-03-06', true], // Friday
    ['2026-03-07', false], // Saturday
    ['2026-03-08', false], // Sunday
  ])('Mon–Fri applies on %s: %s', (date, expected) => {
    expect(applies({ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] }, date)).toBe(expected);
  });
});

describe('month days', () => {
  it.each([
    [[1], '2026-04-01', true],
    [[31], '2026-04-30', false], // April has no 31st, and 31 does not slide to the 30th
    [[31], '2026-05-31', true],
    [[29], '2026-02-28', false],
    [[-1], '2026-04-30', true],
    [[-1], '2026-04-29', false],
    [[-1], '2026-02-28', true], // not a leap year
    [[-1], '2028-02-28', false], // leap year: the 29th is last
    [[-1], '2028-02-29', true],
    [[-1], '2000-02-29', true], // divisible by 400: leap
    [[-1], '2100-02-28', true], // divisible by 100 only: not leap
    [[29], '2028-02-29', true],
    [[15, -1], '2026-12-31', true],
  ])('%j applies on %s: %s', (monthDays, date, expected) => {
    expect(applies({ monthDays }, date)).toBe(expected);
  });
});

describe('nth weekdays', () => {
  it.each([
    [{ weekday: 'MON', nth: 1 }, '2026-06-01', true],
    [{ weekday: 'MON', nth: 1 }, '2026-06-08', false],
    [{ weekday: 'MON', nth: 2 }, '2026-06-08', true],
    [{ weekday: 'FRI', nth: 5 }, '2026-01-30', true], // January 2026 has five Fridays
    [{ weekday: 'FRI', nth: 5 }, '2026-02-27', false], // February 2026 has four: the 5th matches nothing
    [{ weekday: 'FRI', nth: 4 }, '2026-02-27', true],
    [{ weekday: 'FRI', nth: -1 }, '2026-01-30', true],
    [{ weekday: 'FRI', nth: -1 }, '2026-01-23', false],
    [{ weekday: 'FRI', nth: -1 }, '2026-02-27', true],
    [{ weekday: 'SUN', nth: 5 }, '2026-03-29', true], // the DST Sunday in Europe is the 5th that year
    [{ weekday: 'SUN', nth: -1 }, '2026-03-29', true],
    [{ weekday: 'THU', nth: 4 }, '2026-11-26', true], // Thanksgiving
    [{ weekday: 'TUE', nth: -1 }, '2028-02-29', true], // leap day is the last Tuesday of February 2028
  ] as const)('%j applies on %s: %s', (selector, date, expected) => {
    expect(applies({ nthWeekdays: [selector] }, date)).toBe(expected);
  });
});

describe('one-off dates', () => {
  it('apply on those dates only', () => {
    expect(applies({ dates: ['2026-12-24'] }, '2026-12-24')).toBe(true);
    expect(applies({ dates: ['2026-12-24'] }, '2027-12-24')).toBe(false);
  });
});

describe('selectors combined', () => {
  it('apply on any date one of them matches, as the most specific that matched', () => {
    const selectors: DaySelectors = { days: ['MON'], monthDays: [15], nthWeekdays: [{ weekday: 'MON', nth: 1 }], dates: ['2026-06-01'] };
    expect(matchingSpecificity(selectors, epochDayOfIso('2026-06-01'))).toBe(SPECIFICITY.dates); // also the 1st Monday
    expect(matchingSpecificity(selectors, epochDayOfIso('2026-07-06'))).toBe(SPECIFICITY.nthWeekdays);
    expect(matchingSpecificity(selectors, epochDayOfIso('2026-06-15'))).toBe(SPECIFICITY.monthDays); // also a Monday
    expect(matchingSpecificity(selectors, epochDayOfIso('2026-06-22'))).toBe(SPECIFICITY.days);
    expect(matchingSpecificity(selectors, epochDayOfIso('2026-06-23'))).toBeUndefined();
  });
});

describe('the days a window applies on, for people', () => {
  it.each([
    [{}, 'daily'],
    [{ days: ['FRI', 'MON', 'TUE', 'WED', 'THU'] }, 'Mon–Fri'],
    [{ days: ['MON', 'WED', 'FRI', 'SAT', 'SUN'] }, 'Mon, Wed, Fri–Sun'],
    [{ days: ['SAT', 'SUN'] }, 'Sat, Sun'],
    [{ monthDays: [1, 15, -1] }, 'month days 1, 15, last'],
    [{ nthWeekdays: [{ weekday: 'MON', nth: 1 }, { weekday: 'FRI', nth: -1 }] }, '1st Mon, last Fri of the month'],
    [{ dates: ['2026-12-24'], days: ['SAT'] }, 'Sat or 2026-12-24'],
  ] as const)('%j reads "%s"', (selectors, expected) => {
    expect(describeDays(selectors as DaySelectors)).toBe(expected);
  });
});

describe('epoch days', () => {
  it('convert to and from ISO dates the same way as Date does, from 1600 to 2400', () => {
    for (let day = epochDayOfIso('1600-01-01'); day <= epochDayOfIso('2400-12-31'); day += 1) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (isoOfEpochDay(day) !== iso || epochDayOfIso(iso) !== day) expect(isoOfEpochDay(day)).toBe(iso);
    }
    expect(isoOfEpochDay(0)).toBe('1970-01-01');
  });
});
