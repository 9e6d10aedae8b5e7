import { parseIsoTime } from './time.ts';

/**
 * Simulated users. Demand is how many sessions users want on a pool or fleet at a moment; the
 * emulators grant at most the capacity they have, so demand above capacity is users who found no
 * free session. A demand is a constant or a curve over the local clock: steps, or ramps when
 * `rampMinutes` is set, as people log on over half an hour rather than all in one minute.
 */
export type UsageKind = 'pool' | 'fleet';

export interface CurvePoint {
  /** Local-cloud time in ms since the epoch from which `sessions` holds. */
  at: number;
  sessions: number;
}

export interface DemandSetting {
  kind: UsageKind;
  /** Pool id or fleet name. */
  id: string;
  /** A constant demand … */
  sessions?: number;
  /** … or a step curve; before its first point the demand is 0. */
  curve?: CurvePoint[];
  /**
   * Spreads each step of `curve` over this many minutes: from a point's `at` the demand moves
   * from the previous value towards the point's one in whole-minute steps, reaching it after
   * `rampMinutes` (0 or absent: at once). lib/backtest/synthetic.ts ramps its curves the same way.
   */
  rampMinutes?: number;
}

/**
 * A demand setting as JSON carries it: what PUT /_local/usage and a seed's `usage` take and what
 * GET /_local/usage answers, curve times in ISO 8601.
 */
export type DemandDocument =
  | { kind: UsageKind; id: string; sessions: number }
  | { kind: UsageKind; id: string; curve: Array<{ at: string; sessions: number }>; rampMinutes?: number };

export class Usage {
  private readonly demands = new Map<string, DemandSetting>();

  set(setting: DemandSetting): void {
    const { kind, id } = setting;
    if (setting.curve) {
      setting.curve.forEach((point, index) => assertWholeNumber(point.sessions, `curve[${index}].sessions`));
      if (setting.rampMinutes !== undefined) assertWholeNumber(setting.rampMinutes, 'rampMinutes');
      const curve = [...setting.curve].sort((a, b) => a.at - b.at);
      this.demands.set(`${kind}:${id}`, { kind, id, curve, ...(setting.rampMinutes ? { rampMinutes: setting.rampMinutes } : {}) });
    } else {
      assertWholeNumber(setting.sessions, 'sessions');
      this.demands.set(`${kind}:${id}`, { kind, id, sessions: setting.sessions });
    }
  }

  /** Sessions users want on the resource at `now`. */
  demand(kind: UsageKind, id: string, now: number): number {
    const setting = this.demands.get(`${kind}:${id}`);
    if (!setting) return 0;
    if (!setting.curve) return setting.sessions ?? 0;
    const ramp = setting.rampMinutes ?? 0;
    let sessions = 0;
    let previous = 0;
    for (const point of setting.curve) {
      if (point.at > now) break;
      const into = Math.floor((now - point.at) / 60_000);
      sessions = into >= ramp ? point.sessions : Math.round(previous + ((point.sessions - previous) * (into + 1)) / (ramp + 1));
      previous = point.sessions;
    }
    return sessions;
  }

  /** The settings in force, as PUT /_local/usage takes them back. */
  list(): DemandDocument[] {
    return [...this.demands.values()].map(({ kind, id, sessions, curve, rampMinutes }) =>
      curve
        ? { kind, id, curve: curve.map((point) => ({ at: new Date(point.at).toISOString(), sessions: point.sessions })), ...(rampMinutes ? { rampMinutes } : {}) }
        : { kind, id, sessions: sessions ?? 0 },
    );
  }
}

function assertWholeNumber(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
  }
}

/**
 * A demand setting from JSON or YAML (the admin API, a seed): `{ kind, id, sessions }` or
 * `{ kind, id, curve: [{ at: ISO time, sessions }], rampMinutes? }`. Errors name the field under `path`.
 */
export function parseDemandSetting(raw: unknown, path = 'usage'): DemandSetting {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new RangeError(`${path} must be an object`);
  const { kind, id, sessions, curve, rampMinutes } = raw as Record<string, unknown>;
  if (kind !== 'pool' && kind !== 'fleet') throw new RangeError(`${path}.kind must be "pool" or "fleet"`);
  if (typeof id !== 'string' || id === '') throw new RangeError(`${path}.id must be the pool id or fleet name`);
  if (curve === undefined) {
    assertWholeNumber(sessions, `${path}.sessions`);
    return { kind, id, sessions };
  }
  if (!Array.isArray(curve)) throw new RangeError(`${path}.curve must be a list of { at, sessions }`);
  const points = curve.map((point: unknown, index): CurvePoint => {
    const where = `${path}.curve[${index}]`;
    const { at, sessions: value } = (point ?? {}) as Record<string, unknown>;
    const time = parseIsoTime(at, `${where}.at`);
    assertWholeNumber(value, `${where}.sessions`);
    return { at: time, sessions: value };
  });
  if (rampMinutes === undefined) return { kind, id, curve: points };
  assertWholeNumber(rampMinutes, `${path}.rampMinutes`);
  return { kind, id, curve: points, rampMinutes };
}
