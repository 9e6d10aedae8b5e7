import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeWorkspacesPoolsCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { CallCounter } from '#local/activity.ts';
import { LOCAL_CREDENTIALS } from '#local/cloud.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

describe('CallCounter', () => {
  it('counts calls per target, for one caller or for all, until reset', () => {
    // Prepare
    const calls = new CallCounter();
    // Act
    calls.record('WorkspacesService.DescribeWorkspacesPools', 'AKIAONE');
    calls.record('WorkspacesService.DescribeWorkspacesPools', 'AKIATWO');
    calls.record('DynamoDB_20120810.BatchGetItem', 'AKIAONE');
    // Assess
    expect(calls.byOperation()).toEqual({ 'WorkspacesService.DescribeWorkspacesPools': 2, 'DynamoDB_20120810.BatchGetItem': 1 });
    expect(calls.byOperation('AKIATWO')).toEqual({ 'WorkspacesService.DescribeWorkspacesPools': 1 });
    calls.reset();
    expect(calls.byOperation()).toEqual({});
  });
});

describe('the local cloud counting the calls it answers', () => {
  const local = useLocalCloud();

  it('counts emulated and DynamoDB calls by their caller, failed ones included, and nothing of the admin API', async () => {
    // Prepare: a caller of its own, so nothing else on this cloud is counted with it.
    const credentials = { ...LOCAL_CREDENTIALS, accessKeyId: 'AKIACOUNTED' };
    const config = { endpoint: local.cloud.url, region: local.cloud.region, credentials, maxAttempts: 1 };
    local.cloud.calls.reset();
    // Act
    await new WorkSpacesClient(config).send(new DescribeWorkspacesPoolsCommand({}));
    await expect(
      new DynamoDBClient(config).send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } })),
    ).rejects.toThrow();
    await local.admin.health();
    // Assess
    expect(local.cloud.calls.byOperation('AKIACOUNTED')).toEqual({
      'WorkspacesService.DescribeWorkspacesPools': 1,
      'DynamoDB_20120810.GetItem': 1,
    });
  });
});
