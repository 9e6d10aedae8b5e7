import { IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS } from './civil-date.ts';

/**
 * Local wall-clock time in an IANA time zone, converted to and from UTC instants (ms), DST-safe.
 *
 * The one rule for local times that a DST switch makes odd (the policy schema's header):
 * - a time that does not exist (02:30 when clocks jump 02:00→03:00) means the instant the same
 *   wall-clock distance after the gap: 02:30 → 03:30 (a 30-minute gap, as on Lord Howe Island,
 *   gives 02:15 → 02:45);
 * - a time that exists twice (02:30 when clocks fall back 03:00→02:00) means its first occurrence.
 */
export class UnknownTimeZoneError extends Error {
  override readonly name = 'UnknownTimeZoneError';
}

export interface TimeZone {
  readonly name: string;
  /** Minutes to add to UTC to get local time at `instant`. */
  offsetMinutes(instant: number): number;
  /** Instants in [from, to) at which the offset changes (each the first instant of the new offset), in order. */
  offsetChangesBetween(from: number, to: number): number[];
}

/** The offset at the start of one UTC day and each change within it. */
interface DayOffsets {
  offset: number;
  changes: { at: number; offset: number }[];
}

/**
 * A time zone by IANA name. Offsets are worked out once per UTC day (the offset at its start and
 * the instant of any change within it, found to the millisecond) and kept for the process, so the
 * many lookups that schedule evaluation makes cost a map lookup. (Assumes no zone changes its
 * offset and back within six hours, which none does.)
 */
export function timeZoneOf(name: string): TimeZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = createTimeZone(name);
    zones.set(name, zone);
  }
  return zone;
}

const zones = new Map<string, TimeZone>();
/** Days of offsets kept per zone, which bounds the memory a long-lived process spends on them. */
const MAX_MEMO_DAYS = 20_000;

function createTimeZone(name: string): TimeZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new UnknownTimeZoneError(`"${name}" is not an IANA time zone; use one such as "Europe/Berlin" or "UTC"`);
  const offsetAt = (instant: number): number => zone.offset(instant);
  const days = new Map<number, DayOffsets>();
  const dayOffsets = (day: number): DayOffsets => {
    let known = days.get(day);
    if (!known) {
      const from = day * DAY_MS;
      const offset = offsetAt(from);
      const changes = findOffsetChanges(offsetAt, from + 1, from + DAY_MS).map((at) => ({ at, offset: offsetAt(at) }));
      known = { offset, changes };
      if (days.size >= MAX_MEMO_DAYS) days.clear();
      days.set(day, known);
    }
    return known;
  };
  const offsetMinutes = (instant: number): number => {
    const { offset, changes } = dayOffsets(Math.floor(instant / DAY_MS));
    return changes.findLast((change) => change.at <= instant)?.offset ?? offset;
  };
  const offsetChangesBetween = (from: number, to: number): number[] => {
    const changes: number[] = [];
    for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day += 1) {
      // A change exactly at the start of a UTC day shows only against the day before.
      if (offsetMinutes(day * DAY_MS - 1) !== dayOffsets(day).offset) changes.push(day * DAY_MS);
      changes.push(...dayOffsets(day).changes.map((change) => change.at));
    }
    return changes.filter((at) => from <= at && at < to);
  };
  return { name, offsetMinutes, offsetChangesBetween };
}

/** The local wall-clock time of `instant`, as if it were a UTC instant ("naive" ms). */
export function wallClockOf(zone: TimeZone, instant: number): number {
  return instant + zone.offsetMinutes(instant) * MINUTE_MS;
}

/** The epoch day of the local date at `instant`. */
export function localDayOf(zone: TimeZone, instant: number): number {
  return Math.floor(wallClockOf(zone, instant) / DAY_MS);
}

/**
 * Every instant whose local wall-clock time is `minute` minutes after midnight of `epochDay`,
 * earliest first: none in a spring-forward gap, two in a fall-back overlap, else one.
 * (Assumes at most one offset change within a day either side, as every zone has.)
 */
export function instantsOfLocalTime(zone: TimeZone, epochDay: number, minute: number): number[] {
  const wallClock = epochDay * DAY_MS + minute * MINUTE_MS;
  const offsets = new Set([zone.offsetMinutes(wallClock - DAY_MS), zone.offsetMinutes(wallClock + DAY_MS)]);
  const instants = [...offsets]
    .map((offset) => wallClock - offset * MINUTE_MS)
    .filter((instant) => wallClockOf(zone, instant) === wallClock);
  return instants.sort((a, b) => a - b);
}

/** The instant a local time means, by the rule above. */
export function instantOfLocalTime(zone: TimeZone, epochDay: number, minute: number): number {
  const [first] = instantsOfLocalTime(zone, epochDay, minute);
  if (first !== undefined) return first;
  // In a gap: read the wall-clock time with the offset in force before the gap, which lands the
  // same distance after the gap as the time was after its start.
  const wallClock = epochDay * DAY_MS + minute * MINUTE_MS;
  return wallClock - zone.offsetMinutes(wallClock - DAY_MS) * MINUTE_MS;
}

/** Instants in [from, to) at which `offsetAt` changes, found by stepping and bisecting. */
function findOffsetChanges(offsetAt: (instant: number) => number, from: number, to: number): number[] {
  const changes: number[] = [];
  // Invariant: `before` has `offset`; every change up to `before` is found.
  let before = from - 1;
  let offset = offsetAt(before);
  while (before < to - 1) {
    // Look in 6-hour strides, so that even two changes on one day are each found.
    let after = Math.min(before + 6 * 3_600_000, to - 1);
    if (offsetAt(after) === offset) {
      before = after;
      continue;
    }
    while (after - before > 1) {
      const middle = Math.floor((before + after) / 2);
      if (offsetAt(middle) === offset) before = middle;
      else after = middle;
    }
    changes.push(after);
    offset = offsetAt(after);
    before = after;
  }
  return changes;
}

/** `HH:MM` of `instant` in the zone. */
export function formatLocalTime(zone: TimeZone, instant: number): string {
  return new Date(wallClockOf(zone, instant)).toISOString().slice(11, 16);
}
