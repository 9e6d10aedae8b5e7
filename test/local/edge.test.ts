import { DescribeWorkspacesPoolsCommand, UpdateWorkspacesPoolCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { LOCAL_CREDENTIALS } from '#local/cloud.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

describe('the local cloud edge', () => {
  const local = useLocalCloud();

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

  it('advances the clock on request without sleeping', async () => {
    const before = await local.admin.clock();
    const after = await local.admin.advance(3600);
    expect(after.epochMs - before.epochMs).toBe(3_600_000);
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
