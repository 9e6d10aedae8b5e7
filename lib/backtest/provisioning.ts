import type { TargetKind } from './trace.ts';

/**
 * How a simulated pool or fleet gets the capacity it is asked for (pure; time in minutes of the
 * backtest, fractional where a workflow looks between two whole minutes).
 *
 * - Scale-out: the capacity grows towards the desired value at `ratePerMinute` (the local cloud's
 *   emulators use the same figures: pools bring up about 10 sessions a minute, fleets 2 instances).
 * - Scale-in: at once, but never below the sessions in use; capacity held up by users goes as
 *   they leave (AppStream keeps an instance with a session until the session ends).
 * - Start: STARTING for `startMinutes` with no capacity, then RUNNING; the capacity follows when it
 *   is set (the `capacity-change` workflow sets it once it sees RUNNING).
 * - Stop: no capacity at once, STOPPING for `stopMinutes`, then STOPPED.
 * Only a RUNNING target has sessions to give.
 */
export interface ProvisioningRates {
  ratePerMinute: number;
  startMinutes: number;
  stopMinutes: number;
}

export type Provisioning = Record<TargetKind, ProvisioningRates>;

/** The local cloud's emulators' figures (local/services/workspaces/pool-lifecycle.ts, appstream/store.ts). */
export const DEFAULT_PROVISIONING: Provisioning = {
  pool: { ratePerMinute: 10, startMinutes: 5, stopMinutes: 5 },
  fleet: { ratePerMinute: 2, startMinutes: 10, stopMinutes: 5 },
};

export type Phase = 'RUNNING' | 'STOPPED' | 'STARTING' | 'STOPPING';

/** Tolerance for the fractional capacity that provisioning at a rate produces. */
const EPSILON = 1e-9;

export class SimulatedCapacity {
  phase: Phase;
  /** The capacity asked for (DesiredUserSessions, DesiredInstances). */
  desired: number;
  /** The capacity there is, fractional while it grows. */
  actual: number;
  #phaseEndsAt = 0;
  #rampFrom = 0;
  #rampBase = 0;

  constructor(
    readonly rates: ProvisioningRates,
    initial: { phase: Phase; desired: number },
  ) {
    this.phase = initial.phase;
    this.desired = initial.desired;
    this.actual = initial.phase === 'RUNNING' ? initial.desired : 0;
  }

  /** Moves to minute `minute`, when `demand` sessions are wanted: states end, capacity grows or is given back. */
  advance(minute: number, demand: number): void {
    if (this.phase === 'STARTING' && minute >= this.#phaseEndsAt - EPSILON) this.phase = 'RUNNING';
    else if (this.phase === 'STOPPING' && minute >= this.#phaseEndsAt - EPSILON) this.phase = 'STOPPED';
    if (this.phase !== 'RUNNING') return;
    if (this.actual < this.desired) {
      this.actual = Math.min(this.desired, this.#rampBase + this.rates.ratePerMinute * (minute - this.#rampFrom));
    } else if (this.actual > this.desired) {
      // Capacity above the desired value is only there for the sessions still on it.
      this.actual = Math.max(this.desired, Math.min(this.actual, demand));
    }
  }

  /** Sessions a user can have now. */
  available(): number {
    return this.phase === 'RUNNING' ? Math.floor(this.actual + EPSILON) : 0;
  }

  /**
   * Sets the desired capacity at `at`; a scale-in keeps the `inUse` sessions. Returns the value
   * applied and when the capacity will have reached it.
   */
  set(desired: number, at: number, inUse: number): { applied: number; convergedAt: number } {
    const applied = desired < this.desired ? Math.max(desired, inUse) : desired;
    this.desired = applied;
    if (this.phase !== 'RUNNING') return { applied, convergedAt: at };
    if (applied > this.actual) {
      this.#rampFrom = at;
      this.#rampBase = this.actual;
      return { applied, convergedAt: at + (applied - this.actual) / this.rates.ratePerMinute };
    }
    this.actual = Math.max(applied, Math.min(this.actual, inUse));
    return { applied, convergedAt: at };
  }

  /** Starts a stopped target at `at`; returns when it is RUNNING. */
  start(at: number): number {
    this.phase = 'STARTING';
    this.actual = 0;
    this.#phaseEndsAt = at + this.rates.startMinutes;
    return this.#phaseEndsAt;
  }

  /** Stops the target at `at` (nobody is on it): no capacity from now on. */
  stop(at: number): void {
    this.phase = 'STOPPING';
    this.actual = 0;
    this.desired = 0;
    this.#phaseEndsAt = at + this.rates.stopMinutes;
  }
}
