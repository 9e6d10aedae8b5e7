import { describe, expect, it } from 'vitest';
import { epochDayOfIso } from '#lib/schedule/civil-date.ts';
import {
  formatLocalTime,
  instantOfLocalTime,
  instantsOfLocalTime,
  localDayOf,
  timeZoneOf,
  UnknownTimeZoneError,
} from '#lib/schedule/local-time.ts';
import { BERLIN, instant, NEW_YORK, SYDNEY } from './support.ts';

const minutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
const resolve = (zone: string, date: string, time: string): string =>
  new Date(instantOfLocalTime(timeZoneOf(zone), epochDayOfIso(date), minutes(time))).toISOString();

describe('a local time on an ordinary day', () => {
  it.each([
    [BERLIN, '2026-01-15', '08:00', '2026-01-15T07:00:00.000Z'],
    [BERLIN, '2026-07-15', '08:00', '2026-07-15T06:00:00.000Z'],
    [NEW_YORK, '2026-01-15', '08:00', '2026-01-15T13:00:00.000Z'],
    [SYDNEY, '2026-01-15', '08:00', '2026-01-14T21:00:00.000Z'],
    ['UTC', '2026-01-15', '00:00', '2026-01-15T00:00:00.000Z'],
    ['Asia/Kolkata', '2026-01-15', '08:00', '2026-01-15T02:30:00.000Z'],
  ])('in %s, %s %s is %s', (zone, date, time, expected) => {
    expect(resolve(zone, date, time)).toBe(expected);
  });
});

describe('a local time that does not exist (spring forward) starts the same wall-clock distance after the gap', () => {
  it.each([
    [BERLIN, '2026-03-29', '02:30', '2026-03-29T01:30:00.000Z', '03:30'],
    [BERLIN, '2026-03-29', '02:00', '2026-03-29T01:00:00.000Z', '03:00'],
    [BERLIN, '2026-03-29', '02:59', '2026-03-29T01:59:00.000Z', '03:59'],
    [NEW_YORK, '2026-03-08', '02:30', '2026-03-08T07:30:00.000Z', '03:30'],
    [SYDNEY, '2026-10-04', '02:30', '2026-10-03T16:30:00.000Z', '03:30'],
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:45:00.000Z', '02:45'],
  ])('in %s, %s %s is %s, which reads %s', (zone, date, time, expected, reads) => {
    expect(instantsOfLocalTime(timeZoneOf(zone), epochDayOfIso(date), minutes(time))).toEqual([]);
    expect(resolve(zone, date, time)).toBe(expected);
    expect(formatLocalTime(timeZoneOf(zone), Date.parse(expected))).toBe(reads);
  });
});

describe('a local time that exists twice (fall back) means its first occurrence', () => {
  it.each([
    [BERLIN, '2026-10-25', '02:30', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    [NEW_YORK, '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z'],
    [SYDNEY, '2026-04-05', '02:30', '2026-04-04T15:30:00.000Z', '2026-04-04T16:30:00.000Z'],
  ])('in %s, %s %s is %s, not %s', (zone, date, time, first, second) => {
    expect(instantsOfLocalTime(timeZoneOf(zone), epochDayOfIso(date), minutes(time)).map((value) => new Date(value).toISOString())).toEqual([first, second]);
    expect(resolve(zone, date, time)).toBe(first);
  });
});

describe('the local date of an instant', () => {
  it('is the date in the zone, not in UTC', () => {
    const at = instant('2026-12-24T23:30:00Z');
    expect(localDayOf(timeZoneOf(BERLIN), at)).toBe(epochDayOfIso('2026-12-25'));
    expect(localDayOf(timeZoneOf(NEW_YORK), at)).toBe(epochDayOfIso('2026-12-24'));
    expect(localDayOf(timeZoneOf('UTC'), at)).toBe(epochDayOfIso('2026-12-24'));
  });

  it('begins at the end of the gap where clocks jump at midnight (Havana)', () => {
    expect(resolve('America/Havana', '2026-03-08', '00:00')).toBe('2026-03-08T05:00:00.000Z');
    expect(localDayOf(timeZoneOf('America/Havana'), instant('2026-03-08T04:59:59.999Z'))).toBe(epochDayOfIso('2026-03-07'));
    expect(localDayOf(timeZoneOf('America/Havana'), instant('2026-03-08T05:00:00Z'))).toBe(epochDayOfIso('2026-03-08'));
  });
});

describe('offset changes', () => {
  it('are found to the millisecond, both in one year', () => {
    const changes = timeZoneOf(BERLIN).offsetChangesBetween(instant('2026-01-01T00:00Z'), instant('2027-01-01T00:00Z'));
    expect(changes.map((change) => new Date(change).toISOString())).toEqual(['2026-03-29T01:00:00.000Z', '2026-10-25T01:00:00.000Z']);
  });

  it('include one exactly at the start of the span, and none at its end', () => {
    const berlin = timeZoneOf(BERLIN);
    const change = instant('2026-10-25T01:00Z');
    expect(berlin.offsetChangesBetween(change, change + 1)).toEqual([change]);
    expect(berlin.offsetChangesBetween(change - 3_600_000, change)).toEqual([]);
  });

  it('are found also exactly at a UTC midnight (Chisinau springs forward at 00:00 UTC)', () => {
    const chisinau = timeZoneOf('Europe/Chisinau');
    expect(chisinau.offsetChangesBetween(instant('2026-03-28T12:00Z'), instant('2026-03-29T12:00Z'))).toEqual([instant('2026-03-29T00:00Z')]);
    expect(chisinau.offsetMinutes(instant('2026-03-29T00:00Z') - 1)).toBe(120);
    expect(chisinau.offsetMinutes(instant('2026-03-29T00:00Z'))).toBe(180);
  });

  it('are none in a zone without DST', () => {
    expect(timeZoneOf('Asia/Tokyo').offsetChangesBetween(instant('2026-01-01T00:00Z'), instant('2027-01-01T00:00Z'))).toEqual([]);
  });
});

describe('a time zone name', () => {
  it('that is not IANA is refused with a hint', () => {
    expect(() => timeZoneOf('Mars/Olympus_Mons')).toThrow(UnknownTimeZoneError);
    expect(() => timeZoneOf('Mars/Olympus_Mons')).toThrow(/IANA time zone/);
  });
});
