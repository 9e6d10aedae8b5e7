import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from '#local/events/schedule.ts';

const ms = (iso: string) => Date.parse(iso);
const iso = (epochMs: number) => (Number.isFinite(epochMs) ? new Date(epochMs).toISOString() : String(epochMs));

/** The next fire time after `after`, as an ISO string for readable failures. */
const nextAfter = (expression: string, after: string) => iso(parseScheduleExpression(expression).next(ms(after)));

// 2026-11-23, the local cloud's default start, is a Monday.
type Firing = [meaning: string, expression: string, after: string, next: string];

describe('rate schedules', () => {
  const firings: Firing[] = [
    ['every minute fires at the next whole minute', 'rate(1 minute)', '2026-11-23T06:00:30Z', '2026-11-23T06:01:00.000Z'],
    ['every minute fires strictly after a firing', 'rate(1 minute)', '2026-11-23T06:01:00Z', '2026-11-23T06:02:00.000Z'],
    ['every five minutes fires on multiples of five', 'rate(5 minutes)', '2026-11-23T06:02:00Z', '2026-11-23T06:05:00.000Z'],
    ['every hour fires on the hour', 'rate(1 hour)', '2026-11-23T06:00:00Z', '2026-11-23T07:00:00.000Z'],
    ['every day fires at midnight UTC', 'rate(1 day)', '2026-11-23T06:00:00Z', '2026-11-24T00:00:00.000Z'],
    ['every two days counts whole periods from the epoch', 'rate(2 days)', '2026-11-23T06:00:00Z', '2026-11-25T00:00:00.000Z'],
  ];
  it.each(firings)('%s: %s after %s is %s', (_meaning, expression, after, next) => {
    expect(nextAfter(expression, after)).toBe(next);
  });

  it('keeps the expression it was given', () => {
    expect(parseScheduleExpression('rate(5 minutes)').expression).toBe('rate(5 minutes)');
  });

  const invalid: [expression: string, reason: string][] = [
    ['rate(1 minutes)', 'write "minute" for a value of 1, as in rate(1 minute)'],
    ['rate(5 hour)', 'write "hours" for a value of 5, as in rate(5 hours)'],
    ['rate(0 minutes)', 'the rate value "0" must be a whole number of 1 or more'],
    ['rate(1.5 hours)', 'the rate value "1.5" must be a whole number of 1 or more'],
    ['rate(2 weeks)', 'the rate unit "weeks" must be minute(s), hour(s) or day(s)'],
    ['rate(5)', 'rate takes a value and a unit, e.g. rate(5 minutes)'],
  ];
  it.each(invalid)('rejects %s, saying %s', (expression, reason) => {
    expect(() => parseScheduleExpression(expression)).toThrow(`Invalid schedule expression "${expression}": ${reason}`);
  });
});

describe('cron schedules', () => {
  const firings: Firing[] = [
    ['daily at 10:00 fires later the same day', 'cron(0 10 * * ? *)', '2026-11-23T06:00:00Z', '2026-11-23T10:00:00.000Z'],
    ['daily at 10:00 fires the next day once past', 'cron(0 10 * * ? *)', '2026-11-23T10:00:00Z', '2026-11-24T10:00:00.000Z'],
    ['every 15 minutes from 0 fires at :15', 'cron(0/15 * * * ? *)', '2026-11-23T06:07:00Z', '2026-11-23T06:15:00.000Z'],
    ['every 10 minutes from 1 fires at :11', 'cron(1/10 * * * ? *)', '2026-11-23T06:02:00Z', '2026-11-23T06:11:00.000Z'],
    ['a star with a step counts from the start of the field', 'cron(*/20 * * * ? *)', '2026-11-23T06:41:00Z', '2026-11-23T07:00:00.000Z'],
    ['a stepped range stays inside the range', 'cron(0 8-12/2 * * ? *)', '2026-11-23T10:30:00Z', '2026-11-23T12:00:00.000Z'],
    ['a list of hours fires at the next one listed', 'cron(30 9,13,17 * * ? *)', '2026-11-23T13:30:00Z', '2026-11-23T17:30:00.000Z'],
    ['working hours on weekdays skip the weekend', 'cron(0/5 8-17 ? * MON-FRI *)', '2026-11-27T17:56:00Z', '2026-11-30T08:00:00.000Z'],
    ['weekday numbers count from Sunday as 1', 'cron(0 8 ? * 2 *)', '2026-11-24T00:00:00Z', '2026-11-30T08:00:00.000Z'],
    ['weekday names ignore case', 'cron(0 8 ? * sat *)', '2026-11-23T00:00:00Z', '2026-11-28T08:00:00.000Z'],
    ['the first of the month fires next month once past', 'cron(0 8 1 * ? *)', '2026-11-23T00:00:00Z', '2026-12-01T08:00:00.000Z'],
    ['month names pick the months', 'cron(0 8 1 JAN,JUL ? *)', '2026-11-23T00:00:00Z', '2027-01-01T08:00:00.000Z'],
    ['day 31 skips months without one', 'cron(0 12 31 * ? *)', '2026-11-01T00:00:00Z', '2026-12-31T12:00:00.000Z'],
    ['February 29 waits for a leap year', 'cron(0 12 29 FEB ? *)', '2026-11-23T00:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['L in day-of-month is the last day of the month', 'cron(0 0 L * ? *)', '2027-02-01T00:00:00Z', '2027-02-28T00:00:00.000Z'],
    ['L in day-of-month knows leap years', 'cron(0 0 L * ? *)', '2028-02-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['L in day-of-week is Saturday, the last day of the week', 'cron(0 0 ? * L *)', '2026-11-23T00:00:00Z', '2026-11-28T00:00:00.000Z'],
    ['6L is the last Friday of the month', 'cron(0 18 ? * 6L *)', '2026-11-01T00:00:00Z', '2026-11-27T18:00:00.000Z'],
    ['2L finds a last Monday on the last day', 'cron(0 18 ? * 2L *)', '2026-11-01T00:00:00Z', '2026-11-30T18:00:00.000Z'],
    ['FRIL is the last Friday of the month too', 'cron(0 18 ? * FRIL *)', '2026-11-28T00:00:00Z', '2026-12-25T18:00:00.000Z'],
    ['2#1 is the first Monday of the month', 'cron(0 6 ? * 2#1 *)', '2026-11-23T00:00:00Z', '2026-12-07T06:00:00.000Z'],
    ['3#2 is the second Tuesday of the month', 'cron(0 6 ? * 3#2 *)', '2026-11-23T00:00:00Z', '2026-12-08T06:00:00.000Z'],
    ['5#5 skips months without a fifth Thursday', 'cron(0 6 ? * 5#5 *)', '2027-01-01T00:00:00Z', '2027-04-29T06:00:00.000Z'],
    ['15W on a Saturday moves to the Friday before', 'cron(0 9 15W * ? *)', '2026-08-01T00:00:00Z', '2026-08-14T09:00:00.000Z'],
    ['15W on a Sunday moves to the Monday after', 'cron(0 9 15W * ? *)', '2026-11-01T00:00:00Z', '2026-11-16T09:00:00.000Z'],
    ['15W on a weekday stays put', 'cron(0 9 15W * ? *)', '2026-12-01T00:00:00Z', '2026-12-15T09:00:00.000Z'],
    ['1W on a Saturday the 1st moves forward to Monday the 3rd', 'cron(0 9 1W * ? *)', '2026-07-31T00:00:00Z', '2026-08-03T09:00:00.000Z'],
    ['31W on a Sunday the 31st moves back to Friday the 29th', 'cron(0 9 31W * ? *)', '2026-05-01T00:00:00Z', '2026-05-29T09:00:00.000Z'],
    ['a year fires only in that year', 'cron(0 0 1 JAN ? 2030)', '2026-11-23T00:00:00Z', '2030-01-01T00:00:00.000Z'],
  ];
  it.each(firings)('%s: %s after %s is %s', (_meaning, expression, after, next) => {
    expect(nextAfter(expression, after)).toBe(next);
  });

  it('fires never again (Infinity) once its last year has passed', () => {
    expect(nextAfter('cron(0 0 1 JAN ? 2030)', '2030-01-01T00:00:00Z')).toBe('Infinity');
    expect(nextAfter('cron(0 12 * * ? 2026-2027)', '2027-12-31T12:00:00Z')).toBe('Infinity');
    expect(nextAfter('cron(0 0 * * ? *)', '2199-12-31T00:00:00Z')).toBe('Infinity');
  });

  const invalid: [expression: string, reason: string][] = [
    [
      'cron(0 12 * * *)',
      'cron takes 6 fields (minutes hours day-of-month month day-of-week year), got 5; EventBridge adds a year field, usually *',
    ],
    ['cron(0 12 * * MON *)', 'day-of-month and day-of-week cannot both be specified; use ? in one of them'],
    ['cron(0 12 ? * ? *)', 'day-of-month and day-of-week cannot both be ?; give one of them a value or *'],
    ['cron(60 * * * ? *)', 'minutes value "60" is not valid; use 0-59'],
    ['cron(0 24 * * ? *)', 'hours value "24" is not valid; use 0-23'],
    ['cron(0 ? * * ? *)', 'hours value "?" is not valid; use 0-23; ? is allowed only in day-of-month or day-of-week'],
    ['cron(0 0 0 * ? *)', 'day-of-month value "0" is not valid; use 1-31'],
    ['cron(0 0 * 13 ? *)', 'month value "13" is not valid; use 1-12 or JAN-DEC'],
    ['cron(0 0 * JANUARY ? *)', 'month value "JANUARY" is not valid; use 1-12 or JAN-DEC'],
    ['cron(0 0 ? * 8 *)', 'day-of-week value "8" is not valid; use 1-7 or SUN-SAT'],
    ['cron(0 0 * * ? 1969)', 'year value "1969" is not valid; use 1970-2199'],
    ['cron(5-1 * * * ? *)', 'minutes range "5-1" runs backwards; write it low-high'],
    ['cron(0/0 * * * ? *)', 'minutes "0/0" has a bad increment; write start/step, e.g. 0/15'],
    ['cron(1-2-3 * * * ? *)', 'minutes "1-2-3" is not a range; write low-high, e.g. 1-5'],
    ['cron(0 0 L,15 * ? *)', 'day-of-month "L,15": L and nW stand alone, e.g. L or 15W'],
    ['cron(0 0 ? * MON/2 *)', 'day-of-week "MON/2": nL and n#k stand alone, and / is not allowed; list the days, e.g. MON,WED,FRI'],
    ['cron(0 0 ? * 3#1,6#3 *)', 'day-of-week "3#1,6#3": nL and n#k stand alone, and / is not allowed; list the days, e.g. MON,WED,FRI'],
    ['cron(0 0 ? * 2#6 *)', 'day-of-week "2#6": the week after # must be 1-5, e.g. 2#1 for the first Monday'],
    [
      'every 5 minutes',
      'use rate(value unit), e.g. rate(5 minutes), or cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 8 ? * MON-FRI *)',
    ],
  ];
  it.each(invalid)('rejects %s, saying %s', (expression, reason) => {
    expect(() => parseScheduleExpression(expression)).toThrow(`Invalid schedule expression "${expression}": ${reason}`);
  });
});

describe('properties', () => {
  /** Instants between 2020 and 2040, to the millisecond. */
  const instant = fc.integer({ min: ms('2020-01-01T00:00:00Z'), max: ms('2040-01-01T00:00:00Z') });

  /** A cron field as text, with the values it allows computed independently of the parser. */
  interface FieldArb {
    text: string;
    allows: (value: number) => boolean;
  }
  const field = (min: number, max: number, { names, steps = true }: { names?: string[]; steps?: boolean } = {}) =>
    fc.oneof(
      fc.constant<FieldArb>({ text: '*', allows: () => true }),
      fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).chain((values) =>
        fc.boolean().map((useNames) => ({
          text: values.map((value) => (useNames && names ? names[value - min] : String(value))).join(','),
          allows: (value: number) => values.includes(value),
        })),
      ),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: max - min + 1 })).map(([start, step]) =>
        steps
          ? { text: `${start}/${step}`, allows: (value: number) => value >= start && (value - start) % step === 0 }
          : { text: String(start), allows: (value: number) => value === start },
      ),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => ({
        text: `${Math.min(a, b)}-${Math.max(a, b)}`,
        allows: (value: number) => value >= Math.min(a, b) && value <= Math.max(a, b),
      })),
    );

  const weekdays = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
  const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
  /** Day-of-month 1-28 exists in every month, so these schedules always fire again before 2199. */
  const cron = fc
    .record({
      minutes: field(0, 59),
      hours: field(0, 23),
      byWeekday: fc.boolean(),
      dayOfMonth: field(1, 28),
      // The guide lists no / for day-of-week.
      dayOfWeek: field(1, 7, { names: weekdays, steps: false }),
      month: field(1, 12, { names: months }),
    })
    .map(({ minutes, hours, byWeekday, dayOfMonth, dayOfWeek, month }) => ({
      expression: `cron(${minutes.text} ${hours.text} ${byWeekday ? '?' : dayOfMonth.text} ${month.text} ${byWeekday ? dayOfWeek.text : '?'} *)`,
      matches: (t: number) => {
        const at = new Date(t);
        const day = byWeekday ? dayOfWeek.allows(at.getUTCDay() + 1) : dayOfMonth.allows(at.getUTCDate());
        return (
          at.getUTCSeconds() === 0 &&
          at.getUTCMilliseconds() === 0 &&
          minutes.allows(at.getUTCMinutes()) &&
          hours.allows(at.getUTCHours()) &&
          month.allows(at.getUTCMonth() + 1) &&
          day
        );
      },
    }));

  it('fires a cron schedule strictly later, on a whole minute its fields allow', () => {
    fc.assert(
      fc.property(cron, instant, ({ expression, matches }, after) => {
        const next = parseScheduleExpression(expression).next(after);
        expect(next).toBeGreaterThan(after);
        expect(matches(next)).toBe(true);
      }),
    );
  });

  it('skips no firing: from anywhere before the next firing, the next firing is the same', () => {
    fc.assert(
      fc.property(cron, instant, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), ({ expression }, after, fraction) => {
        const schedule = parseScheduleExpression(expression);
        const next = schedule.next(after);
        const between = after + Math.floor(fraction * (next - after));
        expect(schedule.next(between)).toBe(next);
      }),
    );
  });

  it('fires a cron schedule at strictly increasing times', () => {
    fc.assert(
      fc.property(cron, instant, ({ expression }, after) => {
        const schedule = parseScheduleExpression(expression);
        let previous = after;
        for (let i = 0; i < 5; i++) {
          const next = schedule.next(previous);
          expect(next).toBeGreaterThan(previous);
          previous = next;
        }
      }),
    );
  });

  it('fires a rate schedule on the first multiple of its period after the instant', () => {
    const unit = fc.constantFrom(['minute', 60_000] as const, ['hour', 3_600_000] as const, ['day', 86_400_000] as const);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), unit, instant, (value, [name, unitMs], after) => {
        const period = value * unitMs;
        const next = parseScheduleExpression(`rate(${value} ${value === 1 ? name : `${name}s`})`).next(after);
        expect(next % period).toBe(0);
        expect(next - after).toBeGreaterThan(0);
        expect(next - after).toBeLessThanOrEqual(period);
      }),
    );
  });
});
