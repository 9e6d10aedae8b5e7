import type { Policy, PolicyFile } from '#lib/policy/schema.ts';
import type { ScheduleValue } from './evaluate.ts';
import { ScheduleTimeline } from './timeline.ts';

/**
 * The schedule over [from, to) as the values it takes, in order: first the value in effect at
 * `from` (its `since` may be earlier), then one for each change point before `to`. Each value is
 * exactly what `evaluateSchedule` gives at its own start, so `values[i].until === values[i + 1].since`.
 * Empty when `to` is not after `from`; both must be finite.
 */
export function scheduleChanges(
  policy: Policy,
  calendars: PolicyFile['calendars'],
  timeZone: string,
  from: number,
  to: number,
): ScheduleValue[] {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError(`a schedule is listed over a finite span, not ${from}–${to}`);
  const timeline = new ScheduleTimeline(policy, calendars, timeZone);
  if (!(from < to)) return [];
  const values = [timeline.valueAt(from)];
  for (let last = values[0]; last && last.until < to; last = values.at(-1)) values.push(timeline.valueAt(last.until));
  return values;
}
