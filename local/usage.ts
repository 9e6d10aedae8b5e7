/**
 * Simulated users. Demand is how many sessions users want on a pool or fleet at a moment; the
 * emulators grant at most the capacity they have, so demand above capacity is users who found no
 * free session. A demand is a constant or a step curve over the local clock.
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
}

export class Usage {
  private readonly demands = new Map<string, CurvePoint[]>();

  set(setting: DemandSetting): void {
    const key = `${setting.kind}:${setting.id}`;
    if (setting.curve) {
      for (const point of setting.curve) assertSessions(point.sessions);
      this.demands.set(key, [...setting.curve].sort((a, b) => a.at - b.at));
    } else {
      assertSessions(setting.sessions);
      this.demands.set(key, [{ at: Number.NEGATIVE_INFINITY, sessions: setting.sessions ?? 0 }]);
    }
  }

  clear(kind: UsageKind, id: string): void {
    this.demands.delete(`${kind}:${id}`);
  }

  /** Sessions users want on the resource at `now`. */
  demand(kind: UsageKind, id: string, now: number): number {
    const curve = this.demands.get(`${kind}:${id}`);
    if (!curve) return 0;
    let sessions = 0;
    for (const point of curve) {
      if (point.at > now) break;
      sessions = point.sessions;
    }
    return sessions;
  }

  list(): DemandSetting[] {
    return [...this.demands.entries()].map(([key, curve]) => {
      const [kind, ...rest] = key.split(':');
      return { kind: kind as UsageKind, id: rest.join(':'), curve };
    });
  }
}

function assertSessions(value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`sessions must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
  }
}
