import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  AssociateWorkspaceApplicationCommand,
  DescribeWorkspaceAssociationsCommand,
  DescribeWorkspacesCommand,
  DisassociateWorkspaceApplicationCommand,
  StartWorkspacesCommand,
} from '@aws-sdk/client-workspaces';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { holdKey } from '#lib/apps/deployment-hold.ts';
import { deploymentSettings, newDeploymentRequest, type DeploymentRequest } from '#lib/apps/deployment-request.ts';
import type { AuditKind, AuditRecord } from '#lib/audit/entry.ts';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { applicationSettingsSchema } from '#lib/policy/schema.ts';
import { loadEvent } from '#test/support/events.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';

/**
 * The deploy-applications workflow end to end on the local cloud, as serverless.yml wires it:
 * WorkSpaces API calls → CloudTrail event on the default bus → cloudtrail-reactor → Step Functions
 * running statemachines/deploy-applications.asl.yml → deployment-step → WorkSpaces, the audit
 * table, the domain-event bus → notifier → Slack. Time moves only with `local.admin.advance`.
 * Each test has WorkSpaces and applications of its own.
 */
const { auditTable: AUDIT_TABLE, stateTable: STATE_TABLE, deployApplicationsStateMachineArn: STATE_MACHINE_ARN, functions } = LOCAL_RESOURCES;

interface Execution {
  name: string;
  stateMachine: string;
  status: string;
  transitions?: number;
  output?: DeploymentRequest;
}

interface SlackPost {
  payload: { text?: string; blocks?: unknown[] };
}

describe('deploying WorkSpaces applications', () => {
  const local = useLocalCloud({ echoFunctionLogs: false, cloudTrailDelivery: true, startTime: new Date('2026-11-23T08:00:00Z') });
  let documents: DynamoDBDocumentClient;

  beforeAll(() => {
    documents = DynamoDBDocumentClient.from(local.clients.dynamodb);
  });

  beforeEach(async () => {
    await local.admin.clearSlackMessages();
  });

  /** A WorkSpace of its own, AVAILABLE unless said otherwise, and the three applications every test may use. */
  async function seed(workspaceId: string, options: { os?: string; compute?: string; state?: string; runningMode?: string; extra?: Record<string, unknown> } = {}) {
    await local.admin.seed({
      workspaces: {
        workspaces: [
          {
            WorkspaceId: workspaceId,
            DirectoryId: 'd-90670a1b2c',
            UserName: `user-${workspaceId}`,
            BundleId: 'wsb-0a1b2c3d4',
            ...(options.state ? { State: options.state } : {}),
            WorkspaceProperties: {
              OperatingSystemName: options.os ?? 'WINDOWS_11',
              ComputeTypeName: options.compute ?? 'PERFORMANCE',
              RunningMode: options.runningMode ?? 'AUTO_STOP',
            },
          },
        ],
        applications: [
          { ApplicationId: 'wsa-firefox01', Name: 'Firefox', SupportedOperatingSystemNames: ['WINDOWS_11', 'WINDOWS_10'], SupportedComputeTypeNames: ['STANDARD', 'PERFORMANCE'] },
          { ApplicationId: 'wsa-notepad01', Name: 'Notepad++', SupportedOperatingSystemNames: ['WINDOWS_11'], SupportedComputeTypeNames: ['STANDARD', 'PERFORMANCE'] },
          { ApplicationId: 'wsa-linuxonly', Name: 'Linux tools', SupportedOperatingSystemNames: ['AMAZON_LINUX_2'], SupportedComputeTypeNames: ['STANDARD', 'PERFORMANCE'] },
        ],
        ...options.extra,
      },
    });
  }

  async function associate(workspaceId: string, applicationId: string): Promise<void> {
    await local.clients.workspaces.send(new AssociateWorkspaceApplicationCommand({ WorkspaceId: workspaceId, ApplicationId: applicationId }));
    await local.admin.advance(0); // the CloudTrail event reaches the reactor, which starts the workflow
  }

  async function associationStates(workspaceId: string): Promise<Record<string, string | undefined>> {
    const { Associations = [] } = await local.clients.workspaces.send(
      new DescribeWorkspaceAssociationsCommand({ WorkspaceId: workspaceId, AssociatedResourceTypes: ['APPLICATION'] }),
    );
    return Object.fromEntries(Associations.map((a) => [a.AssociatedResourceId!, a.State]));
  }

  async function executionsFor(workspaceId: string): Promise<Execution[]> {
    const all = (await local.admin.executions()) as Execution[];
    return all.filter((e) => e.stateMachine === 'euc-autopilot-local-deploy-applications' && e.name.startsWith(`${workspaceId}-`));
  }

  /** The WorkSpace's history as the workflow wrote it (the reactor's records of the calls themselves left out). */
  async function audit(workspaceId: string): Promise<AuditRecord[]> {
    const records = await queryAudit(documents, AUDIT_TABLE, { target: `workspace/${workspaceId}`, order: 'oldest-first' });
    return records.filter((record) => !record.kind.startsWith('application-'));
  }

  async function kinds(workspaceId: string): Promise<AuditKind[]> {
    return (await audit(workspaceId)).map((record) => record.kind);
  }

  /** Slack posts about the WorkSpace, as text. */
  async function slackAbout(workspaceId: string): Promise<string[]> {
    const posts = (await local.admin.slackMessages()) as SlackPost[];
    return posts.map((post) => JSON.stringify(post.payload)).filter((text) => text.includes(workspaceId));
  }

  async function hold(workspaceId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await documents.send(new GetCommand({ TableName: STATE_TABLE, Key: holdKey(workspaceId) }));
    return Item;
  }

  /** The CloudTrail fixture for an association, made about this WorkSpace and application. */
  function associationEvent(workspaceId: string, applicationId: string, eventId: string) {
    const event = loadEvent<{ id: string; source: string; 'detail-type': string; time: string; detail: Record<string, unknown> & { requestParameters: Record<string, string> } }>(
      'cloudtrail/associate-workspace-application',
    );
    event.id = `${eventId}-envelope`;
    event.detail.eventID = eventId;
    event.detail.requestParameters = { workspaceId, applicationId };
    return event;
  }

  it('installs an associated application with no other action: audited, one Slack summary, 15 transitions for a 15-minute deployment', async () => {
    // Prepare
    const ws = 'ws-happy0001';
    await seed(ws);

    // Act: associate, then let the local clock run past the 10-minute install.
    await associate(ws, 'wsa-firefox01');
    await local.admin.advance(16 * 60);

    // Assess
    expect(await associationStates(ws)).toEqual({ 'wsa-firefox01': 'COMPLETED' });
    const [run, ...others] = await executionsFor(ws);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ status: 'SUCCEEDED' });
    // Advance, Settled, 4 × (Wait, Advance, Settled) — looks at 1, 3, 7 and 15 min — and Finish.
    expect(run!.transitions).toBe(15);
    expect(await kinds(ws)).toEqual(['deployment-started', 'deployment-completed']);
    // Who associated it, as CloudTrail recorded the call.
    const [call] = (await local.admin.cloudTrail()).filter((e) => e.detail.eventName === 'AssociateWorkspaceApplication' && e.detail.requestParameters?.workspaceId === ws);
    const caller = call!.detail.userIdentity.arn!;
    expect((await audit(ws)).map((record) => record.actor)).toEqual([caller, caller]);
    const calls = await queryAudit(documents, AUDIT_TABLE, { target: `workspace/${ws}`, order: 'oldest-first' });
    expect(calls[0]).toMatchObject({ kind: 'application-associated', actor: caller, id: `ct-${call!.detail.eventID}` });
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('Installed Firefox on WorkSpace ws-happy0001');
    expect(slack[0]).toContain(caller);
    expect(await hold(ws)).not.toHaveProperty('execution');
    // Every transition's domain event was valid and published.
    const stepLogs = (await local.admin.logs('euc-autopilot-local-deploymentStep')).map((line) => line.line).join('\n');
    expect(stepLogs).toContain('Step done');
    expect(stepLogs).not.toContain('not published');
  });

  it('removes a disassociated application (the uninstall path)', async () => {
    // Prepare
    const ws = 'ws-uninst01';
    await seed(ws, { extra: { associations: [{ ApplicationId: 'wsa-firefox01', WorkspaceId: ws, State: 'COMPLETED' }] } });

    // Act
    await local.clients.workspaces.send(new DisassociateWorkspaceApplicationCommand({ WorkspaceId: ws, ApplicationId: 'wsa-firefox01' }));
    await local.admin.advance(0);
    await local.admin.advance(8 * 60);

    // Assess
    expect(await associationStates(ws)).toEqual({ 'wsa-firefox01': 'REMOVED' });
    expect(await kinds(ws)).toEqual(['deployment-started', 'deployment-completed']);
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('Removed Firefox from WorkSpace ws-uninst01');
  });

  it('does not deploy an application the WorkSpace cannot run, says why, and does not report it again at every sweep', async () => {
    // Prepare: associated before the WorkSpace moved to Windows Server (AssociateWorkspaceApplication
    // itself refuses an incompatible pair), so the association waits in PENDING_INSTALL.
    const ws = 'ws-incompat1';
    await seed(ws, { os: 'WINDOWS_SERVER_2022', extra: { associations: [{ ApplicationId: 'wsa-notepad01', WorkspaceId: ws, State: 'PENDING_INSTALL' }] } });

    // Act: the association's CloudTrail event arrives; later the sweeper runs, past the grace period.
    await local.admin.publish(associationEvent(ws, 'wsa-notepad01', 'evt-incompat-1'));
    await local.admin.advance(0);
    await local.admin.advance(60 * 60);
    const sweep = await local.admin.invoke<{ parked: string[]; started: unknown[] }>(functions.deploymentSweeper, await scheduledEvent('sweep-incompat'));
    await local.clients.workspaces.send(new StartWorkspacesCommand({ StartWorkspaceRequests: [{ WorkspaceId: ws }] }));
    await local.admin.advance(0);

    // Assess
    expect(await associationStates(ws)).toEqual({ 'wsa-notepad01': 'PENDING_INSTALL' });
    expect(await kinds(ws)).toEqual(['deployment-skipped']);
    expect((await audit(ws))[0]!.reason).toContain('the WorkSpace runs WINDOWS_SERVER_2022; the application supports WINDOWS_11');
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('Skipped Notepad++ on WorkSpace ws-incompat1: not compatible');
    expect(await hold(ws)).toMatchObject({ parked: { applicationIds: ['wsa-notepad01'] } });
    expect(sweep).toMatchObject({ ok: true, payload: { parked: [ws] } });
    expect(await executionsFor(ws)).toHaveLength(1);
    const reactorLogs = (await local.admin.logs(functions.cloudtrailReactor)).map((line) => line.line).join('\n');
    expect(reactorLogs).toContain('"outcome":"parked"');
  });

  it('redeploys with Force after a retryable error and reports the success', async () => {
    // Prepare: the first deployment fails inside AWS.
    const ws = 'ws-retry0001';
    await seed(ws, { extra: { deploymentFailures: [{ ApplicationId: 'wsa-firefox01', WorkspaceId: ws, ErrorCode: 'DeploymentError.InternalServerError', Count: 1 }] } });

    // Act
    await associate(ws, 'wsa-firefox01');
    await local.admin.advance(40 * 60);

    // Assess
    expect(await associationStates(ws)).toEqual({ 'wsa-firefox01': 'COMPLETED' });
    expect(await kinds(ws)).toEqual(['deployment-started', 'deployment-retried', 'deployment-completed']);
    const retried = (await audit(ws))[1]!;
    expect(retried.reason).toContain('with Force (retry 1 of 3)');
    const calls = (await local.admin.cloudTrail()).filter((e) => e.detail.eventName === 'DeployWorkspaceApplications' && e.detail.requestParameters?.workspaceId === ws);
    expect(calls.map((e) => e.detail.requestParameters?.force ?? false)).toEqual([false, true]);
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('Installed Firefox');
  });

  it('reports a final validation error with what to do, without retrying it', async () => {
    // Prepare
    const ws = 'ws-nodisk001';
    await seed(ws, { extra: { deploymentFailures: [{ ApplicationId: 'wsa-firefox01', WorkspaceId: ws, ErrorCode: 'ValidationError.InsufficientDiskSpace', Count: 5 }] } });

    // Act
    await associate(ws, 'wsa-firefox01');
    await local.admin.advance(30 * 60);

    // Assess
    expect(await associationStates(ws)).toEqual({ 'wsa-firefox01': 'ERROR' });
    expect(await kinds(ws)).toEqual(['deployment-started', 'deployment-failed']);
    expect((await audit(ws))[1]!.error).toContain('ValidationError.InsufficientDiskSpace');
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('Could not install Firefox on WorkSpace ws-nodisk001');
    expect(slack[0]).toContain('Free disk space');
    const deploys = (await local.admin.cloudTrail()).filter((e) => e.detail.eventName === 'DeployWorkspaceApplications' && e.detail.requestParameters?.workspaceId === ws);
    expect(deploys).toHaveLength(1);
  });

  it('gives up at the policy timeout and says what was still unsettled', async () => {
    // Prepare: an install that would take three hours.
    const ws = 'ws-slow00001';
    await seed(ws, { extra: { durations: { installSeconds: 3 * 3600 } } });

    // Act
    await associate(ws, 'wsa-firefox01');
    await local.admin.advance(61 * 60);
    await local.admin.seed({ workspaces: { durations: { installSeconds: 600 } } });

    // Assess
    const [run] = await executionsFor(ws);
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { progress: { timedOut: true } } });
    expect(await kinds(ws)).toEqual(['deployment-started', 'deployment-timed-out']);
    expect((await audit(ws))[1]!.error).toContain('wsa-firefox01: still INSTALLING');
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('Timed out deploying Firefox');
  });

  it('starts one workflow for an event delivered twice', async () => {
    // Prepare
    const ws = 'ws-twice0001';
    await seed(ws, { extra: { associations: [{ ApplicationId: 'wsa-firefox01', WorkspaceId: ws, State: 'PENDING_INSTALL' }] } });
    const event = associationEvent(ws, 'wsa-firefox01', 'evt-twice-1');

    // Act: the same event, twice, and again after the first workflow ended.
    await local.admin.publish(event);
    await local.admin.publish(event);
    await local.admin.advance(0);
    await local.admin.advance(16 * 60);
    await local.admin.publish(event);
    await local.admin.advance(0);

    // Assess
    expect(await executionsFor(ws)).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
    expect(await kinds(ws)).toEqual(['deployment-started', 'deployment-completed']);
    expect(await slackAbout(ws)).toHaveLength(1);
    expect(await hold(ws)).not.toHaveProperty('execution');
  });

  it('covers two associations a second apart with one deployment workflow and one summary', async () => {
    // Prepare
    const ws = 'ws-racing001';
    await seed(ws);

    // Act
    await associate(ws, 'wsa-firefox01');
    await local.admin.advance(1);
    await associate(ws, 'wsa-notepad01');
    await local.admin.advance(40 * 60);

    // Assess
    expect(await associationStates(ws)).toEqual({ 'wsa-firefox01': 'COMPLETED', 'wsa-notepad01': 'COMPLETED' });
    expect(await executionsFor(ws)).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('Deployed applications to WorkSpace ws-racing001: 2 installed');
    const reactorLogs = (await local.admin.logs(functions.cloudtrailReactor)).map((line) => line.line).join('\n');
    expect(reactorLogs).toContain('"outcome":"covered"');
  });

  it('starts a STOPPED AutoStop WorkSpace to deploy to it', async () => {
    // Prepare
    const ws = 'ws-stopped01';
    await seed(ws, { state: 'STOPPED' });

    // Act
    await associate(ws, 'wsa-firefox01');
    await local.admin.advance(20 * 60);

    // Assess
    const { Workspaces = [] } = await local.clients.workspaces.send(new DescribeWorkspacesCommand({ WorkspaceIds: [ws] }));
    expect(Workspaces[0]?.State).toBe('AVAILABLE');
    expect(await associationStates(ws)).toEqual({ 'wsa-firefox01': 'COMPLETED' });
    expect(await kinds(ws)).toEqual(['started', 'deployment-started', 'deployment-completed']);
  });

  it('reports a STOPPED WorkSpace instead of starting it when the policy says report', async () => {
    // Prepare: the workflow started directly, with `stoppedWorkspaces: report`.
    const ws = 'ws-report001';
    await seed(ws, { state: 'STOPPED', extra: { associations: [{ ApplicationId: 'wsa-firefox01', WorkspaceId: ws, State: 'PENDING_INSTALL' }] } });
    const now = (await local.admin.clock()).epochMs;
    const settings = deploymentSettings(applicationSettingsSchema.parse({ stoppedWorkspaces: 'report' }));
    const input = newDeploymentRequest(ws, { source: 'sweeper', sweepId: 'direct', at: now }, settings);

    // Act
    await local.clients.sfn.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name: `${ws}-direct`, input: JSON.stringify(input) }));
    await local.admin.advance(0);

    // Assess
    expect(await associationStates(ws)).toEqual({ 'wsa-firefox01': 'PENDING_INSTALL' });
    expect(await kinds(ws)).toEqual(['deployment-skipped']);
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('applications.stoppedWorkspaces: report');
    expect(slack[0]).toContain('found by the deployment sweeper');
  });

  it('reports the applications of a WorkSpace that can take no deployment (ERROR)', async () => {
    // Prepare
    const ws = 'ws-errored01';
    await seed(ws, { state: 'ERROR', extra: { associations: [{ ApplicationId: 'wsa-firefox01', WorkspaceId: ws, State: 'PENDING_INSTALL' }] } });

    // Act
    await local.admin.publish(associationEvent(ws, 'wsa-firefox01', 'evt-errored-1'));
    await local.admin.advance(0);

    // Assess
    expect(await kinds(ws)).toEqual(['deployment-skipped']);
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('Firefox (wsa-firefox01): not deployed: the WorkSpace is ERROR');
    expect(await hold(ws)).toMatchObject({ parked: { applicationIds: ['wsa-firefox01'], workspaceState: 'ERROR' } });
  });

  it('reports a failure inside the workflow instead of ending in silence', async () => {
    // Prepare: DeployWorkspaceApplications answers 500 however often it is tried.
    const ws = 'ws-broken001';
    await seed(ws);
    await local.admin.addFault({ operation: 'DeployWorkspaceApplications', kind: 'server-error' });

    try {
      // Act
      await associate(ws, 'wsa-firefox01');
      await local.admin.advance(5 * 60);
    } finally {
      await local.admin.clearFaults();
    }

    // Assess
    const [run] = await executionsFor(ws);
    expect(run).toMatchObject({ status: 'FAILED' });
    expect(await kinds(ws)).toEqual(['deployment-failed']);
    const slack = await slackAbout(ws);
    expect(slack).toHaveLength(1);
    expect(slack[0]).toContain('Could not install Firefox on WorkSpace ws-broken001');
    expect(await hold(ws)).not.toHaveProperty('execution');
  });

  it('lets the sweeper deploy an association whose CloudTrail event never came, once', async () => {
    // Prepare: pending for an hour, no event.
    const ws = 'ws-swept0001';
    await seed(ws, { extra: { associations: [{ ApplicationId: 'wsa-firefox01', WorkspaceId: ws, State: 'PENDING_INSTALL' }] } });
    await local.admin.advance(60 * 60);

    // Act: two sweeps, the second while the deployment runs.
    type Swept = { started: Array<{ workspaceId: string; outcome: string }> };
    const first = await local.admin.invoke<Swept>(functions.deploymentSweeper, await scheduledEvent('sweep-1'));
    await local.admin.advance(0);
    await local.admin.advance(2 * 60);
    const second = await local.admin.invoke<Swept>(functions.deploymentSweeper, await scheduledEvent('sweep-2'));
    await local.admin.advance(20 * 60);

    // Assess
    expect(first.ok && first.payload.started).toContainEqual(expect.objectContaining({ workspaceId: ws, outcome: 'started' }));
    expect(second.ok && second.payload.started.map((s) => s.workspaceId)).not.toContain(ws);
    expect(await associationStates(ws)).toEqual({ 'wsa-firefox01': 'COMPLETED' });
    expect(await executionsFor(ws)).toHaveLength(1);
    expect((await audit(ws)).map((record) => record.actor)).toEqual(['sweeper', 'sweeper']);
  });

  it('sweeps every page of applications and associations', async () => {
    // Prepare: 30 applications (two pages of DescribeApplications) and 30 WorkSpaces with the
    // last application (two pages of DescribeApplicationAssociations), one of them pending.
    const ws = 'ws-paged0030';
    const applications = Array.from({ length: 30 }, (_, i) => ({
      ApplicationId: `wsa-paged${String(i).padStart(4, '0')}`,
      Name: `Tool ${i}`,
      SupportedOperatingSystemNames: ['WINDOWS_11'],
      SupportedComputeTypeNames: ['PERFORMANCE'],
    }));
    const workspaces = Array.from({ length: 30 }, (_, i) => ({
      WorkspaceId: `ws-paged${String(i + 1).padStart(4, '0')}`,
      DirectoryId: 'd-90670a1b2c',
      UserName: `paged-${i}`,
      BundleId: 'wsb-0a1b2c3d4',
      WorkspaceProperties: { OperatingSystemName: 'WINDOWS_11', ComputeTypeName: 'PERFORMANCE', RunningMode: 'AUTO_STOP' },
    }));
    const associations = workspaces.map((w) => ({ ApplicationId: 'wsa-paged0029', WorkspaceId: w.WorkspaceId, State: w.WorkspaceId === ws ? 'PENDING_INSTALL' : 'COMPLETED' }));
    await local.admin.seed({ workspaces: { workspaces, applications, associations } });
    await local.admin.advance(60 * 60);

    // Act
    const sweep = await local.admin.invoke<{ applications: number; started: Array<{ workspaceId: string }> }>(functions.deploymentSweeper, await scheduledEvent('sweep-paged'));

    // Assess
    expect(sweep.ok && sweep.payload.applications).toBeGreaterThanOrEqual(30);
    expect(sweep.ok && sweep.payload.started.map((s) => s.workspaceId)).toContain(ws);
  });

  it('leaves an association alone within the grace period', async () => {
    // Prepare: associated moments ago; its event is on its way.
    const ws = 'ws-fresh0001';
    await seed(ws, { extra: { associations: [{ ApplicationId: 'wsa-firefox01', WorkspaceId: ws, State: 'PENDING_INSTALL' }] } });

    // Act
    const sweep = await local.admin.invoke<{ started: Array<{ workspaceId: string }> }>(functions.deploymentSweeper, await scheduledEvent('sweep-fresh'));

    // Assess
    expect(sweep.ok && sweep.payload.started.map((s) => s.workspaceId)).not.toContain(ws);
    expect(await executionsFor(ws)).toEqual([]);
  });

  /** The scheduled event EventBridge sends the sweeper, at the local clock's now. */
  async function scheduledEvent(id: string) {
    const { now } = await local.admin.clock();
    return { ...loadEvent<Record<string, unknown>>('scheduled/capacity-tick'), id, time: now };
  }
});
