import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEvent } from '#test/support/events.ts';

/**
 * functions/cloudtrail-reactor's gate, as a unit: imported with the environment serverless.yml
 * gives it and AWS pointed at a port nothing listens on, so an event that reached AWS would fail
 * the test. What it must not act on, it logs and answers without throwing: nothing is retried.
 */
describe('the cloudtrail-reactor handler', () => {
  type Handler = (event: unknown, context: Context) => Promise<{ event: string; reactions: unknown[] }>;
  let handler: Handler;
  const context = {
    functionName: 'euc-autopilot-test-cloudtrailReactor',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:euc-autopilot-test-cloudtrailReactor',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    getRemainingTimeInMillis: () => 5_000,
  } as unknown as Context;

  beforeAll(async () => {
    const env = {
      POLICY_FILE: 'config/policies.yml',
      STATE_TABLE_NAME: 'euc-autopilot-test-state',
      AUDIT_TABLE_NAME: 'euc-autopilot-test-audit',
      DEPLOY_APPLICATIONS_STATE_MACHINE: 'euc-autopilot-test-deploy-applications',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDUNITTEST',
      AWS_SECRET_ACCESS_KEY: 'unit-test-secret',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      POWERTOOLS_SERVICE_NAME: 'euc-autopilot',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    ({ handler } = (await import('#functions/cloudtrail-reactor.ts')) as unknown as { handler: Handler });
  });

  afterAll(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it.each([
    { name: 'a failed call (errorCode)', event: () => loadEvent('cloudtrail/associate-workspace-application-failed'), answer: 'failed-call', log: 'failed with OperatingSystemNotCompatibleException' },
    { name: 'an event of another service', event: () => ({ ...loadEvent<object>('cloudtrail/associate-workspace-application'), source: 'aws.appstream' }), answer: 'unsupported-event', log: 'aws.appstream' },
    { name: 'a malformed event', event: () => ({ detail: 'nothing' }), answer: 'malformed', log: 'Event ignored' },
    { name: 'the SDK shape instead of CloudTrail', event: () => pascalCase(), answer: 'malformed', log: 'PascalCase key' },
  ])('drops $name with a log line, touching no AWS API', async ({ event, answer, log }) => {
    // Prepare
    const written: string[] = [];
    const capture = (chunk: unknown) => (written.push(String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);

    // Act
    const result = await handler(event(), context);

    // Assess
    vi.restoreAllMocks();
    expect(result).toEqual({ event: answer, reactions: [] });
    expect(written.join('')).toContain(log);
  });

  function pascalCase() {
    const event = loadEvent<{ detail: { requestParameters: unknown } }>('cloudtrail/associate-workspace-application');
    event.detail.requestParameters = { WorkspaceId: 'ws-berlin0002', ApplicationId: 'wsa-visio2024a' };
    return event;
  }
});
