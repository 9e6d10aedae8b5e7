/**
 * EventBridge rule schedules, `rate(...)` and `cron(...)`, as the EventBridge user guide defines
 * them ("Cron expressions reference", "Rate expressions reference"), evaluated in UTC as
 * EventBridge evaluates rule schedules.
 *
 * Rate schedules fire at whole multiples of their period counted from the Unix epoch, so
 * rate(1 hour) fires on the hour and rate(1 day) at 00:00 UTC. AWS instead counts from the moment
 * the rule is created; the epoch anchor makes every firing independent of when the local cloud
 * started, so tests and the coming-week preview see the same times on every run.
 */
export interface Schedule {
  /** The expression as given. */
  expression: string;
  /** The first fire time strictly after `afterMs` (epoch ms); Infinity when none is left (year 2199 passed). */
  next(afterMs: number): number;
}

const MINUTE = 60_000;

export function parseScheduleExpression(expression: string): Schedule {
  const [, kind, body = ''] = /^\s*(rate|cron)\((.*)\)\s*$/.exec(expression) ?? [];
  if (kind === 'rate') return rateSchedule(expression, body);
  if (kind === 'cron') return cronSchedule(expression, body);
  return fail(
    expression,
    'use rate(value unit), e.g. rate(5 minutes), or cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 8 ? * MON-FRI *)',
  );
}

function fail(expression: string, reason: string): never {
  throw new Error(`Invalid schedule expression "${expression}": ${reason}`);
}

// ---- rate ----------------------------------------------------------------------------------

const UNITS = new Map([
  ['minute', MINUTE],
  ['hour', 60 * MINUTE],
  ['day', 24 * 60 * MINUTE],
]);

function rateSchedule(expression: string, body: string): Schedule {
  const [, valueText = '', unit = ''] = /^\s*(\S+)\s+(\S+)\s*$/.exec(body) ?? [];
  if (!valueText) fail(expression, 'rate takes a value and a unit, e.g. rate(5 minutes)');
  if (!/^\d+$/.test(valueText) || Number(valueText) < 1) {
    fail(expression, `the rate value "${valueText}" must be a whole number of 1 or more`);
  }
  const value = Number(valueText);
  const singular = unit.replace(/s$/, '');
  const unitMs = UNITS.get(singular);
  if (unitMs === undefined) fail(expression, `the rate unit "${unit}" must be minute(s), hour(s) or day(s)`);
  // AWS requires the unit to agree with the value: rate(1 hour), rate(5 hours).
  const expected = value === 1 ? singular : `${singular}s`;
  if (unit !== expected) fail(expression, `write "${expected}" for a value of ${value}, as in rate(${value} ${expected})`);
  const period = value * unitMs;
  return { expression, next: (afterMs) => (Math.floor(afterMs / period) + 1) * period };
}

// ---- cron ----------------------------------------------------------------------------------

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTES: Field = { name: 'minutes', min: 0, max: 59 };
const HOURS: Field = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: Field = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const DAY_OF_WEEK: Field = { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };
const YEAR: Field = { name: 'year', min: 1970, max: 2199 };

/** Whether a calendar day (month 1-12) is one the expression fires on. */
type DayTest = (year: number, month: number, day: number) => boolean;

interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  day: DayTest;
  months: Set<number>;
  years: number[];
}

function cronSchedule(expression: string, body: string): Schedule {
  const fields = body.trim().split(/\s+/);
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = fields;
  if (fields.length !== 6) {
    const hint = fields.length === 5 ? '; EventBridge adds a year field, usually *' : '';
    fail(expression, `cron takes 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}${hint}`);
  }
  if (dayOfMonth !== '?' && dayOfWeek !== '?') {
    fail(expression, 'day-of-month and day-of-week cannot both be specified; use ? in one of them');
  }
  if (dayOfMonth === '?' && dayOfWeek === '?') {
    fail(expression, 'day-of-month and day-of-week cannot both be ?; give one of them a value or *');
  }
  const parse = (field: Field, text: string) => parseValues(expression, field, text);
  const cron: Cron = {
    minutes: parse(MINUTES, minutes),
    hours: parse(HOURS, hours),
    day: dayOfMonth === '?' ? parseDayOfWeek(expression, dayOfWeek) : parseDayOfMonth(expression, dayOfMonth),
    months: parse(MONTH, month),
    years: [...parse(YEAR, year)].sort((a, b) => a - b),
  };
  return { expression, next: (afterMs) => nextFire(cron, afterMs) };
}

/**
 * Walks forward from the next whole minute, jumping a whole year, month, day or hour whenever
 * that unit cannot match, so even a yearly schedule takes a few hundred steps.
 */
function nextFire(cron: Cron, afterMs: number): number {
  let t = (Math.floor(afterMs / MINUTE) + 1) * MINUTE;
  for (;;) {
    const at = new Date(t);
    const year = at.getUTCFullYear();
    const month = at.getUTCMonth() + 1;
    const day = at.getUTCDate();
    const hour = at.getUTCHours();
    if (!cron.years.includes(year)) {
      const nextYear = cron.years.find((candidate) => candidate > year);
      if (nextYear === undefined) return Infinity;
      t = Date.UTC(nextYear, 0, 1);
    } else if (!cron.months.has(month)) {
      t = Date.UTC(year, month, 1);
    } else if (!cron.day(year, month, day)) {
      t = Date.UTC(year, month - 1, day + 1);
    } else if (!cron.hours.has(hour)) {
      t = Date.UTC(year, month - 1, day, hour + 1);
    } else if (!cron.minutes.has(at.getUTCMinutes())) {
      t += MINUTE;
    } else {
      return t;
    }
  }
}

/** Comma-separated `*`, values, names, `low-high` ranges and `start/step` increments (`0/15`, `8-17/2`). */
function parseValues(expression: string, field: Field, text: string): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText, ...extra] = item.split('/');
    if (extra.length > 0 || (stepText !== undefined && !/^[1-9]\d*$/.test(stepText))) {
      fail(expression, `${field.name} "${item}" has a bad increment; write start/step, e.g. 0/15`);
    }
    const step = Number(stepText ?? 1);
    let low = field.min;
    let high = field.max;
    if (range !== '*') {
      const [from = '', to, ...more] = range.split('-');
      if (more.length > 0) fail(expression, `${field.name} "${item}" is not a range; write low-high, e.g. 1-5`);
      low = valueOf(expression, field, from);
      // `5/15` counts from 5 to the end of the field; a lone value is just itself.
      high = to !== undefined ? valueOf(expression, field, to) : stepText !== undefined ? field.max : low;
      if (low > high) fail(expression, `${field.name} range "${range}" runs backwards; write it low-high`);
    }
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

function valueOf(expression: string, field: Field, text: string): number {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? field.min + named : /^\d+$/.test(text) ? Number(text) : NaN;
  if (value >= field.min && value <= field.max) return value;
  const names = field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : '';
  const only = text === '?' ? '; ? is allowed only in day-of-month or day-of-week' : '';
  return fail(expression, `${field.name} value "${text}" is not valid; use ${field.min}-${field.max}${names}${only}`);
}

/** Values and ranges, `L` (the last day of the month) or `nW` (the weekday nearest day n). */
function parseDayOfMonth(expression: string, text: string): DayTest {
  if (text === 'L') return (year, month, day) => day === daysIn(year, month);
  const nearest = /^(\d+)W$/.exec(text);
  if (nearest) {
    const target = valueOf(expression, DAY_OF_MONTH, nearest[1] ?? '');
    return (year, month, day) => day === nearestWeekday(year, month, target);
  }
  if (/[LW]/i.test(text)) fail(expression, `day-of-month "${text}": L and nW stand alone, e.g. L or 15W`);
  const days = parseValues(expression, DAY_OF_MONTH, text);
  return (_year, _month, day) => days.has(day);
}

/** Values and ranges (SUN=1 … SAT=7), `L` (Saturday), `nL` (the last weekday n) or `n#k` (the kth weekday n). */
function parseDayOfWeek(expression: string, text: string): DayTest {
  if (text === 'L') return (year, month, day) => weekday(year, month, day) === DAY_OF_WEEK.max;
  const last = /^([^,/-]+)L$/i.exec(text);
  if (last) {
    const target = valueOf(expression, DAY_OF_WEEK, last[1] ?? '');
    return (year, month, day) => weekday(year, month, day) === target && day + 7 > daysIn(year, month);
  }
  const nth = /^([^,/-]+)#([^,/-]*)$/.exec(text);
  if (nth) {
    const target = valueOf(expression, DAY_OF_WEEK, nth[1] ?? '');
    const week = nth[2] ?? '';
    if (!/^[1-5]$/.test(week)) fail(expression, `day-of-week "${text}": the week after # must be 1-5, e.g. 2#1 for the first Monday`);
    return (year, month, day) => weekday(year, month, day) === target && Math.ceil(day / 7) === Number(week);
  }
  // The guide lists no / for day-of-week, and allows one # expression only ("3#1,6#3" is invalid).
  if (/[L#/]/i.test(text)) {
    fail(expression, `day-of-week "${text}": nL and n#k stand alone, and / is not allowed; list the days, e.g. MON,WED,FRI`);
  }
  const days = parseValues(expression, DAY_OF_WEEK, text);
  return (year, month, day) => days.has(weekday(year, month, day));
}

/**
 * `nW`: day n itself on a weekday; from a Saturday the Friday before, from a Sunday the Monday
 * after, never leaving the month (a Saturday the 1st gives Monday the 3rd). A month without day n
 * has no firing, as with a plain n.
 */
function nearestWeekday(year: number, month: number, target: number): number {
  const last = daysIn(year, month);
  if (target > last) return NaN;
  const day = weekday(year, month, target);
  if (day === 7) return target === 1 ? 3 : target - 1;
  if (day === 1) return target === last ? target - 2 : target + 1;
  return target;
}

/** 1 = Sunday … 7 = Saturday, as cron counts. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
