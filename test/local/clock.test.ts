import { describe, expect, it } from 'vitest';
import { Clock } from '#local/clock.ts';

const START = Date.parse('2026-11-23T06:00:00Z');

describe('the local clock', () => {
  it('fires a timer set for a time already reached without an advance, once', async () => {
    const clock = new Clock(START);
    const fired: number[] = [];

    clock.schedule(START, () => fired.push(1));
    clock.schedule(START - 60_000, () => fired.push(2));
    await clock.activity.idle();
    await clock.advance(0);

    expect(fired).toEqual([1, 2]);
    expect(clock.pending).toBe(0);
    expect(clock.now()).toBe(START);
  });

  it('does not fire a timer for a time already reached that was cancelled at once', async () => {
    const clock = new Clock(START);
    const fired: number[] = [];

    clock.cancel(clock.schedule(START, () => fired.push(1)));
    await clock.activity.idle();

    expect(fired).toEqual([]);
  });

  it('resolves a sleep until a time already reached without an advance', async () => {
    const clock = new Clock(START);

    await expect(clock.sleepUntil(START)).resolves.toBeUndefined();
    await expect(clock.sleepUntil(START - 1)).resolves.toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('rejects a sleep whose signal has already been aborted', async () => {
    const clock = new Clock(START);

    await expect(clock.sleepUntil(START + 1000, AbortSignal.abort(new Error('stopped')))).rejects.toThrow('stopped');
    expect(clock.pending).toBe(0);
  });

  it('still waits for an advance to fire a timer in the future', async () => {
    const clock = new Clock(START);
    const fired: number[] = [];
    clock.schedule(START + 1000, () => fired.push(clock.now()));

    await clock.activity.idle();
    const before = [...fired];
    await clock.advance(1000);

    expect(before).toEqual([]);
    expect(fired).toEqual([START + 1000]);
  });
});
