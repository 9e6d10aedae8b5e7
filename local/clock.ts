import { Activity } from './activity.ts';

interface Timer {
  id: number;
  at: number;
  fire: () => void;
}

/**
 * The local cloud's controllable clock. Every lifecycle (pool updates, capacity converging,
 * workflow waits, scheduled rules) is measured against it, so tests move time forward with
 * `advance` instead of sleeping. Timers fire in time order; between two timers the clock waits
 * until the work the previous one started has settled (see Activity).
 */
export class Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;
  private advancing: Promise<void> = Promise.resolve();

  constructor(
    start: number,
    readonly activity = new Activity(),
  ) {
    this.current = start;
  }

  /** Milliseconds since the epoch, local-cloud time. */
  now(): number {
    return this.current;
  }

  /** Calls `fire` when the clock reaches `at` (at once on the next advance if `at` is past). */
  schedule(at: number, fire: () => void): number {
    const id = this.nextId++;
    this.timers.push({ id, at, fire });
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    return id;
  }

  cancel(id: number): void {
    this.timers = this.timers.filter((timer) => timer.id !== id);
  }

  /**
   * Resolves when the clock reaches `at`. The waiting itself is not counted as activity: a
   * workflow parked in a Wait state lets `advance` move on.
   */
  sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = this.schedule(at, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        this.cancel(id);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, firing due timers in order and settling after each. */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs a non-negative duration, got ${ms}`);
    return this.advanceTo(this.current + ms);
  }

  /** Moves time to `target` (never backwards while timers are pending), firing due timers. */
  advanceTo(target: number): Promise<void> {
    // Serialise concurrent advances (an admin call during a realtime tick) so time is monotonic.
    const run = this.advancing.then(() => this.run(target));
    this.advancing = run.catch(() => undefined);
    return run;
  }

  /**
   * Sets the clock without firing timers in between: for seeding a scenario at a given date.
   * Pending timers due before the new time fire on the next advance.
   */
  set(ms: number): void {
    this.current = ms;
  }

  /** Timers not yet fired, for the admin API and tests. */
  get pending(): number {
    return this.timers.length;
  }

  private async run(target: number): Promise<void> {
    for (;;) {
      await this.activity.idle();
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fire();
    }
    this.current = Math.max(this.current, target);
    await this.activity.idle();
  }
}
