/**
 * Counts work in flight inside the local cloud (handler invocations, workflow steps) so that
 * advancing the clock can wait until everything the last timer set off has settled, instead of
 * sleeping for wall time.
 */
export class Activity {
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  begin(): void {
    this.inFlight += 1;
  }

  end(): void {
    this.inFlight -= 1;
    if (this.inFlight < 0) throw new Error('Activity.end() called more often than begin()');
    if (this.inFlight === 0) this.flush();
  }

  /** Runs `work` counted as in flight. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.begin();
    try {
      return await work();
    } finally {
      this.end();
    }
  }

  /**
   * Resolves once nothing is in flight. It re-checks after a macrotask turn so that work which
   * starts from a just-resolved promise (an HTTP request, a next state) is seen before resolving.
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.inFlight > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.inFlight === 0) return;
    }
  }

  private flush(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
