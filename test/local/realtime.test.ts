import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock } from '#local/clock.ts';
import { driveInRealtime } from '#local/realtime.ts';

describe('the realtime clock driver', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('moves local time with the wall clock, speed times as fast, and fires due timers', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-21T12:00:00Z'));
    const clock = new Clock(Date.parse('2026-11-23T06:00:00Z'));
    const fired: number[] = [];
    clock.schedule(Date.parse('2026-11-23T06:01:00Z'), () => fired.push(clock.now()));
    const stop = driveInRealtime(clock, { speed: 60, stepMs: 250 });

    await vi.advanceTimersByTimeAsync(1000); // one wall second = one local minute
    await vi.waitFor(() => expect(fired).toEqual([Date.parse('2026-11-23T06:01:00Z')]));
    stop();
    expect(clock.now()).toBe(Date.parse('2026-11-23T06:01:00Z'));
  });

  it('refuses a speed that would stop or reverse time', () => {
    expect(() => driveInRealtime(new Clock(0), { speed: 0 })).toThrow(/speed must be a positive number/);
  });
});
