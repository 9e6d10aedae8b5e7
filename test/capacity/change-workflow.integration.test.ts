import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DescribeWorkspacesPoolsCommand } from '@aws-sdk/client-workspaces';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditKind, AuditRecord } from '#lib/audit/entry.ts';
import { queryAudit } from '#lib/audit/query-audit.ts';
import {
  ACT_MARGIN_MS,
  CHANGE_DEADLINE_MS,
  CHANGE_HOLD_MS,
  CHANGE_WORKFLOW_TIMEOUT_SECONDS,
  CHANGE_WORKFLOW_WORST_CASE_SECONDS,
  type ChangeRequest,
} from '#lib/capacity/change-request.ts';
import { errorText } from '#lib/aws/caught-error.ts';
import { setStep, type StepDeps } from '#lib/capacity/change-steps.ts';
import { readStates, type TargetState } from '#lib/state/target-state.ts';
import { createTargetClients } from '#lib/targets/index.ts';
import { LOCAL_CREDENTIALS } from '#local/cloud.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';
import { poolSeed } from '#test/targets/support.ts';
import { flushSlackDigests } from '#test/notify/support.ts';

/**
 * The capacity-change workflow on the local cloud, started directly (StartExecution with a
 * ChangeRequest, as the tick starts it) after writing the hold the tick would have written. The
 * step Lambda, Step Functions, the state and audit tables and Slack are the real local ones; time
 * moves only with `local.admin.advance`.
 */
const {
  capacityChangeStateMachineArn: STATE_MACHINE_ARN,
  stateTable: STATE_TABLE,
  auditTable: AUDIT_TABLE,
  eventBus: EVENT_BUS,
} = LOCAL_RESOURCES;

interface Execution {
  name: string;
  status: string;
  error?: string;
  cause?: string;
  output?: ChangeRequest;
}

describe('the capacity-change workflow on the local cloud', () => {
  const local = useLocalCloud({ echoFunctionLogs: false });
  let documents: DynamoDBDocumentClient;
  let sfn: SFNClient;
  let deps: Omit<StepDeps, 'execution' | 'now'>;

  beforeAll(() => {
    const { url, region } = local.cloud;
    const connection = { endpoint: url, region, credentials: LOCAL_CREDENTIALS };
    sfn = new SFNClient(connection);
    documents = DynamoDBDocumentClient.from(new DynamoDBClient(connection), { marshallOptions: { removeUndefinedValues: true } });
    deps = {
      clients: createTargetClients({ endpoint: url, region, credentials: LOCAL_CREDENTIALS, baseDelayMs: 1, maxDelayMs: 5 }),
      documents,
      eventBridge: new EventBridgeClient(connection),
      stateTable: STATE_TABLE,
      auditTable: AUDIT_TABLE,
      eventBus: EVENT_BUS,
      logger: { info: () => undefined, warn: () => undefined },
    };
  });

  async function now(): Promise<number> {
    return (await local.admin.clock()).epochMs;
  }

  /** The request the tick would write for a pool, at the local clock's now. */
  async function request(id: string, name: string, change: Pick<ChangeRequest, 'operation' | 'before' | 'desired'>): Promise<ChangeRequest> {
    const at = await now();
    return {
      target: { kind: 'pool', id, name, capacityModel: 'pool-sessions', unit: 'sessions' },
      ...change,
      reason: `Test change to ${change.desired}.`,
      actor: 'schedule:daytime',
      correlationId: `test-${name}`,
      requestedAt: at,
      deadline: at + CHANGE_DEADLINE_MS,
      stateVersion: 1,
      observed: { waitSeconds: 60 },
    };
  }

  /** The state item the tick writes when it claims a change: held by `execution` until `until`. */
  async function hold(target: string, execution: string, until: number, extra: Partial<TargetState> = {}): Promise<void> {
    await documents.send(
      new PutCommand({
        TableName: STATE_TABLE,
        Item: { pk: target, sk: 'state', version: 1, usageRecommendations: [], inFlight: { execution, desired: 0, until }, ...extra },
      }),
    );
  }

  /** Holds the target for `name` as the tick would (CHANGE_HOLD_MS) and starts the workflow. */
  async function startWorkflow(name: string, input: ChangeRequest, holder = name): Promise<void> {
    await hold(`pool/${input.target.id}`, holder, input.requestedAt + CHANGE_HOLD_MS);
    await sfn.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name, input: JSON.stringify(input) }));
  }

  async function execution(name: string): Promise<Execution> {
    const found = ((await local.admin.executions()) as Execution[]).find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no execution ${name}`);
    return found;
  }

  /** When each visit of a state began (local-clock ms), in order. */
  async function entries(name: string, state: string): Promise<number[]> {
    const executionArn = STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:') + `:${name}`;
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    return events
      .filter((event) => event.type?.endsWith('StateEntered') && event.stateEnteredEventDetails?.name === state)
      .map((event) => event.timestamp!.getTime());
  }

  async function audit(target: string, kind?: AuditKind): Promise<AuditRecord[]> {
    const records = await queryAudit(documents, AUDIT_TABLE, { target, order: 'oldest-first' });
    return kind ? records.filter((record) => record.kind === kind) : records;
  }

  async function state(target: string): Promise<TargetState> {
    return (await readStates(documents, STATE_TABLE, [target])).get(target)!;
  }

  async function calls(operation: string, id: string): Promise<number> {
    const events = await local.admin.cloudTrail();
    return events.filter((event) => event.detail.eventName === operation && event.detail.requestParameters?.poolId === id).length;
  }

  async function desiredOf(id: string): Promise<number | undefined> {
    const { WorkspacesPools = [] } = await local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({ PoolIds: [id] }));
    return WorkspacesPools[0]?.CapacityStatus?.DesiredUserSessions;
  }

  async function slackAbout(text: string): Promise<string[]> {
    // Capacity events reach Slack in their tick's digest: post the digests as the schedule would.
    await flushSlackDigests(local);
    const messages = (await local.admin.slackMessages()).map((message) => JSON.stringify(message.payload));
    return messages.filter((message) => message.includes(text));
  }

  it('sets the capacity once, audits it at the request time, looks 30 s later, then doubling, and releases the target', async () => {
    // Prepare
    await local.admin.setClock('2026-11-30T10:00:00Z');
    const id = 'wspool-wfset0001';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'wf_set', 4, { UpdatingSeconds: 20 })] } });
    const input = await request(id, 'wf_set', { operation: 'set', before: 4, desired: 10 });

    // Act
    await startWorkflow('wf-set-1', input);
    await local.admin.advance(0);
    await local.admin.advance(31);
    await local.admin.advance(60);

    // Assess: the first look came 30 s after the set, the next (the pool converged) 60 s after that.
    const run = await execution('wf-set-1');
    expect(run.status).toBe('SUCCEEDED');
    const [set] = await entries('wf-set-1', 'SetCapacity');
    expect((await entries('wf-set-1', 'ObserveCapacity')).map((at) => (at - set!) / 1000)).toEqual([30, 90]);
    expect(await calls('UpdateWorkspacesPool', id)).toBe(1);
    expect(await desiredOf(id)).toBe(10);
    const changes = await audit(`pool/${id}`);
    expect(changes).toEqual([expect.objectContaining({ kind: 'capacity-changed', before: 4, after: 10, at: input.requestedAt })]);
    expect((await state(`pool/${id}`)).inFlight).toBeUndefined();
  });

  it('writes one audit item for a set step however often it is retried, whatever the time of each attempt', async () => {
    // Prepare
    await local.admin.setClock('2026-11-30T10:10:00Z');
    const id = 'wspool-wfretry01';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'wf_retry', 3)] } });
    const input = await request(id, 'wf_retry', { operation: 'set', before: 3, desired: 5 });
    await hold(`pool/${id}`, 'wf-retry-1', input.requestedAt + CHANGE_HOLD_MS);

    // Act: the step, then its retry a minute later (as after a Lambda error past the audit write).
    await setStep(input, { ...deps, execution: 'wf-retry-1', now: input.requestedAt + 2_000 });
    await local.admin.advance(120); // the pool's update is over
    await setStep(input, { ...deps, execution: 'wf-retry-1', now: input.requestedAt + 122_000 });

    // Assess
    expect(await audit(`pool/${id}`)).toEqual([expect.objectContaining({ kind: 'capacity-changed', at: input.requestedAt })]);
  });

  it('leaves the target alone, quietly, when its hold belongs to a later workflow', async () => {
    // Prepare: the hold expired and a later tick took the target over.
    await local.admin.setClock('2026-11-30T10:20:00Z');
    await local.admin.clearSlackMessages();
    const id = 'wspool-wfhold001';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'wf_hold', 4)] } });
    const input = await request(id, 'wf_hold', { operation: 'set', before: 4, desired: 12 });

    // Act
    await startWorkflow('wf-hold-old', input, 'wf-hold-newer');
    await local.admin.advance(0);

    // Assess
    const run = await execution('wf-hold-old');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output?.skipped).toContain('hold is no longer');
    expect(await calls('UpdateWorkspacesPool', id)).toBe(0);
    expect(await desiredOf(id)).toBe(4);
    expect(await audit(`pool/${id}`)).toEqual([]);
    expect(await slackAbout('wf_hold')).toEqual([]);
    expect((await state(`pool/${id}`)).inFlight?.execution).toBe('wf-hold-newer');
  });

  it('does not act on a hold about to expire', async () => {
    // Prepare: its own hold, but ending in less than the acting margin.
    await local.admin.setClock('2026-11-30T10:25:00Z');
    const id = 'wspool-wfhold002';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'wf_expiring', 4)] } });
    const input = await request(id, 'wf_expiring', { operation: 'set', before: 4, desired: 12 });
    await hold(`pool/${id}`, 'wf-expiring', input.requestedAt + ACT_MARGIN_MS / 2);

    // Act
    await sfn.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name: 'wf-expiring', input: JSON.stringify(input) }));
    await local.admin.advance(0);

    // Assess: nothing changed, nothing reported, and the hold it still had is released.
    expect((await execution('wf-expiring')).status).toBe('SUCCEEDED');
    expect(await calls('UpdateWorkspacesPool', id)).toBe(0);
    expect(await audit(`pool/${id}`)).toEqual([]);
    expect((await state(`pool/${id}`)).inFlight).toBeUndefined();
  });

  it('never scales in below the sessions in use when it sets', async () => {
    // Prepare: a pool at 10 with 6 users connected now; the tick (earlier) asked 2.
    await local.admin.setClock('2026-11-30T10:30:00Z');
    const id = 'wspool-wfscalein';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'wf_scalein', 10, { UpdatingSeconds: 20 })] } });
    await local.admin.setUsage('pool', id, 6);
    const input = await request(id, 'wf_scalein', { operation: 'set', before: 10, desired: 2 });

    // Act
    await startWorkflow('wf-scalein-1', input);
    await local.admin.advance(0);
    await local.admin.advance(31);
    await local.admin.advance(60);

    // Assess
    expect(await desiredOf(id)).toBe(6);
    const [changed] = await audit(`pool/${id}`, 'capacity-changed');
    expect(changed).toMatchObject({ before: 10, after: 6 });
    expect(changed!.reason).toContain('set to 6, not 2: 6 sessions in use');
    expect((await execution('wf-scalein-1')).status).toBe('SUCCEEDED');
  });

  it('does not stop a pool users are connected to, and reports nothing as failed', async () => {
    // Prepare
    await local.admin.setClock('2026-11-30T10:40:00Z');
    await local.admin.clearSlackMessages();
    const id = 'wspool-wfstop001';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'wf_stop', 4, { RunningMode: 'AUTO_STOP' })] } });
    await local.admin.setUsage('pool', id, 2);
    const input = await request(id, 'wf_stop', { operation: 'stop', before: 4, desired: 0 });

    // Act
    await startWorkflow('wf-stop-1', input);
    await local.admin.advance(0);

    // Assess
    const run = await execution('wf-stop-1');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output?.skipped).toBe('pool wf_stop not stopped: 2 sessions in use now');
    expect(await calls('StopWorkspacesPool', id)).toBe(0);
    expect(await audit(`pool/${id}`)).toEqual([]);
    expect(await slackAbout('wf_stop')).toEqual([]);
    const after = await state(`pool/${id}`);
    expect(after.inFlight).toBeUndefined();
    expect(after.lastFailure).toBeUndefined();
  });

  it('looks at a starting pool every minute, then sets it, looking again 30 s later', async () => {
    // Prepare: a stopped pool that takes 150 s to start.
    await local.admin.setClock('2026-11-30T11:00:00Z');
    const id = 'wspool-wfstart01';
    await local.admin.seed({
      workspaces: { pools: [poolSeed(id, 'wf_start', 0, { RunningMode: 'AUTO_STOP', State: 'STOPPED', StartingSeconds: 150 })] },
    });
    const input = await request(id, 'wf_start', { operation: 'start', before: 0, desired: 5 });

    // Act
    await startWorkflow('wf-start-1', input);
    await local.admin.advance(0);
    for (let minute = 0; minute < 5; minute += 1) await local.admin.advance(60);

    // Assess: looks at +60, +120 (STARTING), +180 (RUNNING) s; set at +180; first convergence look 30 s later.
    const start = input.requestedAt;
    expect((await entries('wf-start-1', 'ObserveStart')).map((at) => (at - start) / 1000)).toEqual([60, 120, 180]);
    expect((await entries('wf-start-1', 'SetCapacity')).map((at) => (at - start) / 1000)).toEqual([180]);
    expect((await entries('wf-start-1', 'ObserveCapacity')).map((at) => (at - start) / 1000)[0]).toBe(210);
    const records = await audit(`pool/${id}`);
    expect(records.map((record) => [record.kind, record.at - start])).toEqual([
      ['started', 0],
      ['capacity-changed', 180_000],
    ]);
  });

  it('reports, without changing it, a pool that was RUNNING only after the deadline', async () => {
    // Prepare: a deadline 90 s out; the pool takes 100 s to start.
    await local.admin.setClock('2026-11-30T11:30:00Z');
    const id = 'wspool-wflate001';
    await local.admin.seed({
      workspaces: { pools: [poolSeed(id, 'wf_late', 0, { RunningMode: 'AUTO_STOP', State: 'STOPPED', StartingSeconds: 100 })] },
    });
    const input = { ...(await request(id, 'wf_late', { operation: 'start', before: 0, desired: 5 })) };
    input.deadline = input.requestedAt + 90_000;

    // Act
    await startWorkflow('wf-late-1', input);
    await local.admin.advance(0);
    await local.admin.advance(60);
    await local.admin.advance(60);

    // Assess
    expect((await execution('wf-late-1')).status).toBe('SUCCEEDED');
    expect(await calls('UpdateWorkspacesPool', id)).toBe(0);
    expect(await audit(`pool/${id}`, 'capacity-change-failed')).toHaveLength(1);
    expect((await state(`pool/${id}`)).lastFailure).toMatchObject({ desired: 5 });
  });

  it('reports a failed step as type and message only, and records the failure in the target state', async () => {
    // Prepare: a pool that was deleted after the tick looked.
    await local.admin.setClock('2026-11-30T12:00:00Z');
    await local.admin.clearSlackMessages();
    const id = 'wspool-wfgone001';
    const input = await request(id, 'wf_gone', { operation: 'set', before: 2, desired: 8 });

    // Act
    await startWorkflow('wf-gone-1', input);
    await local.admin.advance(0);

    // Assess
    const run = await execution('wf-gone-1');
    expect(run.status).toBe('FAILED');
    const expected = `TargetGoneError: pool wf_gone (${id}) no longer exists`;
    const [failure] = await audit(`pool/${id}`, 'capacity-change-failed');
    expect(failure!.error).toBe(expected);
    expect(failure!.at).toBe(input.requestedAt);
    const messages = await slackAbout('wf_gone');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(expected);
    expect(messages[0]).not.toMatch(/trace|\bat \//);
    const after = await state(`pool/${id}`);
    expect(after.inFlight).toBeUndefined();
    expect(after.lastFailure).toEqual({ at: expect.any(Number), desired: 8, reason: expected });
  });

  it('retries a throttle the SDK did not ride out, then applies the change once', async () => {
    // Prepare: the step's SDK makes 6 attempts; all 6 of the first step are throttled.
    await local.admin.setClock('2026-11-30T12:30:00Z');
    const id = 'wspool-wfthrot01';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'wf_throttle', 2, { UpdatingSeconds: 20 })] } });
    await local.admin.addFault({ operation: 'WorkspacesService.UpdateWorkspacesPool', kind: 'throttle', count: 6 });
    const input = await request(id, 'wf_throttle', { operation: 'set', before: 2, desired: 7 });

    // Act
    await startWorkflow('wf-throttle-1', input);
    await local.admin.advance(0);
    await local.admin.advance(16);
    await local.admin.advance(31);
    await local.admin.advance(60);

    // Assess
    expect(await local.admin.faults()).toEqual([]);
    expect(await desiredOf(id)).toBe(7);
    expect(await audit(`pool/${id}`, 'capacity-changed')).toHaveLength(1);
    expect((await execution('wf-throttle-1')).status).toBe('SUCCEEDED');
  });
});

describe('the capacity-change workflow timing', () => {
  const definition = parse(readFileSync(new URL('../../statemachines/capacity-change.asl.yml', import.meta.url), 'utf8')) as {
    TimeoutSeconds: number;
    States: Record<string, { Retry?: Array<{ ErrorEquals: string[]; IntervalSeconds: number; BackoffRate: number; MaxAttempts: number }> }>;
  };
  const LAMBDA_TIMEOUT_SECONDS = 30;

  /** The longest a Task can take: every retry at its longest interval, every attempt at the Lambda timeout. */
  function worstTask(state: string): number {
    const retry = definition.States[state]!.Retry ?? [];
    const waits = retry.reduce((sum, r) => sum + r.IntervalSeconds * ((r.BackoffRate ** r.MaxAttempts - 1) / (r.BackoffRate - 1)), 0);
    const attempts = 1 + retry.reduce((sum, r) => sum + r.MaxAttempts, 0);
    return waits + attempts * LAMBDA_TIMEOUT_SECONDS;
  }

  it('times out only above the worst case of its retries and waits, and the hold outlasts the timeout', () => {
    expect(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8')).toMatch(/^ {2}timeout: 30$/m);
    const act = Math.max(worstTask('Start'), worstTask('SetCapacity'), worstTask('Stop'));
    const look = Math.max(worstTask('ObserveStart'), worstTask('ObserveCapacity'));
    const worst = CHANGE_DEADLINE_MS / 1000 + LAMBDA_TIMEOUT_SECONDS + act + 30 + look + worstTask('Finish');
    expect(worst).toBe(CHANGE_WORKFLOW_WORST_CASE_SECONDS);
    expect(definition.TimeoutSeconds).toBe(CHANGE_WORKFLOW_TIMEOUT_SECONDS);
    expect(CHANGE_WORKFLOW_TIMEOUT_SECONDS).toBeGreaterThan(worst);
    // The tick's own run (55 s at most) comes before StartExecution; the acting margin after.
    expect(CHANGE_HOLD_MS).toBeGreaterThanOrEqual((CHANGE_WORKFLOW_TIMEOUT_SECONDS + 55) * 1000 + ACT_MARGIN_MS);
  });

  it('keeps a Lambda error to its type and message', () => {
    const cause = JSON.stringify({ errorType: 'TargetGoneError', errorMessage: 'pool x no longer exists', trace: ['at foo (/var/task/x.js:1:1)'] });
    expect(errorText({ Error: 'TargetGoneError', Cause: cause })).toBe('TargetGoneError: pool x no longer exists');
    expect(errorText({ Error: 'States.Timeout', Cause: 'The Task ran longer' })).toBe('States.Timeout: The Task ran longer');
    expect(errorText({ Error: 'States.Runtime' })).toBe('States.Runtime');
  });
});
