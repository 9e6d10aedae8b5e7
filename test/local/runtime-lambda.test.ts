import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '#local/events/bus.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

/**
 * Functions reached through EventBridge rules, as in AWS; the delivery records what the handler
 * answered. Timeouts are tested with shrunken limits in runtime-limits.test.ts.
 */
describe('Lambda functions on the local cloud', () => {
  const local = useLocalCloud({ serverlessConfigPath: 'test/fixtures/serverless/serverless.yml', schedules: true });

  async function invoke(source: string, detail: Record<string, unknown>): Promise<Delivery> {
    const { Entries = [] } = await local.clients.eventbridge.send(
      new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'Test', Detail: JSON.stringify(detail) }] }),
    );
    await local.admin.advance(0);
    const deliveries = (await local.admin.deliveries()) as Delivery[];
    const delivery = deliveries.find((candidate) => candidate.eventId === Entries[0]?.EventId);
    if (!delivery) throw new Error(`no delivery for the ${source} event`);
    return delivery;
  }

  it("runs the handler with its resolved environment, Lambda's variables and a Lambda context", async () => {
    const { outcome, response } = await invoke('fixture.inspect', {});

    expect(outcome).toBe('delivered');
    expect(response).toMatchObject({
      env: {
        GREETING: 'own-hello',
        STAGE: 'local',
        RETENTION_DAYS: '30',
        RECORDS_TABLE: 'fixture-local-records',
        AWS_REGION: 'us-east-1',
        AWS_LAMBDA_FUNCTION_NAME: 'fixture-local-inspect',
        AWS_ENDPOINT_URL: local.cloud.url,
        AWS_ACCESS_KEY_ID: expect.stringMatching(/^ASIA[0-9A-F]{16}$/),
      },
      context: {
        functionName: 'fixture-local-inspect',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fixture-local-inspect',
        memoryLimitInMB: '512',
        awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        logGroupName: '/aws/lambda/fixture-local-inspect',
        remainingMs: expect.any(Number),
      },
    });
    // The container's Date is the local time the invocation began plus the handler's own run time.
    const now = Date.parse((response as { now: string }).now) - Date.parse('2026-11-23T06:00:00.000Z');
    expect(now).toBeGreaterThanOrEqual(0);
    expect(now).toBeLessThan(1000);
    expect((response as { context: { remainingMs: number } }).context.remainingMs).toBeLessThanOrEqual(1000);
  });

  it('keeps the container warm between invocations', async () => {
    const { response } = await invoke('fixture.inspect', {});

    expect(response).toMatchObject({ invocations: 2 });
  });

  it('reports a thrown error as Lambda does, with errorType and errorMessage', async () => {
    const { outcome, error } = await invoke('fixture.inspect', { fail: 'the pool is busy' });

    expect(outcome).toBe('failed');
    expect(error).toMatchObject({ errorType: 'InspectionError', errorMessage: 'the pool is busy' });
  });

  it("signs the handler's calls with the function's own role, so CloudTrail shows the assumed role", async () => {
    await local.admin.clearCloudTrail();

    const { response } = await invoke('fixture.requests', { requestId: 'r-1' });

    const [trail] = await local.admin.cloudTrail();
    expect(trail?.detail).toMatchObject({
      eventName: 'StartExecution',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/fixture-local-starter-role/fixture-local-starter',
        sessionContext: { sessionIssuer: { userName: 'fixture-local-starter-role' } },
      },
      requestParameters: { name: 'request-r-1' },
    });
    expect(response).toEqual({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:fixture-local-workflow:request-r-1',
    });
  });

  it('lets a repeated event start the same execution again without a second one', async () => {
    const first = await invoke('fixture.requests', { requestId: 'r-2' });
    const repeat = await invoke('fixture.requests', { requestId: 'r-2' });

    const { executions = [] } = await local.clients.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:fixture-local-workflow',
      }),
    );
    expect(repeat.response).toEqual(first.response);
    expect(executions.filter((execution) => execution.name === 'request-r-2')).toHaveLength(1);
  });
});
