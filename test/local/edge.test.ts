import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateWorkspacesPoolCommand,
  DescribeWorkspacesPoolsCommand,
  UpdateWorkspacesPoolCommand,
  WorkSpacesClient,
} from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { LOCAL_CREDENTIALS } from '#local/cloud.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

describe('the local cloud edge', () => {
  const local = useLocalCloud();
  const STATE_TABLE = 'euc-autopilot-local-state';

  it('answers its health check with the local time and region', async () => {
    const health = await local.admin.health();
    expect(health).toMatchObject({ ok: true, now: '2026-11-23T06:00:00.000Z', region: 'us-east-1' });
  });

  it('raises the throttling error an injected fault asks for, through the real SDK client', async () => {
    await local.admin.addFault({ operation: 'WorkspacesService.DescribeWorkspacesPools', kind: 'throttle', count: 1 });
    await expect(local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await local.admin.faults()).toEqual([]);
  });

  it('advances the clock on request without sleeping, and lifecycles move with it', async () => {
    // Prepare: a pool is CREATING for 10 minutes of local time.
    const { WorkspacesPool } = await local.clients.workspaces.send(
      new CreateWorkspacesPoolCommand({
        PoolName: 'edge-clock',
        Description: 'Clock test',
        BundleId: 'wsb-0123abcd',
        DirectoryId: 'd-0123456789',
        Capacity: { DesiredUserSessions: 1 },
      }),
    );
    const poolState = async () => {
      const { WorkspacesPools } = await local.clients.workspaces.send(
        new DescribeWorkspacesPoolsCommand({ PoolIds: [WorkspacesPool!.PoolId!] }),
      );
      return WorkspacesPools?.[0]?.State;
    };
    const before = await local.admin.clock();
    expect(await poolState()).toBe('CREATING');
    // Act
    const after = await local.admin.advance(600);
    // Assess
    expect(after.epochMs - before.epochMs).toBe(600_000);
    expect(await poolState()).toBe('RUNNING');
  });

  it('adds the wall-clock latency a latency fault asks for, and no more than it takes', async () => {
    // Prepare
    await local.admin.addFault({ operation: 'DescribeWorkspacesPools', kind: 'latency', latencyMs: 30, count: 1 });
    // Act
    const started = performance.now();
    await local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({}));
    const elapsed = performance.now() - started;
    // Assess
    expect(elapsed).toBeGreaterThanOrEqual(30);
    expect(await local.admin.faults()).toEqual([]);
  });

  it('throttles DynamoDB calls as DynamoDB does, before they reach the table', async () => {
    // Prepare
    const put = (pk: string) =>
      local.clients.dynamodb.send(
        new PutItemCommand({ TableName: STATE_TABLE, Item: { pk: { S: pk }, sk: { S: 'state' } } }),
      );
    await local.admin.addFault({ operation: 'DynamoDB_20120810.PutItem', kind: 'throttle', count: 1 });
    // Act
    const throttled = put('edge#throttled');
    // Assess
    await expect(throttled).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    await expect(throttled).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    const { Item } = await local.clients.dynamodb.send(
      new GetItemCommand({ TableName: STATE_TABLE, Key: { pk: { S: 'edge#throttled' }, sk: { S: 'state' } } }),
    );
    expect(Item).toBeUndefined();
    expect(await local.admin.faults()).toEqual([]);
  });

  it('applies a fault for every operation (*) to DynamoDB too', async () => {
    await local.admin.addFault({ operation: '*', kind: 'server-error', status: 503, count: 1 });
    await expect(
      local.clients.dynamodb.send(new GetItemCommand({ TableName: STATE_TABLE, Key: { pk: { S: 'x' }, sk: { S: 'y' } } })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    expect(await local.admin.faults()).toEqual([]);
  });

  it("lets the DynamoDB client's own retries ride out throttling, which it classifies as such", async () => {
    // Prepare
    await local.admin.addFault({ operation: 'DynamoDB_20120810.PutItem', kind: 'throttle', count: 2 });
    const retrying = new DynamoDBClient({
      endpoint: local.cloud.url,
      region: local.cloud.region,
      credentials: LOCAL_CREDENTIALS,
      retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
    });
    // Act
    const answer = await retrying.send(
      new PutItemCommand({ TableName: STATE_TABLE, Item: { pk: { S: 'edge#retried' }, sk: { S: 'state' } } }),
    );
    // Assess
    expect(answer.$metadata.attempts).toBe(3);
  });

  it('answers an injected server error with its status, for a share of calls when asked', async () => {
    await local.admin.addFault({ operation: 'DescribeWorkspacesPools', kind: 'server-error', status: 503, count: 1 });
    await expect(local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({}))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 503 },
    });
    await local.admin.addFault({ operation: 'WorkspacesService.*', kind: 'throttle', probability: 0.5 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, () => local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({}))),
    );
    await local.admin.clearFaults();
    const throttled = outcomes.filter((outcome) => outcome.status === 'rejected').length;
    expect(throttled).toBeGreaterThan(5);
    expect(throttled).toBeLessThan(35);
  });

  it("lets the SDK's own retries ride out a short burst of throttling", async () => {
    await local.admin.addFault({ operation: 'DescribeWorkspacesPools', kind: 'throttle', count: 2 });
    // The SDK's own classification of the error decides the retry; its wall-clock backoff is zeroed.
    const retrying = new WorkSpacesClient({
      endpoint: local.cloud.url,
      region: local.cloud.region,
      credentials: LOCAL_CREDENTIALS,
      retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
    });
    const answer = await retrying.send(new DescribeWorkspacesPoolsCommand({}));
    expect(answer.$metadata.attempts).toBe(3);
  });

  it('keeps the request parameters of a throttled call in CloudTrail, as CloudTrail does', async () => {
    // Prepare
    await local.admin.clearCloudTrail();
    await local.admin.addFault({ operation: 'UpdateWorkspacesPool', kind: 'throttle', count: 1 });
    // Act
    await expect(
      local.clients.workspaces.send(
        new UpdateWorkspacesPoolCommand({ PoolId: 'wspool-throttle1', Capacity: { DesiredUserSessions: 5 } }),
      ),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    // Assess
    const [event] = await local.admin.cloudTrail();
    expect(event?.detail).toMatchObject({
      eventName: 'UpdateWorkspacesPool',
      errorCode: 'ThrottlingException',
      requestParameters: { poolId: 'wspool-throttle1', capacity: { desiredUserSessions: 5 } },
      responseElements: null,
    });
  });

  it('records failed mutating calls in CloudTrail with the error code and the caller', async () => {
    await local.admin.clearCloudTrail();
    await expect(
      local.clients.workspaces.send(new UpdateWorkspacesPoolCommand({ PoolId: 'wspool-missing01' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const [event] = await local.admin.cloudTrail();
    expect(event).toMatchObject({
      source: 'aws.workspaces',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: {
        eventName: 'UpdateWorkspacesPool',
        errorCode: 'ResourceNotFoundException',
        requestParameters: { poolId: 'wspool-missing01' },
        responseElements: null,
        userIdentity: { type: 'IAMUser', userName: 'AKIALOCALOPERATOR' },
      },
    });
  });
});
