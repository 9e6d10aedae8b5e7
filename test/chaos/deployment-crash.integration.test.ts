import { AssociateWorkspaceApplicationCommand } from '@aws-sdk/client-workspaces';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';

/**
 * The fault campaign's finding: the deployment step killed right after DeployWorkspaceApplications
 * (before its audit write) failed the workflow, leaving the deployment unaudited and unreported.
 * The workflow now retries the step, which finds the deployment under way and records it, once.
 */
describe('a deployment step killed between its call and its audit write', () => {
  const local = useLocalCloud({ echoFunctionLogs: false, cloudTrailDelivery: true, startTime: new Date('2026-11-23T08:00:00Z') });

  it('deploys once, audits the start and the completion, and the workflow succeeds', async () => {
    // Prepare
    const ws = 'ws-crash0001';
    await local.admin.seed({
      workspaces: {
        workspaces: [{ WorkspaceId: ws, DirectoryId: 'd-90670a1b2c', UserName: 'crash', BundleId: 'wsb-0a1b2c3d4', WorkspaceProperties: { OperatingSystemName: 'WINDOWS_11', ComputeTypeName: 'PERFORMANCE', RunningMode: 'ALWAYS_ON' } }],
        applications: [{ ApplicationId: 'wsa-crashapp1', Name: 'Crash App', SupportedOperatingSystemNames: ['WINDOWS_11'], SupportedComputeTypeNames: ['PERFORMANCE'] }],
      },
    });
    local.cloud.faults.crashAfter({ operation: 'DeployWorkspaceApplications', function: 'deploymentStep', count: 1 });

    // Act
    await local.clients.workspaces.send(new AssociateWorkspaceApplicationCommand({ WorkspaceId: ws, ApplicationId: 'wsa-crashapp1' }));
    await local.admin.advance(0);
    await local.admin.advance(30 * 60);

    // Assess
    expect(local.cloud.faults.crashed).toHaveLength(1);
    const deploys = local.cloud.cloudTrail.filter((event) => event.detail.eventName === 'DeployWorkspaceApplications' && !event.detail.errorCode);
    expect(deploys).toHaveLength(1);
    const audit = await queryAudit(DynamoDBDocumentClient.from(local.clients.dynamodb), LOCAL_RESOURCES.auditTable, { target: `workspace/${ws}`, order: 'oldest-first' });
    expect(audit.map((item) => item.kind).filter((kind) => kind.startsWith('deployment-'))).toEqual(['deployment-started', 'deployment-completed']);
    const runs = (local.cloud.snapshot().executions as Array<{ name: string; status: string }>).filter((execution) => execution.name.startsWith(ws));
    expect(runs.map((run) => run.status)).toEqual(['SUCCEEDED']);
  });
});
