import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Clock } from '#local/clock.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { Identities } from '#local/identity.ts';
import { createRuntime } from '#local/runtime.ts';
import type { BusEvent } from '#local/service.ts';
import { Usage } from '#local/usage.ts';

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

const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/serverless/limits.yml');

async function startRuntime() {
  const clock = new Clock(Date.parse('2026-11-23T06:00:00Z'));
  const runtime = await createRuntime({
    clock,
    usage: new Usage(),
    region: 'us-east-1',
    accountId: '123456789012',
    identities: new Identities('123456789012'),
    serverlessConfigPath: FIXTURE,
    stage: 'local',
  });
  // The fixture declares no tables and its handlers call no AWS API: no edge is needed.
  await runtime.start('http://127.0.0.1:9');
  return { clock, runtime };
}

function event(source: string, detail: Record<string, unknown> = {}): BusEvent {
  return {
    version: '0',
    id: `${source}-event`,
    'detail-type': 'Test',
    source,
    account: '123456789012',
    time: '2026-11-23T06:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** Stopping must leave no worker thread behind, or the process (autopilot cloud, vitest) never exits. */
describe('stopping the serverless runtime', () => {
  it('drops an event delivery still in flight, so no container starts after stop and none is left', async () => {
    const { clock, runtime } = await startRuntime();

    runtime.publish(event('limits.slow'));
    await expect(runtime.stop()).resolves.toBeUndefined();
    await clock.activity.idle();

    expect(liveWorkers.size).toBe(0);
    expect(runtime.snapshot().deliveries).toEqual([]);
  });

  it('ends the container of a handler that is running when stop is called', async () => {
    const { clock, runtime } = await startRuntime();
    runtime.publish(event('limits.slow'));
    await vi.waitFor(() => expect(liveWorkers.size).toBe(1));

    await expect(runtime.stop()).resolves.toBeUndefined();
    await clock.activity.idle();

    expect(liveWorkers.size).toBe(0);
  });
});
