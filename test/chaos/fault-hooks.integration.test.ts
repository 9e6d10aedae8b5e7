import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '#local/events/bus.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

/**
 * The runtime's fault hooks on the fixture service: a function killed right after an AWS call,
 * Lambda's asynchronous retries of the failed delivery, and a scheduled rule firing twice at once.
 */
describe('runtime fault hooks', () => {
  const local = useLocalCloud({ serverlessConfigPath: 'test/fixtures/serverless/serverless.yml', schedules: true, lambdaAsyncRetries: true });
  const WORKFLOW = 'arn:aws:states:us-east-1:123456789012:stateMachine:fixture-local-workflow';

  const deliveriesOf = async (rule: string) => ((await local.admin.deliveries()) as Delivery[]).filter((delivery) => delivery.rule.includes(rule));

  it('kills the function after its call is applied, and Lambda retries the event a minute later', async () => {
    // Prepare: the starter dies right after its first StartExecution returns.
    local.cloud.faults.crashAfter({ operation: 'StartExecution', function: 'starter', count: 1 });

    // Act
    await local.clients.eventbridge.send(new PutEventsCommand({ Entries: [{ Source: 'fixture.requests', DetailType: 'Request', Detail: JSON.stringify({ requestId: 'r1' }) }] }));
    await local.admin.advance(0);
    const [first] = await deliveriesOf('starter');
    await local.admin.advance(60);

    // Assess: the call was applied (the execution exists), the handler never answered, the retry did.
    expect(first).toMatchObject({ outcome: 'failed', attempt: 0, error: { errorType: 'Runtime.ExitError' } });
    expect((await deliveriesOf('starter')).map((delivery) => [delivery.attempt, delivery.outcome])).toEqual([
      [0, 'failed'],
      [1, 'delivered'],
    ]);
    const { executions = [] } = await local.clients.sfn.send(new ListExecutionsCommand({ stateMachineArn: WORKFLOW }));
    expect(executions.filter((execution) => execution.name === 'request-r1')).toHaveLength(1);
  });

  it('fires a scheduled rule twice at once, the copy with its own id, in a second container', async () => {
    local.cloud.overlapSchedule({ rule: 'tick', probability: 1 });
    const before = (await deliveriesOf('tick')).length;

    await local.admin.advance(300);

    const fired = (await deliveriesOf('tick')).slice(before);
    expect(fired).toHaveLength(2);
    expect(fired.every((delivery) => delivery.outcome === 'delivered')).toBe(true);
    expect(fired.filter((delivery) => delivery.overlapping)).toHaveLength(1);
    expect(new Set(fired.map((delivery) => delivery.eventId)).size).toBe(2);
    local.cloud.overlapSchedule(undefined);
  });
});
