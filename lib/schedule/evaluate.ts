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
 *   switch in the lead time does not change how early it starts), but only to raise capacity:
 *   the lead time is about having capacity ready at `start`, never about removing it early.
 *   When the window ranks highest (below) while in its lead time, its value L is set against the
 *   value O that applies without it (the next in rank, worked out the same way; the off-hours
 *   floor when there is none):
 *   - L ≤ O (capacities): O, unchanged, with O's own source — the lead time adds nothing;
 *   - L > O, both exact: exact L;
 *   - L > O, O a floor: a floor of L, also for an exact window, since an exact value would take
 *     away capacity that usage holds above it under O (exact values skip scale-in stabilization);
 *   - L > O, L a floor and O exact: a floor of L.
 *   So in the lead time the capacity is the larger of the two, and the value is exact only when
 *   both are. `source.readyBy` is true when the lead value is in force; the lead time and the
 *   window proper are two values, the second beginning at `start`.
 * - Overlaps: higher `priority`; then the more specific selector that matched the date (dates >
 *   nthWeekdays > monthDays > days > every day); then the later start (the window's own start,
 *   also in its lead time, where it applies as above); then the one declared first. A window in
 *   its lead time never displaces one that outranks it.
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
    /** `readyBy`: the window's lead-time value is in force (it raises what would otherwise apply). */
    | { kind: 'window'; window: string; readyBy: boolean }
    | { kind: 'off-hours' }
    | { kind: 'calendar'; calendar: string; entry?: string }
    /** An operator's override (lib/overrides) in place of the policy's value; `inWindow`: it replaced a window's. */
    | { kind: 'override'; id: string; override: 'hold' | 'floor'; inWindow: boolean };
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
