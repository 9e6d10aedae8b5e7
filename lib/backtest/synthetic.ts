/**
 * Synthetic usage for demos and benchmarks (pure, deterministic): one working day's demand
 * curve — a step curve as the local cloud's simulated users follow it (local/usage.ts: from each
 * point on, that many sessions; 0 before the first) — replayed on every working day of a range,
 * with people arriving and leaving over `rampMinutes` instead of all at once, and a seeded
 * wobble of ±`noise` that changes every `noiseMinutes`.
 */
export interface DayCurvePoint {
  /** Milliseconds after the start of the curve's day (UTC). */
  offset: number;
  sessions: number;
}

export interface SyntheticUsageOptions {
  /** Epoch ms of the first minute; a whole UTC day. */
  from: number;
  days: number;
  /** The working day's curve, relative to the start of a day. */
  curve: readonly DayCurvePoint[];
  /** Whether day `index` (0 = the day of `from`) is worked; others have no users. */
  workday: (index: number) => boolean;
  seed: number;
  rampMinutes?: number;
  noise?: number;
  noiseMinutes?: number;
  /** Multiplies every value of the curve (bench targets of other sizes). */
  scale?: number;
}

const DAY_MINUTES = 1440;
const MINUTE_MS = 60_000;

/** Sessions wanted per minute over `days` days. */
export function syntheticUsage(options: SyntheticUsageOptions): Int32Array {
  const { days, curve, workday, seed } = options;
  const ramp = options.rampMinutes ?? 30;
  const noise = options.noise ?? 0.08;
  const noiseMinutes = options.noiseMinutes ?? 5;
  const scale = options.scale ?? 1;
  const points = [...curve].sort((a, b) => a.offset - b.offset).map((point) => ({ minute: point.offset / MINUTE_MS, sessions: point.sessions * scale }));
  // One day's smooth curve, worked out once: the step curve with each step spread over the ramp.
  const day = new Float64Array(DAY_MINUTES);
  for (let minute = 0; minute < DAY_MINUTES; minute += 1) {
    let value = 0;
    let previous = 0;
    for (const point of points) {
      if (point.minute > minute) break;
      const into = minute - point.minute;
      value = into >= ramp ? point.sessions : previous + ((point.sessions - previous) * (into + 1)) / (ramp + 1);
      previous = point.sessions;
    }
    day[minute] = value;
  }
  const values = new Int32Array(days * DAY_MINUTES);
  for (let index = 0; index < days; index += 1) {
    if (!workday(index)) continue;
    for (let minute = 0; minute < DAY_MINUTES; minute += 1) {
      const base = day[minute]!;
      if (base <= 0) continue;
      const at = index * DAY_MINUTES + minute;
      const wobble = 1 + noise * (2 * unitRandom(seed, Math.floor(at / noiseMinutes)) - 1);
      values[at] = Math.max(0, Math.round(base * wobble));
    }
  }
  return values;
}

/** A number in [0, 1) from a seed and an index (a mulberry32 step), the same for the same pair. */
export function unitRandom(seed: number, index: number): number {
  let t = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index | 0, 0x85ebca77)) + 0x6d2b79f5;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
