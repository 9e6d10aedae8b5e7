import type { Policy, PolicyFile, Window } from '#lib/policy/schema.ts';
import { assertCalendarsExist, findCalendarDay, type CalendarDay } from './calendar.ts';
import { DAY_MS, isoOfEpochDay, MINUTE_MS, minutesOfTime } from './civil-date.ts';
import { describeDays, matchingSpecificity, type Specificity } from './days.ts';
import type { ScheduleValue } from './evaluate.ts';
import {
  formatLocalTime,
  instantOfLocalTime,
  instantsOfLocalTime,
  localDayOf,
  timeZoneOf,
  type TimeZone,
} from './local-time.ts';

/** What the schedule says at one instant, before asking since when and until when. */
export type ScheduleState = Omit<ScheduleValue, 'since' | 'until'>;

/** How far `since` and `until` look for a change before giving up (±Infinity). */
export const SEARCH_SPAN_MS = 366 * DAY_MS;
const MAX_STEP_MS = 32 * DAY_MS;

/** One window on one local date: it applies on [activeFrom, end), ready-by on [activeFrom, start). */
interface Occurrence {
  window: PreparedWindow;
  start: number;
  end: number;
  activeFrom: number;
  specificity: Specificity;
}

interface PreparedWindow {
  window: Window;
  /** Declaration order. */
  index: number;
  startMinute: number;
  endMinute: number;
  leadMs: number;
  /** For people; worked out when first needed. */
  description: () => string;
}

interface DayFacts {
  calendarDay: CalendarDay | undefined;
  /** The windows that start on this date; none on a calendar date. */
  occurrences: Occurrence[];
}

/**
 * The schedule of one policy in one time zone as a timeline of instants (UTC ms). Pure; it
 * memoises what it works out per local date, so one timeline answers many questions cheaply.
 *
 * Input: the policy, the file's calendars, the resolved time zone. Primary course: `stateAt(t)`
 * finds the local date of t; a calendar date gives the off-hours floor; otherwise every window
 * occurrence that starts on a nearby date and covers t competes by precedence, and none gives the
 * off-hours floor. A winner still in its lead time is combined with what the others give without
 * it (recursively), so a lead time only ever raises capacity. `valueAt(t)` adds since/until by
 * walking the instants at which the state can change (window starts, ready-by starts, ends, and
 * around calendar dates the local midnights and offset changes) outwards from t until the state
 * differs.
 */
export class ScheduleTimeline {
  readonly #zone: TimeZone;
  readonly #policy: Policy;
  readonly #calendars: PolicyFile['calendars'];
  readonly #windows: PreparedWindow[];
  readonly #days = new Map<number, DayFacts>();

  constructor(policy: Policy, calendars: PolicyFile['calendars'], timeZone: string) {
    this.#zone = timeZoneOf(timeZone);
    assertCalendarsExist(policy.calendars, calendars);
    this.#policy = policy;
    this.#calendars = calendars;
    this.#windows = policy.windows.map((window, index) => ({
      window,
      index,
      startMinute: minutesOfTime(window.start),
      endMinute: minutesOfTime(window.end),
      leadMs: (window.readyBy?.leadMinutes ?? 0) * MINUTE_MS,
      description: once(() => `window "${window.name}" (${describeDays(window)} ${window.start}–${window.end} ${timeZone})`),
    }));
  }

  valueAt(instant: number): ScheduleValue {
    if (!Number.isFinite(instant)) throw new RangeError(`a schedule is evaluated at a finite instant, not ${instant}`);
    const state = this.stateAt(instant);
    return { ...state, since: this.#since(instant, state), until: this.#until(instant, state) };
  }

  stateAt(instant: number): ScheduleState {
    const today = localDayOf(this.#zone, instant);
    const calendarDay = this.#day(today).calendarDay;
    if (calendarDay) return this.#calendarState(calendarDay);
    const covering: Occurrence[] = [];
    // A window reaches at most a day back (ready-by) and a day forward (past midnight) from the
    // date it starts on; one more day each side covers any offset change.
    for (let day = today - 3; day <= today + 3; day += 1) {
      for (const occurrence of this.#day(day).occurrences) {
        if (occurrence.activeFrom <= instant && instant < occurrence.end) covering.push(occurrence);
      }
    }
    return this.#stateAmong(covering, instant);
  }

  /**
   * The state given by the occurrences that cover `instant`: the one that ranks highest, and
   * when that one is only in its lead time, its value combined with what the others give
   * (`readyByState`), so that a lead time never lowers what is otherwise in force.
   */
  #stateAmong(covering: readonly Occurrence[], instant: number): ScheduleState {
    let best: Occurrence | undefined;
    for (const occurrence of covering) if (!best || outranks(occurrence, best)) best = occurrence;
    if (!best) return { mode: 'floor', capacity: this.#policy.offHours.capacity, source: { kind: 'off-hours' }, reason: 'off-hours: no window applies' };
    const { window } = best.window;
    const own = { mode: window.capacity === undefined ? ('floor' as const) : ('exact' as const), capacity: window.capacity ?? window.floor ?? 0 };
    if (instant >= best.start) return { ...own, source: { kind: 'window', window: window.name, readyBy: false }, reason: best.window.description() };
    const winner = best;
    return this.#readyByState(winner, own, this.#stateAmong(covering.filter((occurrence) => occurrence !== winner), instant));
  }

  /**
   * A window in its lead time against the state otherwise in force: the lead time is there to
   * have capacity ready at the start, never to take it away early. So the otherwise state stays
   * when it is at least as high; a higher lead value applies, as a floor when the otherwise
   * state is one (usage it lets raise capacity may keep it), exact only when both are exact.
   */
  #readyByState(occurrence: Occurrence, own: Pick<ScheduleState, 'mode' | 'capacity'>, otherwise: ScheduleState): ScheduleState {
    if (own.capacity <= otherwise.capacity) return otherwise;
    const mode = own.mode === 'exact' && otherwise.mode === 'exact' ? 'exact' : 'floor';
    const early = `${occurrence.window.description()}, ready by ${formatLocalTime(this.#zone, occurrence.start)}: started ${occurrence.window.leadMs / MINUTE_MS} min early`;
    const asFloor = mode === own.mode ? '' : `; a floor, as ${nameOf(otherwise)} is: a lead time takes no capacity away`;
    return { mode, capacity: own.capacity, source: { kind: 'window', window: occurrence.window.window.name, readyBy: true }, reason: early + asFloor };
  }

  #calendarState(calendarDay: CalendarDay): ScheduleState {
    const { calendar, entry, description } = calendarDay;
    return {
      mode: 'floor',
      capacity: this.#policy.offHours.capacity,
      source: { kind: 'calendar', calendar, ...(entry === undefined ? {} : { entry }) },
      reason: `calendar "${calendar}" (${entry === undefined ? description : `${entry}, ${description}`}): off-hours, no window applies`,
    };
  }

  /** The first instant after `instant` at which the state differs, within the search span. */
  #until(instant: number, state: ScheduleState): number {
    const horizon = instant + SEARCH_SPAN_MS;
    // Most changes are hours away: look a day ahead first, then in growing steps.
    for (let from = instant + 1, step = DAY_MS; from <= horizon; from += step, step = Math.min(2 * step, MAX_STEP_MS)) {
      for (const candidate of this.#changeCandidates(from, Math.min(from + step, horizon + 1))) {
        if (!sameState(this.stateAt(candidate), state)) return candidate;
      }
    }
    return Infinity;
  }

  /** The instant the state began: the latest change at or before `instant`, within the search span. */
  #since(instant: number, state: ScheduleState): number {
    const horizon = instant - SEARCH_SPAN_MS;
    for (let to = instant + 1, step = DAY_MS; to > horizon; to -= step, step = Math.min(2 * step, MAX_STEP_MS)) {
      for (const candidate of this.#changeCandidates(Math.max(to - step, horizon), to).reverse()) {
        if (!sameState(this.stateAt(candidate - 1), state)) return candidate;
      }
    }
    return -Infinity;
  }

  /** Every instant in [from, to) at which the state may change, in order. */
  #changeCandidates(from: number, to: number): number[] {
    const candidates = new Set<number>();
    // Bounds that hold every occurrence, midnight and offset change landing in [from, to).
    const firstDay = Math.floor(from / DAY_MS) - 4;
    const lastDay = Math.floor(to / DAY_MS) + 3;
    for (let day = firstDay; day <= lastDay; day += 1) {
      const facts = this.#day(day);
      for (const { activeFrom, start, end } of facts.occurrences) {
        candidates.add(activeFrom).add(start).add(end);
      }
      const previousIsCalendar = this.#day(day - 1).calendarDay !== undefined;
      if (facts.calendarDay !== undefined || previousIsCalendar) {
        // A local date begins at midnight, or where midnight falls in a gap, at the end of the gap.
        for (const midnight of instantsOfLocalTime(this.#zone, day, 0)) candidates.add(midnight);
        candidates.add(instantOfLocalTime(this.#zone, day, 0));
      }
      if (facts.calendarDay !== undefined || previousIsCalendar || this.#day(day + 1).calendarDay !== undefined) {
        // Clocks falling back across midnight return to the previous date for a while.
        for (const change of this.#zone.offsetChangesBetween(day * DAY_MS, (day + 1) * DAY_MS)) candidates.add(change);
      }
    }
    return [...candidates].filter((candidate) => from <= candidate && candidate < to).sort((a, b) => a - b);
  }

  #day(day: number): DayFacts {
    const known = this.#days.get(day);
    if (known) return known;
    const calendarDay = findCalendarDay(this.#policy.calendars, this.#calendars, isoOfEpochDay(day));
    const facts: DayFacts = { calendarDay, occurrences: calendarDay ? [] : this.#occurrencesOn(day) };
    this.#days.set(day, facts);
    return facts;
  }

  #occurrencesOn(day: number): Occurrence[] {
    return this.#windows.flatMap((window) => {
      const specificity = matchingSpecificity(window.window, day);
      if (specificity === undefined) return [];
      const start = instantOfLocalTime(this.#zone, day, window.startMinute);
      const end = instantOfLocalTime(this.#zone, window.endMinute < window.startMinute ? day + 1 : day, window.endMinute);
      // A window whose start moved past its end on a spring-forward day (02:30–03:10 → 03:30) is empty.
      if (end <= start) return [];
      return [{ window, start, end, activeFrom: start - window.leadMs, specificity }];
    });
  }
}

/**
 * Precedence: higher priority; then the more specific selector that matched the date; then the
 * later start (the window's own start, not its ready-by start); then the one declared first.
 * A winner in its lead time does not simply replace the rest: see `#readyByState`.
 */
function outranks(a: Occurrence, b: Occurrence): boolean {
  if (a.window.window.priority !== b.window.window.priority) return a.window.window.priority > b.window.window.priority;
  if (a.specificity !== b.specificity) return a.specificity > b.specificity;
  if (a.start !== b.start) return a.start > b.start;
  return a.window.index < b.window.index;
}

/** The source of a state, for a reason: 'off-hours', 'window "day"', 'calendar "holidays"'. */
function nameOf(state: ScheduleState): string {
  const { source } = state;
  if (source.kind === 'window') return `window "${source.window}"${source.readyBy ? ' in its lead time' : ''}`;
  if (source.kind === 'calendar') return `calendar "${source.calendar}"`;
  return 'off-hours';
}

function once(compute: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= compute());
}

export function sameState(a: ScheduleState, b: ScheduleState): boolean {
  if (a.mode !== b.mode || a.capacity !== b.capacity || a.reason !== b.reason || a.source.kind !== b.source.kind) return false;
  if (a.source.kind === 'window' && b.source.kind === 'window') return a.source.window === b.source.window && a.source.readyBy === b.source.readyBy;
  if (a.source.kind === 'calendar' && b.source.kind === 'calendar') return a.source.calendar === b.source.calendar && a.source.entry === b.source.entry;
  return true;
}
