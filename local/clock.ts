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
 * until the work the previous one started has settled (see Activity). A timer for a time the clock
 * has already reached fires without an advance, as AWS finishes a Wait of 0 seconds at once.
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

  /**
   * Calls `fire` when the clock reaches `at`. A time already reached fires without waiting for an
   * advance, as soon as the caller's synchronous code is done (so `schedule` has returned the id),
   * once, and counted as activity until then so a settling clock sees it.
   */
  schedule(at: number, fire: () => void): number {
    const id = this.nextId++;
    this.timers.push({ id, at, fire });
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    if (at <= this.current) {
      this.activity.begin();
      queueMicrotask(() => {
        try {
          this.fire(id);
        } finally {
          this.activity.end();
        }
      });
    }
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
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    // A time already reached (a Wait of 0 seconds or until a past timestamp, a retry interval of 0).
    if (at <= this.current) return Promise.resolve();
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
      this.current = Math.max(this.current, next.at);
      this.fire(next.id);
    }
    this.current = Math.max(this.current, target);
    await this.activity.idle();
  }

  /** Fires a timer unless it was cancelled or has fired already. */
  private fire(id: number): void {
    const index = this.timers.findIndex((timer) => timer.id === id);
    if (index < 0) return;
    const [timer] = this.timers.splice(index, 1);
    timer?.fire();
  }
}
