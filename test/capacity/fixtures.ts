import { policySchema, type Policy } from '#lib/policy/schema.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';
import type { History, Observed } from '#lib/capacity/decide.ts';

/** Monday 2 March 2026, 09:00 UTC: the moment most examples decide at. */
export const NOW = Date.parse('2026-03-02T09:00:00Z');
export const MINUTES = 60_000;

/** A policy as the loader hands it over (parsed, defaults applied). */
export function policy(overrides: Record<string, unknown> = {}): Policy {
  return policySchema.parse({
    name: 'berlin-sales',
    targets: [{ kind: 'pool', id: 'wspool-berlin001' }],
    max: 80,
    windows: [
      { name: 'business', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '08:00', end: '18:00', capacity: 40, readyBy: { leadMinutes: 30 } },
      { name: 'month-end', monthDays: [-1], start: '06:00', end: '22:00', floor: 60, priority: 10 },
    ],
    ...overrides,
  });
}

/** Usage rules as the loader hands them over; `usage({ minFreeSessions: 5 })`. */
export function usage(rules: Record<string, unknown>): Policy['usage'] {
  return policy({ usage: rules }).usage;
}

export function windowValue(mode: ScheduleValue['mode'], capacity: number, overrides: Partial<ScheduleValue> = {}): ScheduleValue {
  return {
    mode,
    capacity,
    source: { kind: 'window', window: 'business', readyBy: false },
    reason: `window business: ${mode} ${capacity}`,
    since: NOW - 60 * MINUTES,
    until: NOW + 9 * 60 * MINUTES,
    ...overrides,
  };
}

export function offHoursValue(capacity = 0): ScheduleValue {
  return { mode: 'floor', capacity, source: { kind: 'off-hours' }, reason: `off hours: floor ${capacity}`, since: NOW - 60 * MINUTES, until: NOW + 60 * MINUTES };
}

export function observed(overrides: Partial<Observed> = {}): Observed {
  return { state: 'RUNNING', desired: 10, actual: 10, active: 0, available: 10, ...overrides };
}

export function history(overrides: Partial<History> = {}): History {
  return { usageRecommendations: [], ...overrides };
}
