import type { Policy, PolicyFile } from '#lib/policy/schema.ts';
import { ScheduleTimeline } from './timeline.ts';

/**
 * What a policy's schedule asks for at one instant, and for how long.
 *
 * Semantics (the policy schema's header, made exact):
 * - Windows are in local time of `timeZone`. A window applies on the local dates its selectors
 *   match (lib/schedule/days.ts) and belongs to the date it starts on, also when it runs past
 *   midnight. A start or end in a spring-forward gap moves the gap's length later (02:30 → 03:30);
 *   one in a fall-back overlap is its first occurrence (lib/schedule/local-time.ts). A window
 *   that a gap leaves with its end at or before its start does not run that day.
 * - Ready-by: a window's value applies from `start − leadMinutes` (elapsed minutes, so a DST
 *   switch in the lead time does not change how early it starts). In the lead time,
 *   `source.readyBy` is true; the lead time and the window proper are two values, the second
 *   beginning at `start`.
 * - Overlaps: higher `priority`; then the more specific selector that matched the date (dates >
 *   nthWeekdays > monthDays > days > every day); then the later start (the window's own start,
 *   also in its lead time); then the one declared first.
 * - On a local date of one of the policy's calendars no window applies, not even the lead time
 *   of a window starting the next day nor the part past midnight of one that started the day
 *   before; the value is the off-hours capacity as a floor. A window that starts on a calendar
 *   date does not apply at all, also not past midnight or in its lead time. The first calendar
 *   (policy order) and its first matching entry name the source.
 * - Elsewhere: the off-hours capacity as a floor.
 * Capacities are the policy's own; min/max clamping is the capacity engine's job.
 */
export interface ScheduleValue {
  mode: 'exact' | 'floor';
  capacity: number;
  source:
    | { kind: 'window'; window: string; readyBy: boolean }
    | { kind: 'off-hours' }
    | { kind: 'calendar'; calendar: string; entry?: string };
  /** For people, in the policy's zone, e.g. 'window "business" (Mon–Fri 08:00–18:00 Europe/Berlin), ready by 08:00: started 30 min early'. */
  reason: string;
  /** UTC ms when this value began to apply (for ready-by: start − lead); -Infinity if not within a year. */
  since: number;
  /** UTC ms of the next change point; Infinity if none within a year. */
  until: number;
}

/**
 * The schedule's value at `at` (UTC ms). `timeZone` is the policy's own zone or the file's
 * default, resolved by the caller. Throws UnknownTimeZoneError / UnknownCalendarError only for
 * input the policy file schema rejects, and RangeError for a non-finite `at`.
 */
export function evaluateSchedule(policy: Policy, calendars: PolicyFile['calendars'], timeZone: string, at: number): ScheduleValue {
  return new ScheduleTimeline(policy, calendars, timeZone).valueAt(at);
}
