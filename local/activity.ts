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

/**
 * Counts the AWS calls the edge answers, per `X-Amz-Target` (`WorkspacesService.DescribeWorkspacesPools`,
 * `DynamoDB_20120810.BatchGetItem`) and per caller's access key id, so a benchmark or a test can
 * compare what a run cost with the fewest calls the APIs allow. Every request is counted once as
 * it arrives, whatever its outcome (a throttled or failed call is still a call); SDK retries are
 * separate requests and count again.
 */
export class CallCounter {
  private readonly counts = new Map<string, Map<string, number>>();

  record(target: string, caller: string): void {
    const byTarget = this.counts.get(caller) ?? new Map<string, number>();
    byTarget.set(target, (byTarget.get(target) ?? 0) + 1);
    this.counts.set(caller, byTarget);
  }

  /** Calls per target since the last reset, of one caller (access key id) or of all. */
  byOperation(caller?: string): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const [key, byTarget] of this.counts) {
      if (caller !== undefined && key !== caller) continue;
      for (const [target, count] of byTarget) totals[target] = (totals[target] ?? 0) + count;
    }
    return totals;
  }

  reset(): void {
    this.counts.clear();
  }
}
