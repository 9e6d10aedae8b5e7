import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Clock } from '#local/clock.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { Identities } from '#local/identity.ts';
import type { LambdaLimits } from '#local/lambda/runner.ts';
import { createRuntime } from '#local/runtime.ts';
import type { BusEvent } from '#local/service.ts';
import { Usage } from '#local/usage.ts';

const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/serverless/limits.yml');

/**
 * The serverless runtime alone (no edge) on the `limits.yml` fixture, whose handlers hang, time
 * out or wait: for tests of Lambda's limits and of stopping. The caller stops it.
 */
export async function startFixtureRuntime(lambdaLimits: Partial<LambdaLimits> = {}) {
  const clock = new Clock(Date.parse('2026-11-23T06:00:00Z'));
  const runtime = await createRuntime({
    clock,
    usage: new Usage(),
    region: 'us-east-1',
    accountId: '123456789012',
    identities: new Identities('123456789012'),
    serverlessConfigPath: FIXTURE,
    stage: 'local',
    lambdaLimits,
  });
  // The fixture declares no tables and its handlers call no AWS API: no edge is needed.
  await runtime.start('http://127.0.0.1:9');
  return { clock, runtime };
}

/** An EventBridge event from `source` for the fixture's rules. */
export function testEvent(source: string, detail: Record<string, unknown> = {}): BusEvent {
  return {
    version: '0',
    id: `${source}-${randomUUID()}`,
    'detail-type': 'Test',
    source,
    account: '123456789012',
    time: '2026-11-23T06:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}
