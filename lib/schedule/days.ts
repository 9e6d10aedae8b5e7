import type { Window } from '#lib/policy/schema.ts';
import { civilOf, daysInMonth, isoOfEpochDay, WEEKDAYS, weekdayOf } from './civil-date.ts';

/**
 * Which local dates a window applies on. Its day selectors combine with OR; a window with none
 * applies every day. `monthDays` 29–31 match only months that have that day (no clamping); -1 is
 * the last day of any month. `nthWeekdays` nth 1–5 is the nth such weekday of the month (a 5th
 * that a month lacks matches nothing); -1 is the last.
 */
export type DaySelectors = Pick<Window, 'days' | 'monthDays' | 'nthWeekdays' | 'dates'>;

/** How specific a matching selector is; a higher rank wins a precedence tie. */
export const SPECIFICITY = { everyDay: 0, days: 1, monthDays: 2, nthWeekdays: 3, dates: 4 } as const;
export type Specificity = (typeof SPECIFICITY)[keyof typeof SPECIFICITY];

/**
 * The specificity of the most specific selector of `window` that matches `epochDay`, or
 * undefined when the window does not apply that day.
 */
export function matchingSpecificity(window: DaySelectors, epochDay: number): Specificity | undefined {
  const { days, monthDays, nthWeekdays, dates } = window;
  if (!days && !monthDays && !nthWeekdays && !dates) return SPECIFICITY.everyDay;
  if (dates?.includes(isoOfEpochDay(epochDay))) return SPECIFICITY.dates;
  const { year, month, day } = civilOf(epochDay);
  const weekday = WEEKDAYS[weekdayOf(epochDay)];
  const lastDay = daysInMonth(year, month);
  if (nthWeekdays?.some((selector) => selector.weekday === weekday && (selector.nth === -1 ? day + 7 > lastDay : Math.ceil(day / 7) === selector.nth)))
    return SPECIFICITY.nthWeekdays;
  if (monthDays?.some((selector) => (selector === -1 ? day === lastDay : day === selector))) return SPECIFICITY.monthDays;
  if (days?.some((selector) => selector === weekday)) return SPECIFICITY.days;
  return undefined;
}

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const ORDINALS = ['', '1st', '2nd', '3rd', '4th', '5th'] as const;

/** The days a window applies on, for people: "Mon–Fri", "last Fri", "month days 1, 15, last", "daily". */
export function describeDays(window: DaySelectors): string {
  const parts: string[] = [];
  if (window.days) parts.push(describeWeekdays(window.days));
  if (window.monthDays) parts.push(`month days ${window.monthDays.map((day) => (day === -1 ? 'last' : String(day))).join(', ')}`);
  if (window.nthWeekdays) {
    const names = window.nthWeekdays.map(({ weekday, nth }) => `${nth === -1 ? 'last' : ORDINALS[nth]} ${DAY_NAMES[WEEKDAYS.indexOf(weekday)]}`);
    parts.push(`${names.join(', ')} of the month`);
  }
  if (window.dates) parts.push(window.dates.join(', '));
  return parts.length === 0 ? 'daily' : parts.join(' or ');
}

/** Weekdays in week order, runs of three or more as ranges: "Mon–Fri", "Mon, Wed, Fri–Sun", "Sat, Sun". */
function describeWeekdays(days: readonly (typeof WEEKDAYS)[number][]): string {
  const indexes = [...new Set(days.map((day) => WEEKDAYS.indexOf(day)))].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const index of indexes) {
    const run = runs.at(-1);
    if (run && run.at(-1) === index - 1) run.push(index);
    else runs.push([index]);
  }
  return runs
    .flatMap((run) => {
      const names = run.map((index) => DAY_NAMES[index] ?? '');
      return run.length >= 3 ? [`${names[0]}–${names.at(-1)}`] : names;
    })
    .join(', ');
}
