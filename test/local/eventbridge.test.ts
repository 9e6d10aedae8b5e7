import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeEventBusCommand,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { UpdateWorkspacesPoolCommand } from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '#local/events/bus.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

const WORKFLOW = 'arn:aws:states:us-east-1:123456789012:stateMachine:fixture-local-workflow';

describe('EventBridge on the local cloud', () => {
  const local = useLocalCloud({ serverlessConfigPath: 'test/fixtures/serverless/serverless.yml', schedules: true, cloudTrailDelivery: true });

  async function put(...entries: PutEventsRequestEntry[]) {
    return local.clients.eventbridge.send(new PutEventsCommand({ Entries: entries }));
  }
  async function deliveries(filter: Partial<Delivery> = {}): Promise<Delivery[]> {
    const all = (await local.admin.deliveries()) as Delivery[];
    return all.filter((delivery) =>
      Object.entries(filter).every(([key, value]) => delivery[key as keyof Delivery] === value),
    );
  }
  async function recorded(pk: string) {
    const { Item } = await local.clients.dynamodb.send(
      new GetItemCommand({ TableName: 'fixture-local-records', Key: { pk: { S: pk } } }),
    );
    return Item;
  }

  it('invokes the function of a rule whose pattern matches, and no other', async () => {
    const answer = await put(
      { Source: 'fixture.orders', DetailType: 'Order Placed', Detail: '{"orderId":"o-1"}' },
      { Source: 'fixture.orders', DetailType: 'Order Cancelled', Detail: '{"orderId":"o-2"}' },
    );
    await local.admin.advance(0);

    const [matching, other] = answer.Entries!.map((entry) => entry.EventId!);
    expect(answer.FailedEntryCount).toBe(0);
    expect(await deliveries({ eventId: matching })).toEqual([
      expect.objectContaining({
        rule: 'fixture-local-record-rule-1',
        outcome: 'delivered',
        response: { recorded: matching },
      }),
    ]);
    expect(await recorded(matching!)).toMatchObject({
      source: { S: 'fixture.orders' },
      detailType: { S: 'Order Placed' },
    });
    expect(await deliveries({ eventId: other })).toEqual([]);
  });

  it('routes events put on a custom bus to that bus’s rules only', async () => {
    const onCustom = await put({
      EventBusName: 'fixture-local-domain',
      Source: 'fixture.domain',
      DetailType: 'Anything',
      Detail: '{}',
    });
    const onDefault = await put({ Source: 'fixture.domain', DetailType: 'Anything', Detail: '{}' });
    await local.admin.advance(0);

    expect(await deliveries({ eventId: onCustom.Entries![0]!.EventId })).toEqual([
      expect.objectContaining({
        rule: 'fixture-local-record-rule-2',
        bus: 'fixture-local-domain',
        outcome: 'delivered',
      }),
    ]);
    expect(await deliveries({ eventId: onDefault.Entries![0]!.EventId })).toEqual([]);
  });

  it('answers each entry on its own: missing fields, malformed detail, reserved sources and unknown buses fail alone', async () => {
    const answer = await put(
      { Source: 'fixture.orders', DetailType: 'Order Placed' },
      { Source: 'fixture.orders', DetailType: 'Order Placed', Detail: '[1, 2' },
      { Source: 'aws.workspaces', DetailType: 'AWS API Call via CloudTrail', Detail: '{}' },
      { EventBusName: 'nobody', Source: 'fixture.orders', DetailType: 'Order Placed', Detail: '{}' },
      { Source: 'fixture.orders', DetailType: 'Order Placed', Detail: '{"orderId":"fine"}' },
    );

    expect(answer.FailedEntryCount).toBe(4);
    expect(answer.Entries?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
      'InvalidArgument',
      'MalformedDetail',
      'NotAuthorizedForSourceException',
      'ResourceNotFoundException',
      'ok',
    ]);
  });

  it('starts a state machine execution with the event as input', async () => {
    const answer = await put({
      Source: 'fixture.workflow',
      DetailType: 'Go',
      Detail: '{"orderId":"from-event","skipCheck":true}',
    });
    await local.admin.advance(0);

    const [delivery] = await deliveries({ eventId: answer.Entries![0]!.EventId });
    const { executionArn } = delivery?.response as { executionArn: string };
    const execution = await local.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(delivery).toMatchObject({
      rule: 'fixture-local-workflow-rule-1',
      target: { type: 'stateMachine', arn: WORKFLOW },
    });
    expect(JSON.parse(execution.input!)).toMatchObject({
      source: 'fixture.workflow',
      'detail-type': 'Go',
      detail: { orderId: 'from-event' },
    });
  });

  it('routes the CloudTrail event of a mutating WorkSpaces call to its rule', async () => {
    await local.clients.workspaces
      .send(new UpdateWorkspacesPoolCommand({ PoolId: 'wspool-nowhere01', Capacity: { DesiredUserSessions: 5 } }))
      .catch(() => undefined);
    await local.admin.advance(0);

    const trail = (await local.admin.cloudTrail()).find((event) => event.detail.eventName === 'UpdateWorkspacesPool');
    expect(trail).toBeDefined();
    expect(await deliveries({ eventId: trail!.id })).toEqual([
      expect.objectContaining({
        rule: 'fixture-local-record-rule-4',
        outcome: 'delivered',
        detailType: 'AWS API Call via CloudTrail',
      }),
    ]);
  });

  it('routes the CloudTrail event of an operator stopping a workflow to its rule', async () => {
    const { executionArn } = await local.clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: WORKFLOW,
        name: 'stopped-by-operator',
        input: '{"orderId":"stopped-by-operator"}',
      }),
    );
    await local.clients.sfn.send(new StopExecutionCommand({ executionArn }));
    await local.admin.advance(0);

    const trail = (await local.admin.cloudTrail()).find((event) => event.detail.eventName === 'StopExecution');
    expect(trail?.detail.userIdentity).toMatchObject({ type: 'IAMUser', userName: 'AKIALOCALOPERATOR' });
    expect(await deliveries({ eventId: trail!.id })).toEqual([
      expect.objectContaining({ rule: 'fixture-local-record-rule-3', outcome: 'delivered' }),
    ]);
  });

  it('fires a rate(5 minutes) schedule 12 times an hour on the local clock, with Scheduled Events at the firing times', async () => {
    const before = (await deliveries({ rule: 'fixture-local-tick-schedule-1' })).length;

    await local.admin.advance(3600);

    const fired = (await deliveries({ rule: 'fixture-local-tick-schedule-1' })).slice(before);
    expect(fired).toHaveLength(12);
    const last = fired.at(-1)?.response as { now: string; eventTime: string; rule: string };
    expect(last.rule).toBe('arn:aws:events:us-east-1:123456789012:rule/fixture-local-tick-schedule-1');
    // The handler's clock is the local cloud's: it runs at the time the event was scheduled for.
    expect(last.now.slice(0, 19)).toBe(last.eventTime.slice(0, 19));
    expect(await deliveries({ rule: 'fixture-local-tick-schedule-2' })).toEqual([]);
  });

  it('lists the rules of a bus and describes the buses serverless.yml declares', async () => {
    const { Rules = [] } = await local.clients.eventbridge.send(
      new ListRulesCommand({ EventBusName: 'fixture-local-domain' }),
    );
    const bus = await local.clients.eventbridge.send(new DescribeEventBusCommand({ Name: 'fixture-local-domain' }));

    expect(Rules.map((rule) => [rule.Name, rule.EventPattern])).toEqual([
      ['fixture-local-record-rule-2', '{"source":["fixture.domain"]}'],
    ]);
    expect(bus.Arn).toBe('arn:aws:events:us-east-1:123456789012:event-bus/fixture-local-domain');
  });
});
