/**
 * How many streaming instances a fleet has at a moment, computed when asked from the last time the
 * count was pinned down, so no timer has to tick. Scale-out adds `ratePerMinute` instances per
 * minute; scale-in removes idle instances at once but never one that hosts a session.
 *
 * Scale-in is judged by the demand at the moment of reading: an instance freed and needed again
 * between two reads, with no fleet change in between, counts as never having left. Every fleet
 * change pins the count (`settle`), so this only blurs what happens between calls.
 */
export interface Provisioning {
  /** When `running` was pinned down, ms since the epoch. */
  at: number;
  running: number;
}

export interface Target {
  desired: number;
  ratePerMinute: number;
  sessionsPerInstance: number;
}

export function runningAt(provisioning: Provisioning, target: Target, demand: number, now: number): number {
  const { at, running } = provisioning;
  if (target.desired >= running) {
    const launched = Math.floor(((now - at) * target.ratePerMinute) / 60_000 + 1e-9);
    return Math.min(target.desired, running + launched);
  }
  const sessions = Math.min(demand, running * target.sessionsPerInstance);
  return Math.max(target.desired, Math.ceil(sessions / target.sessionsPerInstance));
}

/**
 * Pins the count at `now`, before the target changes. While still scaling out it keeps the time
 * already spent on the next instance, so frequent updates do not stall provisioning.
 */
export function settle(provisioning: Provisioning, target: Target, demand: number, now: number): Provisioning {
  const running = runningAt(provisioning, target, demand, now);
  if (target.desired > provisioning.running && running < target.desired) {
    return { at: provisioning.at + ((running - provisioning.running) * 60_000) / target.ratePerMinute, running };
  }
  return { at: now, running };
}
