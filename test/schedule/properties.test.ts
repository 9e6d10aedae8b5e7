import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { policyFileSchema, type Policy, type PolicyFile } from '#lib/policy/schema.ts';
import { findCalendarDay } from '#lib/schedule/calendar.ts';
import { epochDayOfIso, isoOfEpochDay, WEEKDAYS } from '#lib/schedule/civil-date.ts';
import { scheduleChanges } from '#lib/schedule/changes.ts';
import { evaluateSchedule, type ScheduleValue } from '#lib/schedule/evaluate.ts';
import { localDayOf, timeZoneOf } from '#lib/schedule/local-time.ts';
import { sameState } from '#lib/schedule/timeline.ts';
import { BERLIN, NEW_YORK, policyWith, SYDNEY, what } from './support.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const pad = (value: number): string => String(value).padStart(2, '0');

// Zones with DST both ways round, a 30-minute DST, DST at midnight, and none.
const zones = fc.constantFrom(BERLIN, NEW_YORK, SYDNEY, 'UTC', 'Australia/Lord_Howe', 'America/Havana', 'Asia/Kolkata');

// Times of day, often near the small hours where clocks switch.
const timeOfDay = fc
  .oneof(
    fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.constantFrom(0, 15, 30, 45) }),
    fc.record({ hour: fc.integer({ min: 0, max: 3 }), minute: fc.integer({ min: 0, max: 59 }) }),
  )
  .map(({ hour, minute }) => `${pad(hour)}:${pad(minute)}`);

const FIRST_DAY = epochDayOfIso('2025-12-01');
const LAST_DAY = epochDayOfIso('2027-01-31');
const date = fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map(isoOfEpochDay);
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

const window = fc
  .record({
    start: timeOfDay,
    end: timeOfDay,
    days: rarely(fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1 })),
    monthDays: rarely(fc.uniqueArray(fc.integer({ min: -1, max: 31 }).filter((day) => day !== 0), { minLength: 1, maxLength: 3 })),
    nthWeekdays: rarely(fc.array(fc.record({ weekday: fc.constantFrom(...WEEKDAYS), nth: fc.constantFrom(-1, 1, 2, 3, 4, 5) }), { minLength: 1, maxLength: 2 })),
    dates: rarely(fc.uniqueArray(date, { minLength: 1, maxLength: 3 })),
    value: fc.oneof(fc.record({ capacity: fc.nat(50) }), fc.record({ floor: fc.nat(50) })),
    priority: fc.integer({ min: 0, max: 2 }),
    readyBy: rarely(fc.record({ leadMinutes: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 24 * 60 })) })),
  })
  .filter((generated) => generated.start !== generated.end)
  .map(({ value, ...rest }) => ({ ...rest, ...value }));

const calendarEntry = fc.oneof(
  date,
  fc.record({ date, name: fc.constantFrom('Holiday', 'Blackout') }),
  fc.tuple(date, fc.integer({ min: 0, max: 6 })).map(([from, length]) => ({ from, to: isoOfEpochDay(epochDayOfIso(from) + length) })),
  fc.record({ yearly: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(([month, day]) => `${pad(month)}-${pad(day)}`) }),
);

interface Scenario {
  policy: Policy;
  calendars: PolicyFile['calendars'];
  zone: string;
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    windows: fc.array(window, { maxLength: 4 }),
    holidays: fc.array(calendarEntry, { maxLength: 4 }),
    blackouts: fc.array(calendarEntry, { maxLength: 2 }),
    uses: fc.subarray(['holidays', 'blackouts']),
    offHours: fc.nat(5),
    zone: zones,
  })
  .map(({ windows, holidays, blackouts, uses, offHours, zone }) => {
    const file = policyFileSchema.parse({
      version: 1,
      calendars: { holidays, blackouts },
      policies: [
        {
          name: 'generated',
          targets: [{ kind: 'pool', id: 'wspool-abc123def' }],
          max: 100,
          timeZone: zone,
          calendars: uses,
          offHours: { capacity: offHours },
          windows: windows.map((generated, index) => ({ name: `w${index}`, ...generated })),
        },
      ],
    });
    return { policy: file.policies[0]!, calendars: file.calendars, zone };
  });

// Instants over the generated dates: anywhere, on a DST switch day, or around one of the
// scenario's calendar dates or one-off window dates, where the interesting boundaries are.
const switchDays = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-10-04', '2026-10-25', '2026-11-01'].map(epochDayOfIso);
const around = (days: number[]) => fc.tuple(fc.constantFrom(...days), fc.integer({ min: -DAY, max: 2 * DAY })).map(([day, offset]) => day * DAY + offset);

function notableDays({ policy, calendars }: Scenario): number[] {
  const entries = policy.calendars.flatMap((name) => calendars[name] ?? []);
  const isoDates = entries.flatMap((entry) =>
    typeof entry === 'string' ? [entry] : 'date' in entry ? [entry.date] : 'yearly' in entry ? [`2026-${entry.yearly}`] : [entry.from, entry.to],
  );
  isoDates.push(...policy.windows.flatMap((window) => window.dates ?? []));
  return isoDates.map(epochDayOfIso).filter((day) => Number.isFinite(day));
}

const instantFor = (generated: Scenario): fc.Arbitrary<number> => {
  const notable = notableDays(generated);
  return fc.oneof(
    fc.integer({ min: FIRST_DAY * DAY, max: LAST_DAY * DAY }),
    around(switchDays),
    ...(notable.length > 0 ? [around(notable), around(notable)] : []),
  );
};
const scenarioAndInstant = scenario.chain((generated) => fc.tuple(fc.constant(generated), instantFor(generated)));

const evaluate = ({ policy, calendars, zone }: Scenario, at: number): ScheduleValue => evaluateSchedule(policy, calendars, zone, at);
/** Whether `since`/`until` of two evaluations of one value can be compared: both found within a year of each. */
const comparableBounds = (value: ScheduleValue): boolean => Number.isFinite(value.since) && Number.isFinite(value.until) && value.until - value.since < 300 * DAY;

describe('schedule evaluation, for any valid policy', () => {
  it('never throws, and gives a well-formed value that covers the instant', () => {
    fc.assert(
      fc.property(scenarioAndInstant, ([generated, at]) => {
        const value = evaluate(generated, at);
        expect(value.since).toBeLessThanOrEqual(at);
        expect(value.until).toBeGreaterThan(at);
        expect(Number.isInteger(value.capacity) && value.capacity >= 0).toBe(true);
        if (value.source.kind === 'window') {
          const { window: name } = value.source;
          const window = generated.policy.windows.find((candidate) => candidate.name === name);
          expect(window).toBeDefined();
          const own = window?.capacity === undefined ? ['floor', window?.floor] : ['exact', window.capacity];
          // In the lead time an exact window's value is a floor when what it raises is one.
          const modes = value.source.readyBy && own[0] === 'exact' ? ['exact', 'floor'] : [own[0]];
          expect(modes).toContain(value.mode);
          expect(value.capacity).toBe(own[1]);
        } else {
          expect([value.mode, value.capacity]).toEqual(['floor', generated.policy.offHours.capacity]);
        }
        const localDate = isoOfEpochDay(localDayOf(timeZoneOf(generated.zone), at));
        const calendarDay = findCalendarDay(generated.policy.calendars, generated.calendars, localDate);
        expect(value.source.kind === 'calendar').toBe(calendarDay !== undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('in a lead time never lowers what applies without lead times, and equals it elsewhere', () => {
    fc.assert(
      fc.property(scenarioAndInstant, ([generated, at]) => {
        const value = evaluate(generated, at);
        const withoutLead = { ...generated.policy, windows: generated.policy.windows.map(({ readyBy: _readyBy, ...window }) => window) };
        const otherwise = evaluate({ ...generated, policy: withoutLead }, at);
        if (value.source.kind === 'window' && value.source.readyBy) {
          expect(value.capacity).toBeGreaterThan(otherwise.capacity);
          // Exact only over exact: over a floor, usage may hold capacity that an exact value would cut.
          if (otherwise.mode === 'floor') expect(value.mode).toBe('floor');
        } else {
          expect(what(value)).toEqual(what(otherwise));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is the same throughout [since, until) and different just outside it', () => {
    fc.assert(
      fc.property(scenarioAndInstant, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), ([generated, at], fractions) => {
        const value = evaluate(generated, at);
        // Sample inside the span (bounded to a fortnight either side when it is unbounded).
        const low = Math.max(value.since, at - 14 * DAY);
        const high = Math.min(value.until, at + 14 * DAY);
        for (const sample of [low, high - 1, ...fractions.map((fraction) => Math.floor(low + fraction * (high - 1 - low)))]) {
          const other = evaluate(generated, sample);
          expect(what(other)).toEqual(what(value));
          if (comparableBounds(value)) expect([other.since, other.until]).toEqual([value.since, value.until]);
        }
        if (Number.isFinite(value.until)) expect(sameState(evaluate(generated, value.until), value)).toBe(false);
        if (Number.isFinite(value.since)) expect(sameState(evaluate(generated, value.since - 1), value)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('lists the same changes over a random week as sampling every 15 minutes finds', () => {
    fc.assert(
      fc.property(scenarioAndInstant, ([generated, from]) => {
        const to = from + 7 * DAY;
        const values = scheduleChanges(generated.policy, generated.calendars, generated.zone, from, to);
        // They join up, each differs from the one before, and all changes lie inside the week.
        values.forEach((value, index) => {
          const next = values[index + 1];
          if (next) {
            expect(next.since).toBe(value.until);
            expect(sameState(next, value)).toBe(false);
            expect(from < next.since && next.since < to).toBe(true);
          } else {
            expect(value.until).toBeGreaterThanOrEqual(to);
          }
        });
        for (let at = from; at < to; at += 15 * MINUTE) {
          const listed = values.findLast((value) => value.since <= at) ?? values[0]!;
          const sampled = evaluate(generated, at);
          expect(what(sampled)).toEqual(what(listed));
          expect(at < listed.until).toBe(true);
          if (comparableBounds(listed)) expect([sampled.since, sampled.until]).toEqual([listed.since, listed.until]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('starts and ends a window at its local times on every day of the year, in every zone', () => {
    // Away from the small hours, where no zone here switches, a local time is unambiguous.
    const awayFromSwitches = fc.integer({ min: 4 * 60, max: 23 * 60 + 59 }).map((minutes) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`);
    fc.assert(
      fc.property(zones, fc.integer({ min: FIRST_DAY, max: LAST_DAY }), awayFromSwitches, awayFromSwitches, (zone, day, start, end) => {
        fc.pre(start !== end);
        const date = isoOfEpochDay(day);
        const startsAt = DateTime.fromISO(`${date}T${start}`, { zone }).toMillis();
        const endsAt = DateTime.fromISO(`${end < start ? isoOfEpochDay(day + 1) : date}T${end}`, { zone }).toMillis();
        const value = evaluateSchedule(policyWith([{ name: 'w', start, end, capacity: 1 }]), {}, zone, startsAt);
        expect([value.since, value.until]).toEqual([startsAt, endsAt]);
      }),
      { numRuns: 300 },
    );
  });
});
