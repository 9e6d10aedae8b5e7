import { describe, expect, it, vi } from 'vitest';
import { startFixtureRuntime, testEvent } from '#test/support/fixture-runtime.ts';

/** Every worker thread (Lambda container) started in this file and not yet exited. */
const liveWorkers = vi.hoisted(() => new Set<object>());

vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:worker_threads')>();
  class TrackedWorker extends original.Worker {
    constructor(...args: ConstructorParameters<typeof original.Worker>) {
      super(...args);
      liveWorkers.add(this);
      this.once('exit', () => liveWorkers.delete(this));
    }
  }
  return { ...original, Worker: TrackedWorker };
});

/** Stopping must leave no worker thread behind, or the process (autopilot cloud, vitest) never exits. */
describe('stopping the serverless runtime', () => {
  it('drops an event delivery still in flight, so no container starts after stop and none is left', async () => {
    const { clock, runtime } = await startFixtureRuntime();

    runtime.publish(testEvent('limits.slow'));
    await expect(runtime.stop()).resolves.toBeUndefined();
    await clock.activity.idle();

    expect(liveWorkers.size).toBe(0);
    expect(runtime.snapshot().deliveries).toEqual([]);
  });

  it('ends the container of a handler that is running when stop is called', async () => {
    const { clock, runtime } = await startFixtureRuntime();
    runtime.publish(testEvent('limits.slow'));
    await vi.waitFor(() => expect(liveWorkers.size).toBe(1));

    await expect(runtime.stop()).resolves.toBeUndefined();
    await clock.activity.idle();

    expect(liveWorkers.size).toBe(0);
  });
});
