import { describe, expect, it } from 'vitest';
import type { PolicyFile } from '#lib/policy/schema.ts';
import { UnknownCalendarError } from '#lib/schedule/calendar.ts';
import { evaluateSchedule } from '#lib/schedule/evaluate.ts';
import { UnknownTimeZoneError } from '#lib/schedule/local-time.ts';
import { BERLIN, evaluator, localInstant, NEW_YORK, policyWith, summary, SYDNEY, type WindowInput } from './support.ts';

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const business: WindowInput = { name: 'business', days: WEEKDAYS, start: '08:00', end: '18:00', capacity: 40, readyBy: { leadMinutes: 30 } };

/** What the schedule says at a local time in Berlin, as a sentence. */
function berlinAt(windows: WindowInput[], localTime: string, extra: Record<string, unknown> = {}, calendars: PolicyFile['calendars'] = {}): string {
  return summary(evaluateSchedule(policyWith(windows, extra), calendars, BERLIN, localInstant(BERLIN, localTime)), BERLIN);
}

describe('a weekday window with ready-by, over a Wednesday and a weekend', () => {
  it.each([
    ['2026-03-04 07:00', 'off-hours floor 2 from 2026-03-03 18:00 +01:00 until 2026-03-04 07:30 +01:00'],
    ['2026-03-04 07:30', 'business (ready-by) floor 40 from 2026-03-04 07:30 +01:00 until 2026-03-04 08:00 +01:00'],
    ['2026-03-04 07:59', 'business (ready-by) floor 40 from 2026-03-04 07:30 +01:00 until 2026-03-04 08:00 +01:00'],
    ['2026-03-04 08:00', 'business exact 40 from 2026-03-04 08:00 +01:00 until 2026-03-04 18:00 +01:00'],
    ['2026-03-04 17:59', 'business exact 40 from 2026-03-04 08:00 +01:00 until 2026-03-04 18:00 +01:00'],
    ['2026-03-04 18:00', 'off-hours floor 2 from 2026-03-04 18:00 +01:00 until 2026-03-05 07:30 +01:00'],
    ['2026-03-07 12:00', 'off-hours floor 2 from 2026-03-06 18:00 +01:00 until 2026-03-09 07:30 +01:00'],
  ])('at %s it is %s', (localTime, expected) => {
    expect(berlinAt([business], localTime, { offHours: { capacity: 2 } })).toBe(expected);
  });
});

describe('the reason', () => {
  const at = evaluator(policyWith([business]), { holidays: [{ yearly: '12-25', name: 'Christmas' }] }, BERLIN);

  it('in the lead time says the window, its days and hours in the zone, how early it started, and why it is a floor', () => {
    expect(at(localInstant(BERLIN, '2026-03-04 07:30')).reason).toBe(
      'window "business" (Mon–Fri 08:00–18:00 Europe/Berlin), ready by 08:00: started 30 min early; a floor, as off-hours is: a lead time takes no capacity away',
    );
  });

  it('in the lead time of a floor window says no more than that', () => {
    const floorAt = evaluator(policyWith([{ ...business, capacity: undefined, floor: 40 }]), {}, BERLIN);
    expect(floorAt(localInstant(BERLIN, '2026-03-04 07:30')).reason).toBe(
      'window "business" (Mon–Fri 08:00–18:00 Europe/Berlin), ready by 08:00: started 30 min early',
    );
  });

  it('in the window says the window, its days and hours in the zone', () => {
    expect(at(localInstant(BERLIN, '2026-03-04 09:00')).reason).toBe('window "business" (Mon–Fri 08:00–18:00 Europe/Berlin)');
  });

  it('outside every window says off-hours', () => {
    expect(at(localInstant(BERLIN, '2026-03-04 20:00')).reason).toBe('off-hours: no window applies');
  });

  it('on a calendar date names the calendar and the entry', () => {
    const value = evaluateSchedule(policyWith([business], { calendars: ['holidays'] }), { holidays: [{ yearly: '12-25', name: 'Christmas' }] }, BERLIN, localInstant(BERLIN, '2026-12-25 09:00'));
    expect(value.reason).toBe('calendar "holidays" (Christmas, every 12-25): off-hours, no window applies');
    expect(value.source).toEqual({ kind: 'calendar', calendar: 'holidays', entry: 'Christmas' });
  });
});

describe('a window', () => {
  it('with `capacity` is exact, with `floor` a floor', () => {
    const exact = berlinAt([{ name: 'a', start: '08:00', end: '09:00', capacity: 7 }], '2026-03-04 08:30');
    const floor = berlinAt([{ name: 'a', start: '08:00', end: '09:00', floor: 7 }], '2026-03-04 08:30');
    expect(exact).toMatch(/^a exact 7 /);
    expect(floor).toMatch(/^a floor 7 /);
  });

  it('gives its capacity as written; min and max are the capacity engine’s to apply', () => {
    expect(berlinAt([{ name: 'a', start: '08:00', end: '09:00', capacity: 500 }], '2026-03-04 08:30', { max: 100 })).toMatch(/^a exact 500 /);
  });

  it('without lead time has no ready-by phase', () => {
    const window = { ...business, readyBy: { leadMinutes: 0 } };
    expect(berlinAt([window], '2026-03-04 07:59')).toMatch(/^off-hours /);
    expect(berlinAt([window], '2026-03-04 08:00')).toMatch(/^business exact 40 from 2026-03-04 08:00/);
  });
});

describe('a window past midnight belongs to the date it starts on', () => {
  const night: WindowInput = { name: 'night', days: ['FRI'], start: '22:00', end: '06:00', floor: 5 };
  const thursdays: WindowInput = { name: 'thursdays', dates: ['2026-03-05', '2026-03-12'], start: '08:00', end: '09:00', capacity: 1 };

  it.each([
    ['2026-03-06 03:00', 'off-hours floor 0 from 2026-03-05 09:00 +01:00 until 2026-03-06 22:00 +01:00'],
    ['2026-03-06 23:00', 'night floor 5 from 2026-03-06 22:00 +01:00 until 2026-03-07 06:00 +01:00'],
    ['2026-03-07 03:00', 'night floor 5 from 2026-03-06 22:00 +01:00 until 2026-03-07 06:00 +01:00'],
    ['2026-03-07 06:00', 'off-hours floor 0 from 2026-03-07 06:00 +01:00 until 2026-03-12 08:00 +01:00'],
  ])('at %s it is %s', (localTime, expected) => {
    expect(berlinAt([night, thursdays], localTime)).toBe(expected);
  });

  it('and a daily one runs every night, each until the next morning', () => {
    const daily = { name: 'night', start: '22:00', end: '06:00', floor: 5 };
    expect(berlinAt([daily], '2026-03-04 05:00')).toBe('night floor 5 from 2026-03-03 22:00 +01:00 until 2026-03-04 06:00 +01:00');
    expect(berlinAt([daily], '2026-03-04 22:00')).toBe('night floor 5 from 2026-03-04 22:00 +01:00 until 2026-03-05 06:00 +01:00');
  });
});

describe('precedence when windows overlap', () => {
  const allDay = { start: '08:00', end: '18:00' };
  const named = (at: string, windows: WindowInput[]): string => berlinAt(windows, at).split(' ')[0] ?? '';

  it('a higher priority wins over anything more specific, later or declared first', () => {
    const windows = [
      { name: 'specific', dates: ['2026-06-01'], ...allDay, start: '09:00', capacity: 1 },
      { name: 'important', ...allDay, capacity: 2, priority: 1 },
    ];
    expect(named('2026-06-01 10:00', windows)).toBe('important');
  });

  it.each([
    ['dates', ['dates', 'nthWeekdays', 'monthDays', 'days', 'every-day']],
    ['nthWeekdays', ['nthWeekdays', 'monthDays', 'days', 'every-day']],
    ['monthDays', ['monthDays', 'days', 'every-day']],
    ['days', ['days', 'every-day']],
    ['every-day', ['every-day']],
  ])('at equal priority, %s wins over the less specific of %j', (winner, present) => {
    // Monday 2026-06-01 is the 1st Monday and month day 1; declared least specific first.
    const all: WindowInput[] = [
      { name: 'every-day', ...allDay, capacity: 1 },
      { name: 'days', days: ['MON'], ...allDay, capacity: 2 },
      { name: 'monthDays', monthDays: [1], ...allDay, capacity: 3 },
      { name: 'nthWeekdays', nthWeekdays: [{ weekday: 'MON', nth: 1 }], ...allDay, capacity: 4 },
      { name: 'dates', dates: ['2026-06-01'], ...allDay, capacity: 5 },
    ];
    expect(named('2026-06-01 12:00', all.filter((window) => present.includes(window.name)))).toBe(winner);
  });

  it('a more specific window wins even when a less specific one started later', () => {
    const windows = [
      { name: 'late', ...allDay, start: '11:00', capacity: 1 },
      { name: 'first-monday', nthWeekdays: [{ weekday: 'MON', nth: 1 }], ...allDay, capacity: 2 },
    ];
    expect(named('2026-06-01 12:00', windows)).toBe('first-monday');
  });

  it('at equal priority and specificity the later start wins, and the earlier resumes when it ends', () => {
    const windows = [
      { name: 'day', ...allDay, capacity: 10 },
      { name: 'lunch', start: '12:00', end: '13:00', capacity: 30 },
    ];
    expect(berlinAt(windows, '2026-03-04 11:00')).toBe('day exact 10 from 2026-03-04 08:00 +01:00 until 2026-03-04 12:00 +01:00');
    expect(berlinAt(windows, '2026-03-04 12:30')).toBe('lunch exact 30 from 2026-03-04 12:00 +01:00 until 2026-03-04 13:00 +01:00');
    expect(berlinAt(windows, '2026-03-04 13:00')).toBe('day exact 10 from 2026-03-04 13:00 +01:00 until 2026-03-04 18:00 +01:00');
  });

  it('the later start wins also when it lasts longer than the earlier', () => {
    const windows = [
      { name: 'late', start: '08:00', end: '20:00', capacity: 20 },
      { name: 'early', start: '06:00', end: '10:00', capacity: 5 },
    ];
    expect(berlinAt(windows, '2026-03-04 07:00')).toMatch(/^early exact 5 from 2026-03-04 06:00 \+01:00 until 2026-03-04 08:00/);
    expect(berlinAt(windows, '2026-03-04 09:00')).toMatch(/^late exact 20 from 2026-03-04 08:00 \+01:00 until 2026-03-04 20:00/);
  });

  it('with everything equal, the window declared first wins', () => {
    expect(named('2026-03-04 12:00', [{ name: 'first', ...allDay, capacity: 1 }, { name: 'second', ...allDay, capacity: 2 }])).toBe('first');
    expect(named('2026-03-04 12:00', [{ name: 'second', ...allDay, capacity: 2 }, { name: 'first', ...allDay, capacity: 1 }])).toBe('second');
  });

  it('a window in its lead time ranks by its own start, so it takes over from one that started between', () => {
    const windows = [
      { name: 'early', start: '07:45', end: '10:00', capacity: 5 },
      { name: 'business', start: '08:00', end: '18:00', capacity: 40, readyBy: { leadMinutes: 30 } },
    ];
    // Over off-hours (a floor) the lead value is a floor; over the exact 5 of `early`, exact.
    expect(berlinAt(windows, '2026-03-04 07:40')).toBe('business (ready-by) floor 40 from 2026-03-04 07:30 +01:00 until 2026-03-04 07:45 +01:00');
    expect(berlinAt(windows, '2026-03-04 07:50')).toBe('business (ready-by) exact 40 from 2026-03-04 07:45 +01:00 until 2026-03-04 08:00 +01:00');
  });

  it('a window in its lead time does not take over from a higher priority', () => {
    const windows = [
      { name: 'maintenance', start: '06:00', end: '08:00', capacity: 0, priority: 5 },
      { name: 'business', start: '08:00', end: '18:00', capacity: 40, readyBy: { leadMinutes: 30 } },
    ];
    expect(berlinAt(windows, '2026-03-04 07:45')).toBe('maintenance exact 0 from 2026-03-04 06:00 +01:00 until 2026-03-04 08:00 +01:00');
    expect(berlinAt(windows, '2026-03-04 08:00')).toMatch(/^business exact 40 from 2026-03-04 08:00/);
  });

  it('a window that ran past midnight is overtaken by a later one of the same rank', () => {
    const windows = [
      { name: 'night', start: '22:00', end: '07:00', floor: 2 },
      { name: 'early', start: '05:00', end: '09:00', floor: 8 },
    ];
    expect(berlinAt(windows, '2026-03-04 06:00')).toBe('early floor 8 from 2026-03-04 05:00 +01:00 until 2026-03-04 09:00 +01:00');
  });
});

describe('a window in its lead time never lowers what is otherwise in force', () => {
  const day = (value: Record<string, number>): WindowInput => ({ name: 'day', days: WEEKDAYS, start: '08:00', end: '18:00', ...value });
  const evening = (value: Record<string, number>): WindowInput => ({
    name: 'evening', days: WEEKDAYS, start: '18:00', end: '22:00', ...value, readyBy: { leadMinutes: 60 },
  });

  it('a lower exact evening leaves the exact day window alone until the day window ends', () => {
    const windows = [day({ capacity: 40 }), evening({ capacity: 5 })];
    expect(berlinAt(windows, '2026-03-04 17:05')).toBe('day exact 40 from 2026-03-04 08:00 +01:00 until 2026-03-04 18:00 +01:00');
    expect(berlinAt(windows, '2026-03-04 18:00')).toBe('evening exact 5 from 2026-03-04 18:00 +01:00 until 2026-03-04 22:00 +01:00');
  });

  it('a higher exact lead over an exact window is exact, the larger of the two', () => {
    const windows = [day({ capacity: 10 }), evening({ capacity: 25 })];
    expect(berlinAt(windows, '2026-03-04 16:59')).toBe('day exact 10 from 2026-03-04 08:00 +01:00 until 2026-03-04 17:00 +01:00');
    expect(berlinAt(windows, '2026-03-04 17:05')).toBe('evening (ready-by) exact 25 from 2026-03-04 17:00 +01:00 until 2026-03-04 18:00 +01:00');
  });

  it('an equal lead value adds nothing: the window in force stays, without a change', () => {
    const windows = [day({ capacity: 10 }), evening({ capacity: 10 })];
    expect(berlinAt(windows, '2026-03-04 17:30')).toBe('day exact 10 from 2026-03-04 08:00 +01:00 until 2026-03-04 18:00 +01:00');
  });

  it('a lower exact lead does not turn a floor into an exact value that would cut what usage holds', () => {
    const windows = [day({ floor: 20 }), evening({ capacity: 5 })];
    expect(berlinAt(windows, '2026-03-04 17:30')).toBe('day floor 20 from 2026-03-04 08:00 +01:00 until 2026-03-04 18:00 +01:00');
  });

  it('a higher exact lead over a floor is a floor of the lead value, so usage above it is kept', () => {
    const windows = [day({ floor: 20 }), evening({ capacity: 30 })];
    const value = evaluateSchedule(policyWith(windows), {}, BERLIN, localInstant(BERLIN, '2026-03-04 17:30'));
    expect(summary(value, BERLIN)).toBe('evening (ready-by) floor 30 from 2026-03-04 17:00 +01:00 until 2026-03-04 18:00 +01:00');
    expect(value.reason).toBe(
      'window "evening" (Mon–Fri 18:00–22:00 Europe/Berlin), ready by 18:00: started 60 min early; a floor, as window "day" is: a lead time takes no capacity away',
    );
  });

  it('a floor lead over an exact window: the exact value while it is higher, else a floor of the lead value', () => {
    expect(berlinAt([day({ capacity: 40 }), evening({ floor: 5 })], '2026-03-04 17:30')).toMatch(/^day exact 40 from 2026-03-04 08:00 .* until 2026-03-04 18:00/);
    expect(berlinAt([day({ capacity: 10 }), evening({ floor: 25 })], '2026-03-04 17:30')).toBe(
      'evening (ready-by) floor 25 from 2026-03-04 17:00 +01:00 until 2026-03-04 18:00 +01:00',
    );
  });

  it('two lead times at once: each only raises what the ones below it give', () => {
    const windows = [
      day({ capacity: 10 }),
      { name: 'late', days: WEEKDAYS, start: '18:30', end: '23:00', capacity: 8, readyBy: { leadMinutes: 120 } },
      evening({ capacity: 30 }),
    ];
    // 17:00–18:00 both lead: `late` (starts later) ranks first but 8 < evening's 30 over day's 10.
    expect(berlinAt(windows, '2026-03-04 17:30')).toBe('evening (ready-by) exact 30 from 2026-03-04 17:00 +01:00 until 2026-03-04 18:00 +01:00');
    // 18:00–18:30 `late` leads over the evening proper: 8 < 30, so evening's 30 holds.
    expect(berlinAt(windows, '2026-03-04 18:10')).toBe('evening exact 30 from 2026-03-04 18:00 +01:00 until 2026-03-04 18:30 +01:00');
    expect(berlinAt(windows, '2026-03-04 18:30')).toBe('late exact 8 from 2026-03-04 18:30 +01:00 until 2026-03-04 23:00 +01:00');
  });

  it('a higher priority window in force is never combined with a lower one’s lead', () => {
    const windows = [
      { name: 'maintenance', start: '16:00', end: '18:00', capacity: 0, priority: 5 },
      evening({ capacity: 30 }),
    ];
    expect(berlinAt(windows, '2026-03-04 17:30')).toBe('maintenance exact 0 from 2026-03-04 16:00 +01:00 until 2026-03-04 18:00 +01:00');
  });
});

describe('calendar dates', () => {
  const holidays: PolicyFile['calendars'] = {
    holidays: [{ yearly: '12-25', name: 'Christmas' }, '2026-05-01'],
    shutdown: [{ from: '2026-12-28', to: '2027-01-01', name: 'Year end' }],
  };
  const calendarAt = (windows: WindowInput[], names: string[], localTime: string): string =>
    berlinAt(windows, localTime, { calendars: names, offHours: { capacity: 1 } }, holidays);

  it('switch a weekday to the off-hours floor for the whole local day', () => {
    expect(calendarAt([business], ['holidays'], '2026-12-25 09:00')).toBe(
      'calendar holidays/Christmas floor 1 from 2026-12-25 00:00 +01:00 until 2026-12-26 00:00 +01:00',
    );
  });

  it('work the same for an unnamed date', () => {
    const value = evaluateSchedule(policyWith([business], { calendars: ['holidays'] }), holidays, BERLIN, localInstant(BERLIN, '2026-05-01 09:00'));
    expect(value.source).toEqual({ kind: 'calendar', calendar: 'holidays' });
    expect(value.reason).toBe('calendar "holidays" (2026-05-01): off-hours, no window applies');
  });

  it('in a range are one value from its first day to the end of its last', () => {
    expect(calendarAt([business], ['shutdown'], '2026-12-30 12:00')).toBe(
      'calendar shutdown/Year end floor 1 from 2026-12-28 00:00 +01:00 until 2027-01-02 00:00 +01:00',
    );
  });

  it('end at midnight, when the following day has its windows again', () => {
    expect(calendarAt([business], ['shutdown'], '2027-01-04 07:45')).toBe(
      'business (ready-by) floor 40 from 2027-01-04 07:30 +01:00 until 2027-01-04 08:00 +01:00',
    );
    expect(calendarAt([{ name: 'all-day', start: '00:00', end: '23:00', capacity: 9 }], ['shutdown'], '2027-01-02 00:00')).toBe(
      'all-day exact 9 from 2027-01-02 00:00 +01:00 until 2027-01-02 23:00 +01:00',
    );
  });

  it('change nothing for a policy that does not name the calendar', () => {
    expect(calendarAt([business], [], '2026-12-25 09:00')).toMatch(/^business exact 40/);
  });

  it('keep a window starting the next morning from pre-warming on the holiday evening', () => {
    const early = { name: 'early', days: ['SAT'], start: '00:30', end: '06:00', capacity: 10, readyBy: { leadMinutes: 120 } };
    // Saturday 2026-12-26 00:30 with two hours' lead would start on Christmas evening.
    expect(calendarAt([early], ['holidays'], '2026-12-25 23:00')).toMatch(/^calendar holidays\/Christmas floor 1 .* until 2026-12-26 00:00 \+01:00$/);
    expect(calendarAt([early], ['holidays'], '2026-12-26 00:00')).toBe(
      'early (ready-by) floor 10 from 2026-12-26 00:00 +01:00 until 2026-12-26 00:30 +01:00',
    );
  });

  it('keep a window starting on the holiday from running at all, even in its lead time the day before', () => {
    const early = { name: 'early', days: ['FRI'], start: '00:30', end: '06:00', capacity: 10, readyBy: { leadMinutes: 120 } };
    expect(calendarAt([early], ['holidays'], '2026-12-24 23:00')).toBe(
      'off-hours floor 1 from 2026-12-18 06:00 +01:00 until 2026-12-25 00:00 +01:00',
    );
  });

  it('cut a window that runs into the holiday at midnight', () => {
    const night = { name: 'night', start: '22:00', end: '06:00', floor: 3 };
    expect(calendarAt([night], ['holidays'], '2026-12-24 23:00')).toBe('night floor 3 from 2026-12-24 22:00 +01:00 until 2026-12-25 00:00 +01:00');
  });

  it('keep a window starting on the holiday from running past midnight into the next day', () => {
    const night = { name: 'night', start: '22:00', end: '06:00', floor: 3 };
    expect(calendarAt([night], ['holidays'], '2026-12-26 03:00')).toBe('off-hours floor 1 from 2026-12-26 00:00 +01:00 until 2026-12-26 22:00 +01:00');
  });

  it.each([
    ['in New York on the evening before, it is not yet Christmas', NEW_YORK, '2026-12-25T02:00:00Z', 'window'],
    ['in Berlin half an hour after local midnight, it is Christmas', BERLIN, '2026-12-24T23:30:00Z', 'calendar'],
    ['in Sydney on the morning of the 25th (still the 24th in UTC), it is Christmas', SYDNEY, '2026-12-24T21:00:00Z', 'calendar'],
    ['in Sydney on the morning of the 26th (still the 25th in UTC), it is over', SYDNEY, '2026-12-25T21:00:00Z', 'off-hours'],
    ['in UTC at 22:30 on the 24th, it is not yet Christmas', 'UTC', '2026-12-24T22:30:00Z', 'window'],
  ])('are the local date in the zone: %s', (_title, zone, utc, kind) => {
    // Thursday 2026-12-24 has a window nearly all day; Saturday the 26th has none.
    const windows = [{ name: 'thursday', days: ['THU'], start: '00:00', end: '23:00', capacity: 40 }];
    const value = evaluateSchedule(policyWith(windows, { calendars: ['holidays'] }), holidays, zone, Date.parse(utc));
    expect(value.source.kind).toBe(kind);
  });
});

describe('since and until', () => {
  it('are -Infinity and Infinity when the schedule never changes', () => {
    const value = evaluateSchedule(policyWith([]), {}, BERLIN, Date.parse('2026-03-04T12:00:00Z'));
    expect([value.source.kind, value.since, value.until]).toEqual(['off-hours', -Infinity, Infinity]);
  });

  it('look no further than a year either way', () => {
    const windows = [{ name: 'launch', dates: ['2028-01-10'], start: '08:00', end: '09:00', capacity: 50 }];
    const value = evaluateSchedule(policyWith(windows), {}, BERLIN, Date.parse('2026-03-04T12:00:00Z'));
    expect(value.until).toBe(Infinity);
    const nearer = evaluateSchedule(policyWith(windows), {}, BERLIN, Date.parse('2027-03-04T12:00:00Z'));
    expect(nearer.until).toBe(localInstant(BERLIN, '2028-01-10 08:00'));
  });

  it('mark a change between back-to-back windows even when their capacity is the same', () => {
    const windows = [
      { name: 'a', start: '08:00', end: '12:00', capacity: 10 },
      { name: 'a2', start: '12:00', end: '16:00', capacity: 10 },
    ];
    expect(berlinAt(windows, '2026-03-04 09:00')).toBe('a exact 10 from 2026-03-04 08:00 +01:00 until 2026-03-04 12:00 +01:00');
  });
});

describe('input the policy file schema refuses', () => {
  it('an unknown time zone throws UnknownTimeZoneError', () => {
    expect(() => evaluateSchedule(policyWith([]), {}, 'Europe/Atlantis', 0)).toThrow(UnknownTimeZoneError);
  });

  it('a calendar that is not defined throws UnknownCalendarError', () => {
    expect(() => evaluateSchedule(policyWith([], { calendars: ['holidays'] }), {}, BERLIN, 0)).toThrow(UnknownCalendarError);
  });

  it('an instant that is not finite throws RangeError', () => {
    expect(() => evaluateSchedule(policyWith([]), {}, BERLIN, Number.NaN)).toThrow(RangeError);
  });
});
