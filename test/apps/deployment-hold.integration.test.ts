import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { abandonClaim, claimDeployment, holdKey, isHeld, readDeploymentHolds, releaseDeployment } from '#lib/apps/deployment-hold.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';

/** The per-WorkSpace hold on the state table (dynalite), with the conditional writes DynamoDB runs. */
describe('the deployment hold', () => {
  const local = useLocalCloud({ echoFunctionLogs: false });
  const table = LOCAL_RESOURCES.stateTable;
  const T0 = Date.parse('2026-11-23T09:00:00Z');
  let documents: DynamoDBDocumentClient;

  beforeAll(() => {
    documents = DynamoDBDocumentClient.from(local.clients.dynamodb);
  });

  it('lets one execution hold a WorkSpace, the same one claim again, and another only after it expired', async () => {
    const workspaceId = 'ws-hold00001';
    expect(await claimDeployment(documents, table, { workspaceId, execution: 'a', now: T0, until: T0 + 60_000 })).toBe(true);
    expect(await claimDeployment(documents, table, { workspaceId, execution: 'a', now: T0 + 1_000, until: T0 + 60_000 })).toBe(true);
    expect(await claimDeployment(documents, table, { workspaceId, execution: 'b', now: T0 + 2_000, until: T0 + 60_000 })).toBe(false);
    expect(await claimDeployment(documents, table, { workspaceId, execution: 'b', now: T0 + 61_000, until: T0 + 120_000 })).toBe(true);
    const holds = await readDeploymentHolds(documents, table, [workspaceId, 'ws-neverheld1']);
    expect([...holds.keys()]).toEqual([workspaceId]);
    expect(holds.get(workspaceId)).toMatchObject({ execution: 'b', until: T0 + 120_000 });
    expect(isHeld(holds.get(workspaceId), T0 + 100_000)).toBe(true);
    expect(isHeld(holds.get(workspaceId), T0 + 120_001)).toBe(false);
  });

  it('releases only its own hold, recording what it parked; an abandoned claim keeps what was parked before', async () => {
    const workspaceId = 'ws-hold00002';
    await claimDeployment(documents, table, { workspaceId, execution: 'first', now: T0, until: T0 + 60_000 });
    expect(await releaseDeployment(documents, table, { workspaceId, execution: 'other', now: T0 })).toBe(false);
    const parked = { at: T0, applicationIds: ['wsa-notepad01'] };
    expect(await releaseDeployment(documents, table, { workspaceId, execution: 'first', now: T0, parked })).toBe(true);

    await claimDeployment(documents, table, { workspaceId, execution: 'second', now: T0 + 1_000, until: T0 + 60_000 });
    expect(await abandonClaim(documents, table, { workspaceId, execution: 'second' })).toBe(true);
    const { Item } = await documents.send(new GetCommand({ TableName: table, Key: holdKey(workspaceId) }));
    expect(Item).toMatchObject({ parked });
    expect(Item).not.toHaveProperty('execution');

    await claimDeployment(documents, table, { workspaceId, execution: 'third', now: T0 + 2_000, until: T0 + 60_000 });
    await releaseDeployment(documents, table, { workspaceId, execution: 'third', now: T0 + 3_000 });
    const { Item: cleared } = await documents.send(new GetCommand({ TableName: table, Key: holdKey(workspaceId) }));
    expect(cleared).not.toHaveProperty('parked');
  });
});
