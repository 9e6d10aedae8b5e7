import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEvent } from '#test/support/events.ts';

/**
 * functions/capacity-tick's gate on its input, as a unit: the handler module is imported with the
 * environment serverless.yml gives it (the policy file is the project's own), and with AWS pointed
 * at a port nothing listens on, so any call to AWS would fail the test instead of reaching one.
 */
describe('the capacity-tick handler', () => {
  type Handler = (event: unknown, context: Context) => Promise<{ targets: number; changes: number }>;
  let handler: Handler;
  const context = {
    functionName: 'euc-autopilot-test-capacityTick',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:euc-autopilot-test-capacityTick',
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    logGroupName: '/aws/lambda/euc-autopilot-test-capacityTick',
    logStreamName: '2026/11/23/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 55_000,
  } as unknown as Context;

  beforeAll(async () => {
    const env = {
      POLICY_FILE: 'config/policies.yml',
      STATE_TABLE_NAME: 'euc-autopilot-test-state',
      AUDIT_TABLE_NAME: 'euc-autopilot-test-audit',
      EVENT_BUS_NAME: 'euc-autopilot-test',
      CAPACITY_CHANGE_STATE_MACHINE: 'euc-autopilot-test-capacity-change',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDUNITTEST',
      AWS_SECRET_ACCESS_KEY: 'unit-test-secret',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      POWERTOOLS_SERVICE_NAME: 'euc-autopilot',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    ({ handler } = (await import('#functions/capacity-tick.ts')) as unknown as { handler: Handler });
  });

  afterAll(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('rejects a malformed event without throwing, touching AWS or being retried', async () => {
    // Prepare: what reaches a function that is not a scheduled event (an id is what a tick needs).
    const written: string[] = [];
    const capture = (chunk: unknown) => (written.push(String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const scheduled = loadEvent<Record<string, unknown>>('scheduled/capacity-tick');
    const malformed: unknown[] = [null, 'tick', {}, { ...scheduled, id: '' }, { ...scheduled, id: 42 }];

    // Act
    const answers = [];
    for (const event of malformed) answers.push(await handler(event, context));

    // Assess
    vi.restoreAllMocks();
    expect(answers).toEqual(malformed.map(() => ({ targets: 0, changes: 0 })));
    const rejections = written.filter((line) => line.includes('Rejected an event that is not a scheduled event'));
    expect(rejections).toHaveLength(malformed.length);
  });
});
