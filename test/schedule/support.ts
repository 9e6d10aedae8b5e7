import { DateTime } from 'luxon';
import { policySchema, type Policy, type PolicyFile } from '#lib/policy/schema.ts';
import { evaluateSchedule, type ScheduleValue } from '#lib/schedule/evaluate.ts';

export const BERLIN = 'Europe/Berlin';
export const NEW_YORK = 'America/New_York';
export const SYDNEY = 'Australia/Sydney';

export type WindowInput = Record<string, unknown> & { name: string; start: string; end: string };

/** A valid policy (through the real schema, so defaults apply) with these windows. */
export function policyWith(windows: WindowInput[], extra: Record<string, unknown> = {}): Policy {
  return policySchema.parse({ name: 'desktops', targets: [{ kind: 'pool', id: 'wspool-abc123def' }], max: 100, windows, ...extra });
}

/** A UTC instant from an ISO string with an explicit offset, e.g. '2026-03-29T03:30+02:00'. */
export function instant(iso: string): number {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new Error(`not an ISO instant: ${iso}`);
  return value;
}

/** A UTC instant from an unambiguous local time 'YYYY-MM-DD HH:mm' in `zone`. */
export function localInstant(zone: string, local: string): number {
  const value = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone });
  if (!value.isValid) throw new Error(`not a local time: ${local}`);
  return value.toMillis();
}

/** An instant as people read it in `zone`: '2026-03-29 08:00 +02:00'. */
export function local(zone: string, value: number): string {
  if (value === Infinity) return 'never';
  if (value === -Infinity) return 'always';
  return DateTime.fromMillis(value, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');
}

/** A schedule value as people read it: its kind, capacity and span in the zone. */
export function summary(value: ScheduleValue, zone: string): string {
  const source =
    value.source.kind === 'window'
      ? `${value.source.window}${value.source.readyBy ? ' (ready-by)' : ''}`
      : value.source.kind === 'calendar'
        ? `calendar ${value.source.calendar}${value.source.entry ? `/${value.source.entry}` : ''}`
        : 'off-hours';
  return `${source} ${value.mode} ${value.capacity} from ${local(zone, value.since)} until ${local(zone, value.until)}`;
}

/** Evaluates the policy at an instant, reusing one calendar set and zone. */
export function evaluator(policy: Policy, calendars: PolicyFile['calendars'], zone: string): (at: number) => ScheduleValue {
  return (at) => evaluateSchedule(policy, calendars, zone, at);
}

/** Everything but since/until: what the schedule says. */
export function what(value: ScheduleValue): Omit<ScheduleValue, 'since' | 'until'> {
  const { since: _since, until: _until, ...rest } = value;
  return rest;
}
