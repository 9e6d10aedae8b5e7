import type { Clock } from './clock.ts';
import { messageOf } from './errors.ts';

/**
 * Drives the local clock from the wall clock, `speed` times as fast, for a local cloud people poke
 * by hand (`autopilot cloud`): pools finish CREATING and schedules fire without anyone posting to
 * /_local/clock. Each step aims at wall-derived time, so a slow step is caught up, never queued.
 * Admin clock moves still work; the next step simply continues from wherever the clock is.
 */
export function driveInRealtime(clock: Clock, options: { speed?: number; stepMs?: number } = {}): () => void {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  let lastWall = Date.now();
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    const wall = Date.now();
    const target = clock.now() + (wall - lastWall) * speed;
    lastWall = wall;
    running = clock
      .advanceTo(target)
      .catch((error: unknown) => {
        process.stderr.write(`local clock: ${messageOf(error)}\n`);
      })
      .finally(() => (running = undefined));
  }, options.stepMs ?? 250);
  return () => clearInterval(timer);
}
