import { AssociateWorkspaceApplicationCommand } from '@aws-sdk/client-workspaces';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';

/**
 * The fault campaign's findings: the deployment step killed right after its AWS call (before its
 * audit write) left the call unaudited. After DeployWorkspaceApplications it failed the workflow,
 * unreported; after StartWorkspaces the retried step waited for the WorkSpace and deployed, but
 * the WorkSpace's `started` item was never written. The workflow now retries the step, which finds
 * the deployment under way or the WorkSpace starting and records it, once.
 */
describe('a deployment step killed between its call and its audit write', () => {
  const local = useLocalCloud({ echoFunctionLogs: false, cloudTrailDelivery: true, startTime: new Date('2026-11-23T08:00:00Z') });

  /** A WorkSpace taking one application, the step killed after `operation`; associates it and lets the workflow run. */
  async function deployAfterCrash(ws: string, runningMode: 'ALWAYS_ON' | 'AUTO_STOP', operation: string) {
    await local.admin.seed({
      workspaces: {
        workspaces: [{ WorkspaceId: ws, DirectoryId: 'd-90670a1b2c', UserName: ws, BundleId: 'wsb-0a1b2c3d4', ...(runningMode === 'AUTO_STOP' ? { State: 'STOPPED' } : {}), WorkspaceProperties: { OperatingSystemName: 'WINDOWS_11', ComputeTypeName: 'PERFORMANCE', RunningMode: runningMode } }],
        applications: [{ ApplicationId: 'wsa-crashapp1', Name: 'Crash App', SupportedOperatingSystemNames: ['WINDOWS_11'], SupportedComputeTypeNames: ['PERFORMANCE'] }],
      },
    });
    local.cloud.faults.crashAfter({ operation, function: 'deploymentStep', count: 1 });

    await local.clients.workspaces.send(new AssociateWorkspaceApplicationCommand({ WorkspaceId: ws, ApplicationId: 'wsa-crashapp1' }));
    await local.admin.advance(0);
    await local.admin.advance(30 * 60);

    const calls = (name: string) => local.cloud.cloudTrail.filter((event) => event.detail.eventName === name && event.detail.requestParameters && JSON.stringify(event.detail.requestParameters).includes(ws) && !event.detail.errorCode);
    const audit = await queryAudit(DynamoDBDocumentClient.from(local.clients.dynamodb), LOCAL_RESOURCES.auditTable, { target: `workspace/${ws}`, order: 'oldest-first' });
    const runs = (local.cloud.snapshot().executions as Array<{ name: string; status: string }>).filter((execution) => execution.name.startsWith(ws));
    const crashes = local.cloud.faults.crashed.filter((crash) => crash.operation === operation);
    return { crashes, calls, audit, runs: runs.map((run) => run.status) };
  }

  it('deploys once, audits the start and the completion, and the workflow succeeds', async () => {
    const { crashes, calls, audit, runs } = await deployAfterCrash('ws-crash0001', 'ALWAYS_ON', 'DeployWorkspaceApplications');

    expect(crashes).toHaveLength(1);
    expect(calls('DeployWorkspaceApplications')).toHaveLength(1);
    expect(audit.map((item) => item.kind).filter((kind) => kind.startsWith('deployment-'))).toEqual(['deployment-started', 'deployment-completed']);
    expect(runs).toEqual(['SUCCEEDED']);
  });

  it('starts a STOPPED WorkSpace once, audits it once, then deploys', async () => {
    const { crashes, calls, audit, runs } = await deployAfterCrash('ws-crash0002', 'AUTO_STOP', 'StartWorkspaces');

    expect(crashes).toHaveLength(1);
    expect(calls('StartWorkspaces')).toHaveLength(1);
    expect(calls('DeployWorkspaceApplications')).toHaveLength(1);
    expect(audit.map((item) => item.kind).filter((kind) => kind === 'started' || kind.startsWith('deployment-'))).toEqual(['started', 'deployment-started', 'deployment-completed']);
    expect(audit.find((item) => item.kind === 'started')?.reason).toBe('Started WorkSpace ws-crash0002 (STOPPED, AutoStop) to deploy Crash App (wsa-crashapp1) (found STARTING before its start call was recorded)');
    expect(runs).toEqual(['SUCCEEDED']);
  });
});
