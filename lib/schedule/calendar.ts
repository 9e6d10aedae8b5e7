import type { CalendarEntry, PolicyFile } from '#lib/policy/schema.ts';

/**
 * Holiday and blackout calendars. An entry is one date, an inclusive `from`–`to` range, or a
 * `yearly` MM-DD (`02-29` only in leap years). Dates are compared as the LOCAL date in the
 * policy's time zone, so the caller passes the local `YYYY-MM-DD`.
 */
export class UnknownCalendarError extends Error {
  override readonly name = 'UnknownCalendarError';
}

export interface CalendarDay {
  /** The calendar's name under `calendars`. */
  calendar: string;
  /** The matching entry's name, if it has one. */
  entry?: string;
  /** The matching entry for people: "2026-12-25", "2026-12-24 to 2027-01-01", "every 12-25". */
  description: string;
}

export function isCalendarDate(entries: readonly CalendarEntry[], date: string): boolean {
  return entries.some((entry) => entryMatches(entry, date));
}

/**
 * The first of the policy's calendars (in the policy's order) that has `date`, with its first
 * matching entry; undefined when `date` is an ordinary day.
 */
export function findCalendarDay(
  names: readonly string[],
  calendars: PolicyFile['calendars'],
  date: string,
): CalendarDay | undefined {
  for (const calendar of names) {
    const entry = entriesOf(calendars, calendar).find((candidate) => entryMatches(candidate, date));
    if (entry === undefined) continue;
    const name = typeof entry === 'string' ? undefined : entry.name;
    return { calendar, ...(name === undefined ? {} : { entry: name }), description: describeEntry(entry) };
  }
  return undefined;
}

/** Throws {@link UnknownCalendarError} unless every named calendar exists. */
export function assertCalendarsExist(names: readonly string[], calendars: PolicyFile['calendars']): void {
  for (const calendar of names) entriesOf(calendars, calendar);
}

function entriesOf(calendars: PolicyFile['calendars'], calendar: string): CalendarEntry[] {
  const entries = Object.hasOwn(calendars, calendar) ? calendars[calendar] : undefined;
  if (!entries) throw new UnknownCalendarError(`no calendar "${calendar}" under \`calendars\`; define it or remove it from the policy`);
  return entries;
}

function entryMatches(entry: CalendarEntry, date: string): boolean {
  if (typeof entry === 'string') return entry === date;
  if ('date' in entry) return entry.date === date;
  if ('yearly' in entry) return date.slice(5) === entry.yearly;
  return entry.from <= date && date <= entry.to;
}

function describeEntry(entry: CalendarEntry): string {
  if (typeof entry === 'string') return entry;
  if ('date' in entry) return entry.date;
  if ('yearly' in entry) return `every ${entry.yearly}`;
  return `${entry.from} to ${entry.to}`;
}
