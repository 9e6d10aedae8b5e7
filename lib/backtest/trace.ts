import { DateTime } from 'luxon';

/**
 * Usage traces for the backtest (pure): what sessions were in use on which pool or fleet, when.
 *
 * A trace is first a set of samples per target, as a file gives them (any order, any spacing);
 * `traceSeries` turns it into one value per minute over a range, which is what the engine replays.
 * Targets are named as everywhere else in euc-autopilot: `pool/<pool id>` or `fleet/<fleet name>`.
 */

export type TargetKind = 'pool' | 'fleet';

export const MINUTE_MS = 60_000;

export interface TraceSample {
  /** Epoch ms. */
  at: number;
  /** Sessions in use (pools, multi-session fleets) or instances in use (single-session fleets). */
  value: number;
}

export interface TargetSamples {
  /** `pool/<id>` or `fleet/<name>`. */
  target: string;
  kind: TargetKind;
  id: string;
  /** Sessions in use, in time order. */
  inUse: TraceSample[];
  /** The capacity the target actually had, when the source has it (CloudWatch ActualCapacity). */
  asRun?: TraceSample[];
}

/** A parsed trace file: per target, its samples in time order. */
export interface UsageTrace {
  /** Where it came from, for people ("examples/demo-trace.csv"). */
  source: string;
  targets: TargetSamples[];
}

/** One target's usage, one value per minute of the range. */
export interface TargetSeries {
  target: string;
  kind: TargetKind;
  id: string;
  /** Sessions in use per minute: index i is the minute starting at `from + i` minutes. */
  inUse: Int32Array;
  /** Capacity as run per minute, when the trace has it. */
  asRun?: Int32Array;
}

/** The trace on a grid of whole minutes, [from, from + minutes). */
export interface TraceSeries {
  source: string;
  /** Epoch ms of the first minute (a whole UTC minute). */
  from: number;
  minutes: number;
  targets: TargetSeries[];
}

const TARGET = /^(pool|fleet)\/([A-Za-z0-9][A-Za-z0-9_.-]{0,127})$/;

/** `pool/wspool-berlin001` → its kind and id; undefined when it is not a target name. */
export function parseTarget(text: string): { kind: TargetKind; id: string } | undefined {
  const match = TARGET.exec(text);
  if (!match) return undefined;
  return { kind: match[1] as TargetKind, id: match[2]! };
}

export const TARGET_FORM = 'pool/<pool id> or fleet/<fleet name> (letters, digits, "_", "." and "-")';

/**
 * An ISO 8601 time (`2026-11-23T08:00:00Z`, `2026-11-23T09:00+01:00`, `2026-11-23`; no offset
 * means UTC) as epoch ms, or undefined.
 */
export function parseIsoInstant(text: string): number | undefined {
  const time = DateTime.fromISO(text.trim(), { zone: 'utc', setZone: true });
  return time.isValid ? time.toMillis() : undefined;
}

export interface SeriesOptions {
  /** Epoch ms; default the first sample of the trace. Rounded down to a whole minute. */
  from?: number;
  /** Epoch ms, exclusive; default one minute after the last sample. Rounded up to a whole minute. */
  to?: number;
}

/**
 * The trace on a grid of whole minutes. A minute's value is the highest sample taken in it (so
 * a peak between two minutes survives); a minute with no sample holds the last value before it;
 * before a target's first sample its value is 0. Throws a RangeError for an empty range.
 */
export function traceSeries(trace: UsageTrace, options: SeriesOptions = {}): TraceSeries {
  let first = Infinity;
  let last = -Infinity;
  for (const target of trace.targets) {
    for (const samples of [target.inUse, target.asRun ?? []]) {
      if (samples.length === 0) continue;
      first = Math.min(first, samples[0]!.at);
      last = Math.max(last, samples.at(-1)!.at);
    }
  }
  const from = floorMinute(options.from ?? first);
  const to = Math.ceil((options.to ?? last + MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError(`${trace.source} has no samples`);
  if (!(to > from)) throw new RangeError(`the range ${new Date(from).toISOString()} – ${new Date(to).toISOString()} is empty`);
  const minutes = (to - from) / MINUTE_MS;
  return {
    source: trace.source,
    from,
    minutes,
    targets: trace.targets.map((target) => ({
      target: target.target,
      kind: target.kind,
      id: target.id,
      inUse: perMinute(target.inUse, from, minutes),
      ...(target.asRun && target.asRun.length > 0 ? { asRun: perMinute(target.asRun, from, minutes) } : {}),
    })),
  };
}

/** Samples in time order → one value per minute: the highest in the minute, else the last before it. */
export function perMinute(samples: readonly TraceSample[], from: number, minutes: number): Int32Array {
  const values = new Int32Array(minutes);
  let held = 0;
  let next = 0;
  // Samples before the range only set the value held at its start.
  while (next < samples.length && samples[next]!.at < from) held = samples[next++]!.value;
  for (let minute = 0; minute < minutes; minute += 1) {
    const end = from + (minute + 1) * MINUTE_MS;
    let highest = -1;
    while (next < samples.length && samples[next]!.at < end) {
      const { value } = samples[next++]!;
      if (value > highest) highest = value;
      held = value;
    }
    values[minute] = highest >= 0 ? highest : held;
  }
  return values;
}

export function floorMinute(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}
