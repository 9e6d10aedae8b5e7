import { RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeFleetsCommand } from '@aws-sdk/client-appstream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DescribeWorkspacesPoolsCommand, UpdateWorkspacesPoolCommand } from '@aws-sdk/client-workspaces';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditKind, AuditRecord } from '#lib/audit/entry.ts';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { FAILURE_BACKOFF_MS, reconcile, type ReconcileDeps, type TargetOutcome } from '#lib/capacity/reconcile.ts';
import { policyFileSchema, type PolicyFile } from '#lib/policy/schema.ts';
import { evaluateSchedule } from '#lib/schedule/evaluate.ts';
import { emptyState, readStates, writeState, type TargetState } from '#lib/state/target-state.ts';
import { createTargetClients } from '#lib/targets/index.ts';
import { LOCAL_CREDENTIALS } from '#local/cloud.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';
import { fleetSeed, poolSeed } from '#test/targets/support.ts';
import { flushSlackDigests } from '#test/notify/support.ts';

/**
 * The capacity tick's use case, `reconcile()`, called directly against the local cloud with real
 * clients: target listing, native-scaling detection, state claims, the capacity-change workflow,
 * the audit table and Slack (through the notifier) are all the real ones. Each test seeds targets
 * of its own, with ids and names config/policies.yml does not select: should the project's
 * scheduled capacity-tick run on this cloud (it fires on every whole minute the local clock
 * crosses), it leaves them alone. Each test moves the clock to a fresh minute with `setClock`,
 * which fires nothing, and advances past a whole minute only where it says so.
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
}

describe('reconcile on the local cloud', () => {
  const local = useLocalCloud({ echoFunctionLogs: false });
  let deps: ReconcileDeps;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    const { url, region } = local.cloud;
    const connection = { endpoint: url, region, credentials: LOCAL_CREDENTIALS };
    const sfn = new SFNClient(connection);
    const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines.map((machine) => machine.stateMachineArn)).toContain(STATE_MACHINE_ARN);
    documents = DynamoDBDocumentClient.from(new DynamoDBClient(connection), { marshallOptions: { removeUndefinedValues: true } });
    deps = {
      clients: createTargetClients({ endpoint: url, region, credentials: LOCAL_CREDENTIALS, baseDelayMs: 1, maxDelayMs: 5 }),
      documents,
      eventBridge: new EventBridgeClient(connection),
      sfn,
      stateTable: STATE_TABLE,
      auditTable: AUDIT_TABLE,
      eventBus: EVENT_BUS,
      stateMachineArn: STATE_MACHINE_ARN,
      logger: { info: () => undefined, warn: () => undefined },
    };
  });

  /** A policy file of one policy, parsed as the loader parses config/policies.yml (defaults applied). */
  function policyFile(policy: Record<string, unknown>, calendars: Record<string, unknown> = {}): PolicyFile {
    return policyFileSchema.parse({ version: 1, calendars, policies: [{ min: 0, max: 60, ...policy }] });
  }

  /** A policy asking an exact capacity from 06:00 to 20:00 UTC every day. */
  function daytime(name: string, target: Record<string, unknown>, capacity: number, extra: Record<string, unknown> = {}): PolicyFile {
    return policyFile({ name, targets: [target], windows: [{ name: 'daytime', start: '06:00', end: '20:00', capacity }], ...extra });
  }

  /** Moves the local clock to `iso` without firing anything (schedules re-armed from there). */
  async function clockAt(iso: string): Promise<void> {
    await local.admin.setClock(iso);
  }

  /** One tick at the local clock's now; the policy selects exactly one target, whose outcome this is. */
  async function tick(file: PolicyFile, correlationId: string): Promise<TargetOutcome> {
    const outcomes = await reconcile(file, deps, (await local.admin.clock()).epochMs, correlationId);
    expect(outcomes).toHaveLength(1);
    return outcomes[0]!;
  }

  async function audit(target: string, kind?: AuditKind): Promise<AuditRecord[]> {
    const records = await queryAudit(documents, AUDIT_TABLE, { target, order: 'oldest-first' });
    return kind ? records.filter((record) => record.kind === kind) : records;
  }

  async function executionsOf(target: string): Promise<Execution[]> {
    const prefix = `${target.replace('/', '-')}-`;
    return ((await local.admin.executions()) as Execution[]).filter((execution) => execution.name.startsWith(prefix));
  }

  async function slackAbout(...texts: string[]): Promise<string[]> {
    // Capacity events reach Slack in their tick's digest: post the digests as the schedule would.
    await flushSlackDigests(local);
    const messages = (await local.admin.slackMessages()).map((message) => JSON.stringify(message.payload));
    return messages.filter((message) => texts.every((text) => message.includes(text)));
  }

  async function pool(id: string) {
    const { WorkspacesPools = [] } = await local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({ PoolIds: [id] }));
    return WorkspacesPools[0]!;
  }

  /** The state a tick reads for a target never written before: written directly, as a past tick would have left it. */
  async function seedState(target: string, fields: Partial<Omit<TargetState, 'target' | 'version'>>): Promise<void> {
    await writeState(documents, STATE_TABLE, emptyState(target), { usageRecommendations: [], ...fields });
  }

  async function stateOf(target: string): Promise<TargetState> {
    return (await readStates(documents, STATE_TABLE, [target])).get(target)!;
  }

  /** The state table's client, except that the next `times` audit writes fail as an unavailable table would. */
  function failingAuditWrites(times: number): DynamoDBDocumentClient {
    let left = times;
    const send = documents.send.bind(documents) as (command: unknown) => Promise<unknown>;
    const failing = Object.create(documents) as DynamoDBDocumentClient;
    failing.send = (async (command: unknown) => {
      if (command instanceof PutCommand && command.input.TableName === AUDIT_TABLE && left-- > 0) throw new Error('audit table unavailable');
      return send(command);
    }) as DynamoDBDocumentClient['send'];
    return failing;
  }

  /** A pool that is UPDATING for the next 30 s (an operator just edited it). */
  async function updatingPool(id: string, name: string, desired: number): Promise<void> {
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, name, desired, { UpdatingSeconds: 30 })] } });
    await local.clients.workspaces.send(new UpdateWorkspacesPoolCommand({ PoolId: id, Description: 'Edited by an operator' }));
  }

  async function poolUpdates(id: string): Promise<number> {
    const events = await local.admin.cloudTrail();
    return events.filter((event) => event.detail.eventName === 'UpdateWorkspacesPool' && event.detail.requestParameters?.poolId === id).length;
  }

  it('keeps a New York pool at its off-hours value through Thanksgiving business hours', async () => {
    // Prepare: business hours 08:00–18:00 New York on weekdays, ready 30 min early; Thanksgiving off.
    const id = 'wspool-thanks001';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'newyork_helpdesk', 2)] } });
    const calendars = { 'us-holidays': [{ date: '2026-11-26', name: 'Thanksgiving' }] };
    const policy = {
      name: 'newyork-helpdesk',
      targets: [{ kind: 'pool', id }],
      timeZone: 'America/New_York',
      calendars: ['us-holidays'],
      offHours: { capacity: 2 },
      windows: [
        { name: 'business-hours', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '08:00', end: '18:00', capacity: 20, readyBy: { leadMinutes: 30 } },
      ],
    };
    const file = policyFile(policy, calendars);
    // The same instant without the calendar would be business hours: the calendar is what keeps it off.
    const withoutCalendar = policyFile({ ...policy, calendars: [] }, calendars).policies[0]!;
    expect(evaluateSchedule(withoutCalendar, calendars, 'America/New_York', Date.parse('2026-11-26T17:00:00Z')).capacity).toBe(20);

    // Act: the ready-by lead, the opening, midday and the last minute of the day (EST is UTC−5).
    const outcomes: TargetOutcome[] = [];
    for (const time of ['12:30', '13:00', '17:00', '22:59']) {
      await clockAt(`2026-11-26T${time}:00Z`);
      outcomes.push(await tick(file, `tick-thanksgiving-${time.replace(':', '')}`));
    }

    // Assess
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ outcome: 'unchanged', decision: { action: 'none', desired: 2 } });
      expect(outcome.decision?.reason).toContain('calendar us-holidays (Thanksgiving)');
    }
    expect((await pool(id)).CapacityStatus?.DesiredUserSessions).toBe(2);
    expect(await audit(`pool/${id}`)).toEqual([]);
    expect(await executionsOf(`pool/${id}`)).toEqual([]);
  });

  it('leaves a fleet that Application Auto Scaling manages alone, recording the conflict once', async () => {
    // Prepare: a fleet at 2 with a native scalable target; the policy would ask 6.
    await clockAt('2026-11-30T10:00:00Z');
    await local.admin.seed({ appstream: { fleets: [fleetSeed('reporting-apps', 2)] } });
    await local.clients.autoscaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'appstream',
        ResourceId: 'fleet/reporting-apps',
        ScalableDimension: 'appstream:fleet:DesiredCapacity',
        MinCapacity: 1,
        MaxCapacity: 10,
      }),
    );
    const file = daytime('reporting', { kind: 'fleet', id: 'reporting-apps' }, 6);

    // Act: two ticks, 30 s apart.
    const first = await tick(file, 'tick-conflict-1');
    await local.admin.advance(30);
    const second = await tick(file, 'tick-conflict-2');
    await local.admin.advance(0);

    // Assess
    expect([first.outcome, second.outcome]).toEqual(['conflict', 'conflict']);
    const conflicts = await audit('fleet/reporting-apps', 'conflict');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      correlationId: 'tick-conflict-1',
      actor: 'schedule:policy-reporting',
      reason: 'Application Auto Scaling (appstream:fleet:DesiredCapacity) manages fleet reporting-apps; euc-autopilot leaves it alone',
    });
    expect(await audit('fleet/reporting-apps')).toHaveLength(1);
    expect(await slackAbout('reporting-apps')).toHaveLength(1);
    expect(await executionsOf('fleet/reporting-apps')).toEqual([]);
    const { Fleets = [] } = await local.clients.appstream.send(new DescribeFleetsCommand({ Names: ['reporting-apps'] }));
    expect(Fleets[0]?.ComputeCapacityStatus?.Desired).toBe(2);
  });

  it('starts one workflow and applies the change once when two ticks overlap', async () => {
    // Prepare: a pool at 4; the policy asks 12.
    await clockAt('2026-11-30T11:00:00Z');
    const id = 'wspool-overlap01';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'overlap_desktops', 4)] } });
    const file = daytime('overlap', { kind: 'pool', id }, 12);

    // Act: two ticks at the same instant, then let the workflow apply the change.
    const outcomes = await Promise.all([tick(file, 'tick-overlap-a'), tick(file, 'tick-overlap-b')]);
    await local.admin.advance(0);

    // Assess
    const kinds = outcomes.map((outcome) => outcome.outcome).sort();
    expect(kinds).toContain('change-started');
    expect(kinds.filter((kind) => kind !== 'change-started')).toEqual([expect.stringMatching(/^(lost-race|in-flight)$/)]);
    expect(await executionsOf(`pool/${id}`)).toHaveLength(1);
    const changes = await audit(`pool/${id}`, 'capacity-changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ before: 4, after: 12, actor: 'schedule:daytime' });
    expect(await poolUpdates(id)).toBe(1);
    expect((await pool(id)).CapacityStatus?.DesiredUserSessions).toBe(12);
  });

  it('defers a change while the pool is UPDATING, records it once per busy spell, and applies it once RUNNING', async () => {
    // Prepare: a pool at 3 whose updates take 30 s, just updated by an operator; the policy asks 9.
    await clockAt('2026-11-30T12:00:00Z');
    const id = 'wspool-updating1';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'updating_desktops', 3, { UpdatingSeconds: 30 })] } });
    await local.clients.workspaces.send(new UpdateWorkspacesPoolCommand({ PoolId: id, Description: 'Edited by an operator' }));
    expect((await pool(id)).State).toBe('UPDATING');
    const file = daytime('updating', { kind: 'pool', id }, 9);

    // Act: two ticks while UPDATING, then one once it is RUNNING again.
    const first = await tick(file, 'tick-updating-1');
    await local.admin.advance(10);
    const second = await tick(file, 'tick-updating-2');
    await local.admin.advance(25);
    expect((await pool(id)).State).toBe('RUNNING');
    const third = await tick(file, 'tick-updating-3');
    await local.admin.advance(0);

    // Assess
    expect([first.outcome, second.outcome, third.outcome]).toEqual(['deferred', 'deferred', 'change-started']);
    const deferrals = await audit(`pool/${id}`, 'deferred');
    expect(deferrals).toHaveLength(1);
    expect(deferrals[0]).toMatchObject({ correlationId: 'tick-updating-1', before: 3, after: 9 });
    expect(deferrals[0]!.reason).toContain('deferred while the pool is UPDATING');
    expect(await slackAbout('updating_desktops', 'UPDATING')).toHaveLength(1);
    expect(await audit(`pool/${id}`, 'capacity-changed')).toEqual([expect.objectContaining({ before: 3, after: 9 })]);
    expect(await executionsOf(`pool/${id}`)).toHaveLength(1);
    expect((await pool(id)).CapacityStatus?.DesiredUserSessions).toBe(9);

    // Act: the workflow converges and lets go (its looks come 30 s and 90 s after the set: the
    // 30 s update is not over at the first; this crosses a whole minute, on purpose); then the
    // operator edits the pool again while the policy asks 6.
    await local.admin.advance(95);
    expect((await executionsOf(`pool/${id}`))[0]?.status).toBe('SUCCEEDED');
    await local.clients.workspaces.send(new UpdateWorkspacesPoolCommand({ PoolId: id, Description: 'Edited again' }));
    const later = await tick(daytime('updating', { kind: 'pool', id }, 6), 'tick-updating-4');

    // Assess: a new busy spell, recorded again.
    expect(later.outcome).toBe('deferred');
    expect((await audit(`pool/${id}`, 'deferred')).map((record) => record.correlationId)).toEqual(['tick-updating-1', 'tick-updating-4']);
  });

  it('records a dry run once, not every tick, and changes nothing', async () => {
    // Prepare: a pool at 2 under a dry-run policy asking 7.
    await clockAt('2026-11-30T13:00:00Z');
    const id = 'wspool-dryrun001';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'dryrun_desktops', 2)] } });
    const file = daytime('dry', { kind: 'pool', id }, 7, { dryRun: true });

    // Act
    const first = await tick(file, 'tick-dry-1');
    await local.admin.advance(20);
    const second = await tick(file, 'tick-dry-2');
    await local.admin.advance(0);

    // Assess
    expect([first.outcome, second.outcome]).toEqual(['dry-run', 'dry-run']);
    expect(first.decision).toMatchObject({ action: 'set', desired: 7 });
    const records = await audit(`pool/${id}`);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'dry-run', correlationId: 'tick-dry-1', before: 2, after: 7, actor: 'schedule:daytime' });
    expect(records[0]!.reason).toContain('(dry run: nothing changed)');
    expect(await executionsOf(`pool/${id}`)).toEqual([]);
    expect(await poolUpdates(id)).toBe(0);
    expect((await pool(id)).CapacityStatus?.DesiredUserSessions).toBe(2);
  });

  it('rides out throttled DescribeWorkspacesPools calls and still decides', async () => {
    // Prepare: a pool at 2, the policy asks 5, and the next two DescribeWorkspacesPools are throttled.
    await clockAt('2026-11-30T14:00:00Z');
    const id = 'wspool-throttle1';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'throttled_desktops', 2)] } });
    await local.admin.addFault({ operation: 'WorkspacesService.DescribeWorkspacesPools', kind: 'throttle', count: 2 });
    const file = daytime('throttled', { kind: 'pool', id }, 5);

    // Act
    const outcome = await tick(file, 'tick-throttled');

    // Assess: both throttles were answered (and retried), and the tick went on to start the change.
    expect(await local.admin.faults()).toEqual([]);
    expect(outcome).toMatchObject({ outcome: 'change-started', decision: { action: 'set', desired: 5 } });
    expect(await executionsOf(`pool/${id}`)).toHaveLength(1);
  });

  it('reports a change that does not converge in 30 minutes and releases the target', async () => {
    // Prepare: a pool at 5 that brings up half a session a minute; the policy asks 40.
    await clockAt('2026-11-30T15:00:00Z');
    await local.admin.clearSlackMessages();
    const id = 'wspool-slowramp1';
    await local.admin.seed({ workspaces: { pools: [poolSeed(id, 'slow_ramp', 5, { ProvisioningRatePerMinute: 0.5 })] } });
    const file = daytime('slow', { kind: 'pool', id }, 40);

    // Act: start the change, then let the workflow wait past its 30-minute deadline (its looks
    // come at +0.5, +1.5, +3.5, +7.5, +12.5, +17.5, +22.5, +27.5 and +32.5 min).
    const started = await tick(file, 'tick-slow-1');
    await local.admin.advance(33 * 60);
    const next = await tick(file, 'tick-slow-2');

    // Assess
    expect(started.outcome).toBe('change-started');
    const failures = await audit(`pool/${id}`, 'capacity-change-failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error).toMatch(/^pool slow_ramp did not reach 40 in 30 min: \d+ up, \d+ available$/);
    expect(failures[0]!.reason).toContain('did not reach 40 in 30 min');
    expect(await slackAbout('slow_ramp', 'did not reach 40 in 30 min')).toHaveLength(1);
    // The hold would have expired by now anyway (it lasts as long as the deadline): the workflow released it.
    const states = await readStates(documents, STATE_TABLE, [`pool/${id}`]);
    expect(states.get(`pool/${id}`)?.inFlight).toBeUndefined();
    expect(next.outcome).not.toBe('in-flight');
    expect(next.outcome).toBe('unchanged');
  });
  it('records a deferral, a dry run and a conflict on the retry of a tick whose audit writes failed', async () => {
    // Prepare: an UPDATING pool, a dry-run pool and a natively scaled fleet, each due a record.
    await clockAt('2026-12-01T09:00:00Z');
    await updatingPool('wspool-auditdef1', 'audit_deferred', 3);
    await local.admin.seed({ workspaces: { pools: [poolSeed('wspool-auditdry1', 'audit_dry', 2)] }, appstream: { fleets: [fleetSeed('audit-conflict', 2)] } });
    await local.clients.autoscaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'appstream',
        ResourceId: 'fleet/audit-conflict',
        ScalableDimension: 'appstream:fleet:DesiredCapacity',
        MinCapacity: 1,
        MaxCapacity: 10,
      }),
    );
    const window = [{ name: 'daytime', start: '06:00', end: '20:00', capacity: 9 }];
    const file = policyFileSchema.parse({
      version: 1,
      policies: [
        { name: 'audit-deferred', min: 0, max: 60, targets: [{ kind: 'pool', id: 'wspool-auditdef1' }], windows: window },
        { name: 'audit-dry', min: 0, max: 60, dryRun: true, targets: [{ kind: 'pool', id: 'wspool-auditdry1' }], windows: window },
        { name: 'audit-conflict', min: 0, max: 60, targets: [{ kind: 'fleet', id: 'audit-conflict' }], windows: window },
      ],
    });
    const now = (await local.admin.clock()).epochMs;

    // Act: the tick fails on every audit write, then is retried (same correlation id, same time).
    await expect(reconcile(file, { ...deps, documents: failingAuditWrites(3) }, now, 'tick-audit-first')).rejects.toThrow('audit table unavailable');
    const retried = await reconcile(file, deps, now, 'tick-audit-first');

    // Assess
    expect(retried.map(({ target, outcome }) => [target, outcome])).toEqual(
      expect.arrayContaining([
        ['pool/wspool-auditdef1', 'deferred'],
        ['pool/wspool-auditdry1', 'dry-run'],
        ['fleet/audit-conflict', 'conflict'],
      ]),
    );
    expect(await audit('pool/wspool-auditdef1')).toEqual([expect.objectContaining({ kind: 'deferred', correlationId: 'tick-audit-first' })]);
    expect(await audit('pool/wspool-auditdry1')).toEqual([expect.objectContaining({ kind: 'dry-run', correlationId: 'tick-audit-first' })]);
    expect(await audit('fleet/audit-conflict')).toEqual([expect.objectContaining({ kind: 'conflict', correlationId: 'tick-audit-first' })]);
  });

  it('backs off from a change that failed less than 30 minutes ago, and clears the failure for a different change', async () => {
    // Prepare: two pools at 2 whose change to 6 failed, 10 and 31 minutes ago.
    await clockAt('2026-12-01T10:00:00Z');
    const now = (await local.admin.clock()).epochMs;
    const recent = 'wspool-backoff01';
    const old = 'wspool-backoff02';
    await local.admin.seed({ workspaces: { pools: [poolSeed(recent, 'backoff_recent', 2), poolSeed(old, 'backoff_old', 2)] } });
    const failure = (minutesAgo: number) => ({ at: now - minutesAgo * 60_000, desired: 6, reason: 'pool did not reach 6 in 30 min' });
    await seedState(`pool/${recent}`, { lastFailure: failure(10) });
    await seedState(`pool/${old}`, { lastFailure: failure(31) });
    expect(FAILURE_BACKOFF_MS).toBe(30 * 60_000);

    // Act: the same change to each, then a different change to the recent one.
    const same = await tick(daytime('backoff', { kind: 'pool', id: recent }, 6), 'tick-backoff-1');
    const afterBackoff = await tick(daytime('backoff-old', { kind: 'pool', id: old }, 6), 'tick-backoff-2');
    const stateWhileBackingOff = await stateOf(`pool/${recent}`);
    const auditWhileBackingOff = await audit(`pool/${recent}`);
    const executionsWhileBackingOff = await executionsOf(`pool/${recent}`);
    const different = await tick(daytime('backoff', { kind: 'pool', id: recent }, 8), 'tick-backoff-3');

    // Assess
    expect(same).toMatchObject({ outcome: 'backing-off', decision: { action: 'set', desired: 6 } });
    expect(stateWhileBackingOff.lastFailure).toEqual(failure(10));
    expect(auditWhileBackingOff).toEqual([]);
    expect(executionsWhileBackingOff).toEqual([]);
    expect(afterBackoff.outcome).toBe('change-started');
    expect((await stateOf(`pool/${old}`)).lastFailure).toEqual(failure(31));
    expect(different).toMatchObject({ outcome: 'change-started', decision: { desired: 8 } });
    const after = await stateOf(`pool/${recent}`);
    expect(after.lastFailure).toBeUndefined();
    expect(after.inFlight).toMatchObject({ desired: 8 });
    expect(await executionsOf(`pool/${recent}`)).toHaveLength(1);
  });

  describe('stores the usage recommendation on a tick that acts on nothing, keeping its markers', () => {
    const cases: Array<{ path: string; id: string; markers: (now: number) => Partial<TargetState>; dryRun?: boolean; updating?: boolean }> = [
      { path: 'in-flight', id: 'wspool-holdfly01', markers: (now) => ({ inFlight: { execution: 'pool-wspool-holdfly01-held', desired: 6, until: now + 600_000 } }) },
      { path: 'deferred', id: 'wspool-holddef01', updating: true, markers: (now) => ({ deferred: { since: now - 60_000, state: 'UPDATING' } }) },
      { path: 'dry-run', id: 'wspool-holddry01', dryRun: true, markers: () => ({ lastDryRun: { action: 'set', desired: 6 } }) },
      { path: 'backing-off', id: 'wspool-holdoff01', markers: (now) => ({ lastFailure: { at: now - 60_000, desired: 6, reason: 'refused' } }) },
    ];
    it.each(cases)('$path', async ({ path, id, markers, dryRun, updating }) => {
      // Prepare: a pool at 2 under a usage policy (2 free sessions: with none in use, a recommendation of 2) asking 6.
      await clockAt('2026-12-01T11:00:00Z');
      const now = (await local.admin.clock()).epochMs;
      if (updating) await updatingPool(id, `hold_${path}`, 2);
      else await local.admin.seed({ workspaces: { pools: [poolSeed(id, `hold_${path}`, 2)] } });
      const seeded = { ...markers(now), conflict: { since: now - 3_600_000, reason: 'kept as it is' } };
      await seedState(`pool/${id}`, seeded);

      // Act
      const outcome = await tick(daytime(`hold-${path}`, { kind: 'pool', id }, 6, { dryRun: dryRun ?? false, usage: { minFreeSessions: 2 } }), `tick-hold-${path}`);

      // Assess
      expect(outcome.outcome).toBe(path);
      expect(await stateOf(`pool/${id}`)).toEqual({ target: `pool/${id}`, version: 2, usageRecommendations: [{ at: now, value: 2 }], ...seeded });
      expect(await audit(`pool/${id}`)).toEqual([]);
      expect(await executionsOf(`pool/${id}`)).toEqual([]);
    });
  });

  it('goes on with the other targets when one fails, and fails the tick only when all of them do', async () => {
    // Prepare: two pools at 2 under one policy asking 5; Step Functions refuses the next StartExecution.
    await clockAt('2026-12-01T12:00:00Z');
    const ids = ['wspool-isolate01', 'wspool-isolate02'];
    await local.admin.seed({ workspaces: { pools: ids.map((id, i) => poolSeed(id, `isolated_${i}`, 2)) } });
    const file = policyFile({ name: 'isolated', targets: ids.map((id) => ({ kind: 'pool', id })), windows: [{ name: 'daytime', start: '06:00', end: '20:00', capacity: 5 }] });
    const warn = vi.fn();
    const { url, region } = local.cloud;
    const isolated = { ...deps, sfn: new SFNClient({ endpoint: url, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }), logger: { info: () => undefined, warn } };
    await local.admin.addFault({ operation: 'AWSStepFunctions.StartExecution', kind: 'server-error', count: 1 });
    const now = (await local.admin.clock()).epochMs;

    // Act
    const outcomes = await reconcile(file, isolated, now, 'tick-isolated');

    // Assess: one failed (and let go of its claim), the other started its change.
    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['change-started', 'error']);
    const failed = outcomes.find((outcome) => outcome.outcome === 'error')!.target;
    expect(warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ target: failed, policy: 'isolated' }));
    expect((await stateOf(failed)).inFlight).toBeUndefined();
    const started = outcomes.find((outcome) => outcome.outcome === 'change-started')!.target;
    expect(await executionsOf(started)).toHaveLength(1);

    // Act: the failed one again, with Step Functions refusing it again: every target failed.
    await local.admin.addFault({ operation: 'AWSStepFunctions.StartExecution', kind: 'server-error', count: 1 });
    const only = policyFile({ name: 'isolated', targets: [{ kind: 'pool', id: failed.split('/')[1] }], windows: [{ name: 'daytime', start: '06:00', end: '20:00', capacity: 5 }] });
    await expect(reconcile(only, isolated, now, 'tick-isolated-2')).rejects.toThrow();
  });

  it('publishes a dry-run target\'s deferral as a dry run', async () => {
    // Prepare: an UPDATING pool at 3 under a dry-run policy asking 9.
    await clockAt('2026-12-01T13:00:00Z');
    await local.admin.clearSlackMessages();
    await updatingPool('wspool-drydefer1', 'dry_deferred', 3);

    // Act
    const outcome = await tick(daytime('dry-deferred', { kind: 'pool', id: 'wspool-drydefer1' }, 9, { dryRun: true }), 'tick-dry-deferred');
    await local.admin.advance(0);

    // Assess
    expect(outcome.outcome).toBe('deferred');
    expect(await slackAbout('dry_deferred', 'Dry run: Deferred scaling')).toHaveLength(1);
  });
});
