import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { CHANGE_DEADLINE_MS, CHANGE_HOLD_MS, type ChangeRequest } from '#lib/capacity/change-request.ts';
import { LOCAL_CREDENTIALS } from '#local/cloud.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';
import { poolSeed } from '#test/targets/support.ts';

/**
 * The fault campaign's finding: a capacity-change step whose Lambda dies right after its AWS call
 * (before the audit write) left the change applied, unaudited and reported as failed. The workflow
 * now retries the step, which finds the change made and writes its audit item, once.
 */
describe('a capacity-change step killed between its call and its audit write', () => {
  const local = useLocalCloud({ echoFunctionLogs: false });
  let documents: DynamoDBDocumentClient;
  let sfn: SFNClient;

  beforeAll(() => {
    const connection = { endpoint: local.cloud.url, region: local.cloud.region, credentials: LOCAL_CREDENTIALS };
    documents = DynamoDBDocumentClient.from(new DynamoDBClient(connection));
    sfn = new SFNClient(connection);
  });

  /** Holds the pool for the execution as the tick would, and starts the workflow. */
  async function change(id: string, execution: string, operation: ChangeRequest['operation'], before: number, desired: number): Promise<void> {
    const at = local.cloud.clock.now();
    const request: ChangeRequest = {
      target: { kind: 'pool', id, name: id, capacityModel: 'pool-sessions', unit: 'sessions' },
      operation,
      before,
      desired,
      reason: `Test change to ${desired}.`,
      actor: 'schedule:daytime',
      correlationId: `test-${execution}`,
      requestedAt: at,
      deadline: at + CHANGE_DEADLINE_MS,
      stateVersion: 1,
      observed: { waitSeconds: 60 },
    };
    await documents.send(new PutCommand({ TableName: LOCAL_RESOURCES.stateTable, Item: { pk: `pool/${id}`, sk: 'state', version: 1, usageRecommendations: [], inFlight: { execution, desired, until: at + CHANGE_HOLD_MS } } }));
    await sfn.send(new StartExecutionCommand({ stateMachineArn: LOCAL_RESOURCES.capacityChangeStateMachineArn, name: execution, input: JSON.stringify(request) }));
  }

  const callsOf = (operation: string, id: string) => local.cloud.cloudTrail.filter((event) => event.detail.eventName === operation && event.detail.requestParameters?.poolId === id && !event.detail.errorCode);
  const statusOf = (name: string) => (local.cloud.snapshot().executions as Array<{ name: string; status: string }>).find((execution) => execution.name === name)?.status;

  it('sets the capacity once and audits it once', async () => {
    // Prepare
    const id = 'wspool-crash0001';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'crash_set', 4)] } });
    local.cloud.faults.crashAfter({ operation: 'UpdateWorkspacesPool', function: 'capacityChangeStep', count: 1 });

    // Act
    await change(id, 'crash-set-1', 'set', 4, 10);
    await local.admin.advance(0);
    await local.admin.advance(30 * 60);

    // Assess
    expect(local.cloud.faults.crashed).toHaveLength(1);
    expect(callsOf('UpdateWorkspacesPool', id)).toHaveLength(1);
    const audit = await queryAudit(documents, LOCAL_RESOURCES.auditTable, { target: `pool/${id}` });
    expect(audit.map((item) => [item.kind, item.after])).toEqual([['capacity-changed', 10]]);
    expect(statusOf('crash-set-1')).toBe('SUCCEEDED');
  });

  it('stops a pool once and audits it once', async () => {
    const id = 'wspool-crash0002';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'crash_stop', 4)] } });
    await local.admin.advance(3600);
    local.cloud.faults.crashAfter({ operation: 'StopWorkspacesPool', function: 'capacityChangeStep', count: 1 });

    await change(id, 'crash-stop-1', 'stop', 4, 0);
    await local.admin.advance(0);
    await local.admin.advance(60);

    expect(callsOf('StopWorkspacesPool', id)).toHaveLength(1);
    const audit = await queryAudit(documents, LOCAL_RESOURCES.auditTable, { target: `pool/${id}` });
    expect(audit.map((item) => item.kind)).toEqual(['stopped']);
    expect(statusOf('crash-stop-1')).toBe('SUCCEEDED');
  });
});
