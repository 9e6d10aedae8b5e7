import { policyFileSchema, policySchema, type Policy, type PolicyFile } from '#lib/policy/schema.ts';
import type { PolicySet } from '#lib/backtest/policies.ts';
import type { TraceSeries } from '#lib/backtest/trace.ts';

/** Monday 2 March 2026, 00:00 UTC: where the test traces start. */
export const MONDAY = Date.parse('2026-03-02T00:00:00Z');
export const MINUTE = 60_000;
export const HOUR_MINUTES = 60;
export const DAY_MINUTES = 1440;

/** A policy as the loader hands it over; UTC, so minutes of the day are minutes of the trace. */
export function policy(fields: Record<string, unknown> = {}): Policy {
  return policySchema.parse({ name: 'test', targets: [{ kind: 'pool', id: 'wspool-test0001' }], max: 200, timeZone: 'UTC', ...fields });
}

export function policyFile(policies: Policy[], calendars: PolicyFile['calendars'] = {}): PolicyFile {
  return policyFileSchema.parse({ version: 1, calendars, policies });
}

export function policySet(policies: Policy[], label = 'policies'): PolicySet {
  return { label, path: `${label}.yml`, file: policyFile(policies) };
}

/** Sessions wanted per minute: `steps` are [minute from which, sessions] (0 before the first). */
export function steps(minutes: number, points: ReadonlyArray<readonly [number, number]>): Int32Array {
  const values = new Int32Array(minutes);
  for (const [from, sessions] of points) values.fill(sessions, from);
  return values;
}

export function traceOf(targets: Record<string, Int32Array>, from = MONDAY): TraceSeries {
  const entries = Object.entries(targets);
  return {
    source: 'test',
    from,
    minutes: entries[0]![1].length,
    targets: entries.map(([target, inUse]) => {
      const [kind, id] = target.split('/') as ['pool' | 'fleet', string];
      return { target, kind, id, inUse };
    }),
  };
}

/** The value of a downsampled step series at `minute`. */
export function valueAt(series: { minutes: number[]; values: number[] }, minute: number): number {
  let value = 0;
  for (let index = 0; index < series.minutes.length && series.minutes[index]! <= minute; index += 1) value = series.values[index]!;
  return value;
}
