import { describe, expect, it } from 'vitest';
import { evaluateSchedule } from '#lib/schedule/evaluate.ts';
import { BERLIN, instant, local, NEW_YORK, policyWith, summary, SYDNEY, type WindowInput } from './support.ts';

/**
 * The DST switches of 2026 in three zones:
 * - Europe/Berlin: 2026-03-29 02:00 → 03:00 (+01:00 → +02:00); 2026-10-25 03:00 → 02:00.
 * - America/New_York: 2026-03-08 02:00 → 03:00 (−05:00 → −04:00); 2026-11-01 02:00 → 01:00.
 * - Australia/Sydney: 2026-04-05 03:00 → 02:00 (+11:00 → +10:00); 2026-10-04 02:00 → 03:00.
 */
const HOUR = 3_600_000;

const at = (windows: WindowInput[], zone: string, utc: string): string => summary(evaluateSchedule(policyWith(windows), {}, zone, instant(utc)), zone);

describe('an 08:00 window is at 08:00 local time on both sides of every switch', () => {
  const morning: WindowInput[] = [{ name: 'morning', start: '08:00', end: '09:00', capacity: 10 }];

  it.each([
    [BERLIN, '2026-03-28', '+01:00'],
    [BERLIN, '2026-03-29', '+02:00'],
    [BERLIN, '2026-03-30', '+02:00'],
    [BERLIN, '2026-10-24', '+02:00'],
    [BERLIN, '2026-10-25', '+01:00'],
    [BERLIN, '2026-10-26', '+01:00'],
    [NEW_YORK, '2026-03-07', '-05:00'],
    [NEW_YORK, '2026-03-08', '-04:00'],
    [NEW_YORK, '2026-03-09', '-04:00'],
    [NEW_YORK, '2026-10-31', '-04:00'],
    [NEW_YORK, '2026-11-01', '-05:00'],
    [NEW_YORK, '2026-11-02', '-05:00'],
    [SYDNEY, '2026-04-04', '+11:00'],
    [SYDNEY, '2026-04-05', '+10:00'],
    [SYDNEY, '2026-04-06', '+10:00'],
    [SYDNEY, '2026-10-03', '+10:00'],
    [SYDNEY, '2026-10-04', '+11:00'],
    [SYDNEY, '2026-10-05', '+11:00'],
  ])('in %s on %s it runs 08:00–09:00 %s', (zone, date, offset) => {
    expect(at(morning, zone, `${date}T08:30${offset}`)).toBe(`morning exact 10 from ${date} 08:00 ${offset} until ${date} 09:00 ${offset}`);
  });

  it.each([
    [BERLIN, '2026-03-28T09:00+01:00', 22],
    [BERLIN, '2026-10-24T09:00+02:00', 24],
    [NEW_YORK, '2026-03-07T09:00-05:00', 22],
    [NEW_YORK, '2026-10-31T09:00-04:00', 24],
    [SYDNEY, '2026-04-04T09:00+11:00', 24],
    [SYDNEY, '2026-10-03T09:00+10:00', 22],
  ])('in %s the off-hours from %s to the next morning’s 08:00 (23 hours of wall time) last %i hours', (zone, from, hours) => {
    const value = evaluateSchedule(policyWith(morning), {}, zone, instant(from));
    expect(value.source.kind).toBe('off-hours');
    expect(value.since).toBe(instant(from));
    expect((value.until - value.since) / HOUR).toBe(hours);
  });
});

describe('a time that does not exist (spring forward) is the same wall-clock distance after the gap', () => {
  it.each([
    [BERLIN, '2026-03-29', '2026-03-29 03:30 +02:00'],
    [NEW_YORK, '2026-03-08', '2026-03-08 03:30 -04:00'],
    [SYDNEY, '2026-10-04', '2026-10-04 03:30 +11:00'],
  ])('in %s on %s a window starting 02:30 starts at %s', (zone, date, expected) => {
    const windows = [{ name: 'early', dates: [date], start: '02:30', end: '05:00', capacity: 5 }];
    const value = evaluateSchedule(policyWith(windows), {}, zone, instant(`${date}T04:00:00Z`) - 12 * HOUR);
    expect(local(zone, value.until)).toBe(expected);
  });

  it('a window ending in the gap ends after it (01:00–02:30 lasts 01:00 → 03:30, 90 minutes)', () => {
    expect(at([{ name: 'w', start: '01:00', end: '02:30', capacity: 1 }], BERLIN, '2026-03-29T01:30+01:00')).toBe(
      'w exact 1 from 2026-03-29 01:00 +01:00 until 2026-03-29 03:30 +02:00',
    );
  });

  it('a window wholly in the gap moves after it whole (02:10–02:50 → 03:10–03:50)', () => {
    expect(at([{ name: 'w', start: '02:10', end: '02:50', capacity: 1 }], BERLIN, '2026-03-29T03:20+02:00')).toBe(
      'w exact 1 from 2026-03-29 03:10 +02:00 until 2026-03-29 03:50 +02:00',
    );
  });

  it('a window whose start moves past its end (02:30–03:10 → 03:30–03:10) does not run that day', () => {
    const windows = [{ name: 'w', start: '02:30', end: '03:10', capacity: 1 }];
    expect(at(windows, BERLIN, '2026-03-29T03:20+02:00')).toBe('off-hours floor 0 from 2026-03-28 03:10 +01:00 until 2026-03-30 02:30 +02:00');
  });

  it('a window past midnight into the switch lasts an hour less', () => {
    expect(at([{ name: 'night', start: '22:00', end: '06:00', floor: 2 }], BERLIN, '2026-03-29T01:00+01:00')).toBe(
      'night floor 2 from 2026-03-28 22:00 +01:00 until 2026-03-29 06:00 +02:00',
    );
  });
});

describe('a time that exists twice (fall back) is its first occurrence', () => {
  it.each([
    [BERLIN, '2026-10-25', '02:30', '2026-10-25T00:30:00Z'],
    [NEW_YORK, '2026-11-01', '01:30', '2026-11-01T05:30:00Z'],
    [SYDNEY, '2026-04-05', '02:30', '2026-04-04T15:30:00Z'],
  ])('in %s on %s a window starting %s starts at %s', (zone, date, start, expected) => {
    const windows = [{ name: 'w', dates: [date], start, end: '05:00', capacity: 5 }];
    const value = evaluateSchedule(policyWith(windows), {}, zone, instant(expected));
    expect(value.source.kind).toBe('window');
    expect(new Date(value.since).toISOString()).toBe(new Date(instant(expected)).toISOString());
  });

  it('a window ending at a repeated time ends at its first occurrence', () => {
    // 00:00–02:30 in Berlin on 2026-10-25: 02:30 +02:00 comes first, 02:30 +01:00 an hour later.
    const windows = [{ name: 'w', start: '00:00', end: '02:30', capacity: 1 }];
    expect(at(windows, BERLIN, '2026-10-25T02:15+01:00')).toBe('off-hours floor 0 from 2026-10-25 02:30 +02:00 until 2026-10-26 00:00 +01:00');
  });

  it('a window past midnight into the switch lasts an hour more', () => {
    expect(at([{ name: 'night', start: '22:00', end: '06:00', floor: 2 }], BERLIN, '2026-10-25T02:30+01:00')).toBe(
      'night floor 2 from 2026-10-24 22:00 +02:00 until 2026-10-25 06:00 +01:00',
    );
  });
});

describe('ready-by across a switch starts the lead time in elapsed minutes before the local start', () => {
  it.each([
    [BERLIN, '2026-03-29', '08:00', 360, '2026-03-29 01:00 +01:00', '2026-03-29 08:00 +02:00'],
    [BERLIN, '2026-10-25', '08:00', 360, '2026-10-25 02:00 +01:00', '2026-10-25 08:00 +01:00'],
    [NEW_YORK, '2026-03-08', '06:00', 300, '2026-03-08 00:00 -05:00', '2026-03-08 06:00 -04:00'],
    [NEW_YORK, '2026-11-01', '06:00', 300, '2026-11-01 01:00 -05:00', '2026-11-01 06:00 -05:00'],
    [SYDNEY, '2026-04-05', '06:00', 300, '2026-04-05 02:00 +11:00', '2026-04-05 06:00 +10:00'],
    [SYDNEY, '2026-10-04', '06:00', 300, '2026-10-04 00:00 +10:00', '2026-10-04 06:00 +11:00'],
  ])('in %s on %s a %s window with %i minutes lead is ready-by from %s until %s', (zone, date, start, lead, from, until) => {
    const windows = [{ name: 'w', dates: [date], start, end: '12:00', capacity: 10, readyBy: { leadMinutes: lead } }];
    const startsAt = evaluateSchedule(policyWith(windows), {}, zone, instant(`${date}T12:00:00Z`) - 24 * HOUR).until;
    const value = evaluateSchedule(policyWith(windows), {}, zone, startsAt);
    expect(value.source).toEqual({ kind: 'window', window: 'w', readyBy: true });
    expect([local(zone, value.since), local(zone, value.until)]).toEqual([from, until]);
    expect(value.until - value.since).toBe(lead * 60_000);
    expect(value.reason).toContain(`ready by ${start}: started ${lead} min early`);
  });

  it('a window starting in the gap is ready by its moved start', () => {
    const windows = [{ name: 'w', start: '02:30', end: '06:00', capacity: 10, readyBy: { leadMinutes: 30 } }];
    const value = evaluateSchedule(policyWith(windows), {}, BERLIN, instant('2026-03-29T03:10+02:00'));
    expect([local(BERLIN, value.since), local(BERLIN, value.until)]).toEqual(['2026-03-29 03:00 +02:00', '2026-03-29 03:30 +02:00']);
    expect(value.reason).toBe('window "w" (daily 02:30–06:00 Europe/Berlin), ready by 03:30: started 30 min early; a floor, as off-hours is: a lead time takes no capacity away');
  });
});

describe('a zone whose clocks jump at midnight (Havana, 2026-03-08 00:00 → 01:00)', () => {
  it('begins a calendar date at the end of the gap', () => {
    const value = evaluateSchedule(policyWith([], { calendars: ['h'] }), { h: ['2026-03-08'] }, 'America/Havana', instant('2026-03-08T12:00:00Z'));
    expect([local('America/Havana', value.since), local('America/Havana', value.until)]).toEqual(['2026-03-08 01:00 -04:00', '2026-03-09 00:00 -04:00']);
  });
});
