import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { useLocalCloud } from '#test/support/cloud.ts';

/** The fixture workflow: Record (Lambda) → Pause (Wait 300 s) → Decide (Choice) → Check (lambda:invoke, Retry, Catch). */
const WORKFLOW = 'arn:aws:states:us-east-1:123456789012:stateMachine:fixture-local-workflow';
const ROLE = 'arn:aws:iam::123456789012:role/fixture-sfn';

describe('Step Functions on the local cloud', () => {
  const local = useLocalCloud({ serverlessConfigPath: 'test/fixtures/serverless/serverless.yml', schedules: true });

  async function start(name: string, input: Record<string, unknown>, stateMachineArn = WORKFLOW) {
    const { executionArn } = await local.clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return executionArn!;
  }
  const describeExecution = (executionArn: string) =>
    local.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));

  it('creates the state machines of serverless.yml under their configured names', async () => {
    const machine = await local.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: WORKFLOW }));
    expect(machine).toMatchObject({ name: 'fixture-local-workflow', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(machine.definition!).States.Pause).toEqual({ Type: 'Wait', Seconds: 300, Next: 'Decide' });
  });

  it('parks an execution on its Wait state until the local clock has moved 300 seconds, then completes it', async () => {
    const executionArn = await start('parks-on-wait', { orderId: 'parks-on-wait', skipCheck: true });

    await local.admin.advance(299);
    const waiting = await describeExecution(executionArn);
    await local.admin.advance(1);
    const done = await describeExecution(executionArn);

    expect(waiting.status).toBe('RUNNING');
    expect(done).toMatchObject({ status: 'SUCCEEDED', stopDate: new Date('2026-11-23T06:05:00.000Z') });
    expect(JSON.parse(done.output!)).toEqual({
      orderId: 'parks-on-wait',
      skipCheck: true,
      recorded: { recorded: 'parks-on-wait' },
    });
    const item = await local.clients.dynamodb.send(
      new GetItemCommand({ TableName: 'fixture-local-records', Key: { pk: { S: 'parks-on-wait' } } }),
    );
    expect(item.Item?.at?.S).toBe('2026-11-23T06:00:00.000Z');
  });

  it('returns the same execution for a repeated StartExecution with the same name and input', async () => {
    const first = await local.clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: WORKFLOW,
        name: 'idempotent',
        input: '{"orderId":"idempotent","skipCheck":true}',
      }),
    );
    const again = await local.clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: WORKFLOW,
        name: 'idempotent',
        input: '{"orderId":"idempotent","skipCheck":true}',
      }),
    );
    const different = local.clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn: WORKFLOW, name: 'idempotent', input: '{"orderId":"other"}' }),
    );

    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    await expect(different).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('refuses a name whose execution has closed, as AWS does', async () => {
    await start('closed-name', { orderId: 'closed-name', skipCheck: true });
    await local.admin.advance(300);

    await expect(start('closed-name', { orderId: 'closed-name', skipCheck: true })).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
  });

  it('stops a running execution with the given error and cause and drops its pending wait', async () => {
    const executionArn = await start('to-stop', { orderId: 'to-stop' });
    await local.admin.advance(0);
    const timersBefore = (await local.admin.clock()).pendingTimers;

    await local.clients.sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'not needed any more' }),
    );

    expect(await describeExecution(executionArn)).toMatchObject({
      status: 'ABORTED',
      error: 'Operator',
      cause: 'not needed any more',
    });
    expect((await local.admin.clock()).pendingTimers).toBe(timersBefore - 1);
    const { events = [] } = await local.clients.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }),
    );
    expect(events[0]).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Operator' } });
  });

  it('retries a failing Task after intervals measured on the local clock, then succeeds', async () => {
    const executionArn = await start('retried', { orderId: 'retried', failures: 2 });

    await local.admin.advance(300); // the Wait; Check fails once, retry due in 60 s
    const afterFirstFailure = await describeExecution(executionArn);
    await local.admin.advance(60); // second attempt fails, next in 60 × 2 s
    await local.admin.advance(119);
    const beforeThirdAttempt = await describeExecution(executionArn);
    await local.admin.advance(1);

    expect(afterFirstFailure.status).toBe('RUNNING');
    expect(beforeThirdAttempt.status).toBe('RUNNING');
    const done = await describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).check.result).toEqual({
      ready: true,
      attempt: 3,
      startedAt: done.startDate!.toISOString(),
    });
    const { events = [] } = await local.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const failedAfterSeconds = events
      .filter((event) => event.type === 'TaskFailed')
      .map((event) => (event.timestamp!.getTime() - done.startDate!.getTime()) / 1000);
    expect(failedAfterSeconds).toEqual([300, 360]);
  });

  it('catches the error once the retries are exhausted and fails through the Fail state', async () => {
    const executionArn = await start('gives-up', { orderId: 'gives-up', failures: 9 });

    await local.admin.advance(300 + 60 + 120);

    expect(await describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'CheckFailed',
      cause: 'The order never became ready',
    });
  });

  it('counts state transitions in the history and the snapshot', async () => {
    const executionArn = await start('counted', { orderId: 'counted', skipCheck: true });
    await local.admin.advance(300);

    const { events = [] } = await local.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const entered = events
      .filter((event) => event.type?.endsWith('StateEntered'))
      .map((event) => event.stateEnteredEventDetails?.name);
    const snapshot = (await local.admin.executions()) as Array<{ executionArn: string; transitions: number }>;

    expect(entered).toEqual(['Record', 'Pause', 'Decide', 'Done']);
    expect(events.map((event) => event.type)).toContain('WaitStateExited');
    expect(snapshot.find((execution) => execution.executionArn === executionArn)?.transitions).toBe(4);
  });

  it('lists executions newest first, filtered by status, a page at a time', async () => {
    const { executions: aborted = [] } = await local.clients.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: WORKFLOW, statusFilter: 'ABORTED' }),
    );
    const firstPage = await local.clients.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: WORKFLOW, maxResults: 2 }),
    );
    const secondPage = await local.clients.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: WORKFLOW, maxResults: 2, nextToken: firstPage.nextToken }),
    );

    expect(aborted.map((execution) => execution.name)).toEqual(['to-stop']);
    expect(firstPage.executions?.map((execution) => execution.name)).toEqual(['counted', 'gives-up']);
    expect(secondPage.executions?.map((execution) => execution.name)).toEqual(['retried', 'to-stop']);
  });

  it('runs Parallel branches and Map iterations whose Wait states all park on the local clock', async () => {
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Short', States: { Short: { Type: 'Wait', Seconds: 60, End: true } } },
            {
              StartAt: 'Each',
              States: {
                Each: {
                  Type: 'Map',
                  ItemsPath: '$.delays',
                  ItemProcessor: {
                    StartAt: 'Nap',
                    States: {
                      Nap: { Type: 'Wait', SecondsPath: '$', Next: 'Stamp' },
                      Stamp: {
                        Type: 'Pass',
                        Parameters: { 'waited.$': '$', 'startedAt.$': '$$.Execution.StartTime' },
                        End: true,
                      },
                    },
                  },
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    };
    const { stateMachineArn } = await local.clients.sfn.send(
      new CreateStateMachineCommand({ name: 'branches', definition: JSON.stringify(definition), roleArn: ROLE }),
    );
    const executionArn = await start('branches', { delays: [30, 90] }, stateMachineArn);

    await local.admin.advance(89);
    const waiting = await describeExecution(executionArn);
    await local.admin.advance(1);

    expect(waiting.status).toBe('RUNNING');
    const done = await describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const startedAt = done.startDate!.toISOString();
    expect(JSON.parse(done.output!)).toEqual([
      { delays: [30, 90] },
      [
        { waited: 30, startedAt },
        { waited: 90, startedAt },
      ],
    ]);
  });

  it('finishes a Wait of 0 seconds, a Wait until a past timestamp and a retry after 0 seconds without the clock moving', async () => {
    const definition = {
      StartAt: 'NoWait',
      States: {
        NoWait: { Type: 'Wait', Seconds: 0, Next: 'Past' },
        Past: { Type: 'Wait', Timestamp: '2026-01-01T00:00:00Z', Next: 'Check' },
        Check: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: {
            FunctionName: 'fixture-local-check',
            Payload: { orderId: 'no-wait', failures: 1 },
          },
          Retry: [{ ErrorEquals: ['NotReadyError'], IntervalSeconds: 0, MaxAttempts: 1 }],
          ResultSelector: { 'attempt.$': '$.Payload.attempt' },
          End: true,
        },
      },
    };
    const { stateMachineArn } = await local.clients.sfn.send(
      new CreateStateMachineCommand({ name: 'no-wait', definition: JSON.stringify(definition), roleArn: ROLE }),
    );
    const before = local.cloud.clock.now();

    const executionArn = await start('no-wait', {}, stateMachineArn);
    await local.cloud.clock.activity.idle();

    const done = await describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ attempt: 2 });
    expect(done.stopDate).toEqual(done.startDate);
    expect(local.cloud.clock.now()).toBe(before);
  });

  it('retries each Map iteration after its own interval of local time', async () => {
    const definition = {
      StartAt: 'EachOrder',
      States: {
        EachOrder: {
          Type: 'Map',
          ItemsPath: '$.orders',
          ItemProcessor: {
            StartAt: 'CheckOrder',
            States: {
              CheckOrder: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { FunctionName: 'fixture-local-check', 'Payload.$': '$' },
                Retry: [{ ErrorEquals: ['NotReadyError'], IntervalSeconds: 60, MaxAttempts: 2, BackoffRate: 2 }],
                ResultSelector: { 'attempt.$': '$.Payload.attempt' },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const { stateMachineArn } = await local.clients.sfn.send(
      new CreateStateMachineCommand({ name: 'map-retry', definition: JSON.stringify(definition), roleArn: ROLE }),
    );
    const orders = [
      { orderId: 'map-once', failures: 1 },
      { orderId: 'map-twice', failures: 2 },
    ];

    const executionArn = await start('map-retry', { orders }, stateMachineArn);
    await local.admin.advance(59);
    const beforeFirstRetries = await describeExecution(executionArn);
    await local.admin.advance(1); // both iterations retry at 60 s; map-twice fails again, next in 120 s
    await local.admin.advance(119);
    const beforeLastRetry = await describeExecution(executionArn);
    await local.admin.advance(1);

    expect(beforeFirstRetries.status).toBe('RUNNING');
    expect(beforeLastRetry.status).toBe('RUNNING');
    const done = await describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([{ attempt: 2 }, { attempt: 3 }]);
    const { events = [] } = await local.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const failedAfterSeconds = events
      .filter((event) => event.type === 'TaskFailed')
      .map((event) => (event.timestamp!.getTime() - done.startDate!.getTime()) / 1000);
    expect(failedAfterSeconds).toEqual([0, 0, 60]);
  });

  it('times an execution out after its TimeoutSeconds of local time', async () => {
    const definition = {
      TimeoutSeconds: 120,
      StartAt: 'Long',
      States: { Long: { Type: 'Wait', Seconds: 3600, End: true } },
    };
    const { stateMachineArn } = await local.clients.sfn.send(
      new CreateStateMachineCommand({ name: 'too-slow', definition: JSON.stringify(definition), roleArn: ROLE }),
    );
    const executionArn = await start('too-slow', {}, stateMachineArn);

    await local.admin.advance(120);

    expect(await describeExecution(executionArn)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('refuses an invalid definition with InvalidDefinition', async () => {
    const definition = { StartAt: 'Missing', States: { Present: { Type: 'Pass', End: true } } };

    await expect(
      local.clients.sfn.send(
        new CreateStateMachineCommand({ name: 'broken', definition: JSON.stringify(definition), roleArn: ROLE }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidDefinition' });
  });

  it('answers an unknown execution with ExecutionDoesNotExist', async () => {
    await expect(
      describeExecution(`${WORKFLOW.replace(':stateMachine:', ':execution:')}:nobody`),
    ).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
  });
});
