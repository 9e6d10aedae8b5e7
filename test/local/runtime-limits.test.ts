import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery } from '#local/events/bus.ts';
import type { LambdaLimits } from '#local/lambda/runner.ts';
import type { Runtime } from '#local/service.ts';
import { startFixtureRuntime, testEvent } from '#test/support/fixture-runtime.ts';

/**
 * Lambda's limits (the init phase, the function's timeout, a Task's TimeoutSeconds) run on the wall
 * clock, because the local clock stands still while handlers run. These tests shrink them, so that
 * each timeout takes milliseconds: `secondMs: 10` makes the fixture's 10 s function timeout 100 ms.
 */
const runtimes: Runtime[] = [];

async function startRuntime(lambdaLimits: Partial<LambdaLimits>) {
  const started = await startFixtureRuntime(lambdaLimits);
  runtimes.push(started.runtime);
  return started;
}

afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
});

describe("Lambda's limits on the local cloud", () => {
  it('fails an invocation whose handler module never finishes loading once the init limit passes, and the clock moves on', async () => {
    const { clock, runtime } = await startRuntime({ initMs: 50 });

    runtime.publish(testEvent('limits.hangs'));
    await clock.advance(0);

    const deliveries = runtime.snapshot().deliveries as Delivery[];
    expect(deliveries).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: 'The handler module did not load within the 0.05 s init limit',
        },
      }),
    ]);
  });

  it('ends an invocation that outlives the function timeout and cold-starts the next one', async () => {
    const { clock, runtime } = await startRuntime({ secondMs: 10 });

    runtime.publish(testEvent('limits.slow', { sleepMs: 60_000 }));
    await clock.advance(0);
    runtime.publish(testEvent('limits.slow'));
    await clock.advance(0);

    const [timedOut, next] = runtime.snapshot().deliveries as Delivery[];
    expect(timedOut?.error).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 10.00 seconds'),
    });
    expect(next?.response).toMatchObject({ invocations: 1 });
  });

  it("fails a Task with States.Timeout once its handler outlives the Task's TimeoutSeconds, for a Catch to route", async () => {
    const { clock, runtime } = await startRuntime({ secondMs: 10 });

    runtime.publish(testEvent('limits.deadline', { sleepMs: 60_000 }));
    await clock.advance(0);

    const [execution] = runtime.snapshot().executions as Array<{ status: string; output: Record<string, unknown> }>;
    expect(execution?.status).toBe('SUCCEEDED');
    expect(execution?.output).toMatchObject({
      quick: { invocations: 1 },
      error: { Error: 'States.Timeout', Cause: 'The Task ran longer than its TimeoutSeconds (2)' },
    });
    expect(execution?.output).not.toHaveProperty('slow');
  });
});
