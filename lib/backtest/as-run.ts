import type { ScenarioOutcome } from './autopilot.ts';
import { Meter } from './meter.ts';

/**
 * The capacity a target actually had, as its trace recorded it (CloudWatch's capacity metric, or
 * what `npm start` sampled), measured like a simulated scenario (pure): so a report shows what
 * ran next to what the policies would do on the same demand, by the same yardstick.
 *
 * A trace holds capacity, not the requests that moved it: a pool's capacity climbs over several
 * minutes for one request. So a "change" here is a movement — the capacity starts to move after
 * at least a minute steady — not an API call.
 */
export function measureAsRun(inUse: Int32Array, asRun: Int32Array, bucketMinutes: number): ScenarioOutcome {
  const meter = new Meter(bucketMinutes);
  let steady = true;
  for (let minute = 0; minute < inUse.length; minute += 1) {
    const capacity = asRun[minute]!;
    const moved = minute > 0 && capacity !== asRun[minute - 1]!;
    if (moved && steady) meter.capacityChanges += 1;
    steady = !moved;
    meter.record(minute, capacity, capacity, inUse[minute]!);
  }
  return { measured: meter.result(), capacity: meter.series.finish() };
}
