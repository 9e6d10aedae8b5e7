import path from 'node:path';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readSeed } from '../../cli/cloud.ts';
import { failingDeployments, nextChange, span, warningsOf } from '../../cli/status.ts';
import type { AuditEntry, AuditRecord } from '#lib/audit/entry.ts';
import { recordAudit } from '#lib/audit/record-audit.ts';
import type { Override } from '#lib/overrides/override.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';
import { emptyState, writeOverride, type TargetState } from '#lib/state/target-state.ts';
import type { PoolTarget } from '#lib/targets/index.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';
import { useAutopilotCli } from '#test/support/cli.ts';

/** `autopilot status` in-process against a local cloud seeded with the demo account, as an operator runs it. */
describe('autopilot status', () => {
  const local = useLocalCloud();
  const POLICY_FILE = path.join(PROJECT_ROOT, 'config/policies.yml');
  /** Monday 11:00 in Berlin, 05:00 in New York. */
  const AT = '2026-11-23T10:00:00Z';
  const ms = (iso: string) => Date.parse(iso);

  const override: Override = {
    id: 'ovr-townhall',
    kind: 'hold',
    capacity: 55,
    setAt: ms('2026-11-23T09:30:00Z'),
    until: ms('2026-11-23T12:30:00Z'),
    reason: 'Town hall stream',
    setBy: 'principal:olga',
  };

  /** State items as the tick leaves them (pk = target, sk = state). */
  const states: Array<Omit<TargetState, 'target'> & { pk: string; sk: 'state' }> = [
    {
      pk: 'pool/wspool-newyork01',
      sk: 'state',
      version: 3,
      usageRecommendations: [],
      conflict: { since: ms('2026-11-23T08:00:00Z'), reason: 'Application Auto Scaling manages pool newyork_support; euc-autopilot leaves it alone' },
    },
    {
      pk: 'fleet/berlin-office-apps',
      sk: 'state',
      version: 7,
      usageRecommendations: [],
      deferred: { since: ms('2026-11-23T09:20:00Z'), state: 'UPDATING' },
      lastFailure: { at: ms('2026-11-23T09:00:00Z'), desired: 8, reason: 'UpdateFleet refused the change: LimitExceededException' },
    },
    {
      // Markers too young (deferred 10 min) or too old (failed 2.5 h ago) to warn about, and a change in progress.
      pk: 'fleet/newyork-design-tools',
      sk: 'state',
      version: 2,
      usageRecommendations: [],
      deferred: { since: ms('2026-11-23T09:50:00Z'), state: 'STARTING' },
      lastFailure: { at: ms('2026-11-23T07:30:00Z'), desired: 2, reason: 'StartFleet timed out' },
      inFlight: { execution: 'fleet-newyork-design-tools-1a2b3c4d-202611230955', desired: 2, until: ms('2026-11-23T11:10:00Z') },
    },
  ];

  const deployment = (workspace: string, kind: AuditEntry['kind'], at: string, reason: string, error?: string): AuditEntry => ({
    target: `workspace/${workspace}`,
    kind,
    actor: 'arn:aws:sts::123456789012:assumed-role/Operators/alice',
    reason,
    ...(error ? { error } : {}),
    correlationId: `deploy-${workspace}-${at}`,
    at: ms(at),
    id: `exec-${workspace}-${kind}-${at.replace(/[:.]/g, '')}`,
  });
  const audit: AuditEntry[] = [
    // Failed today: needs attention.
    deployment('ws-berlin0002', 'deployment-failed', '2026-11-23T09:50:00Z', 'Could not deploy to WorkSpace ws-berlin0002: Microsoft Visio (wsa-visio2024a)', 'wsa-visio2024a: INSTALL_FAILED: the installer exited with 1603'),
    // Timed out yesterday (UTC), within 24 hours: needs attention.
    deployment('ws-nyc000001', 'deployment-timed-out', '2026-11-22T15:00:00Z', 'Deployment to WorkSpace ws-nyc000001 not settled after 60 min: Microsoft 365 Apps (wsa-office365a)'),
    // Failed last night, then deployed this morning: settled.
    deployment('ws-berlin0001', 'deployment-failed', '2026-11-22T22:00:00Z', 'Could not deploy to WorkSpace ws-berlin0001: Microsoft 365 Apps (wsa-office365a)'),
    deployment('ws-berlin0001', 'deployment-completed', '2026-11-23T06:00:00Z', 'Deployed to WorkSpace ws-berlin0001: Microsoft 365 Apps (wsa-office365a)'),
    // Failed more than 24 hours before --at.
    deployment('ws-berlin0001', 'deployment-failed', '2026-11-22T08:00:00Z', 'Could not deploy to WorkSpace ws-berlin0001: Microsoft Project (wsa-project24a)'),
  ];

  const autopilot = useAutopilotCli(local);

  beforeAll(async () => {
    await local.admin.seed(await readSeed('local/seeds/demo.yml'));
    const documents = DynamoDBDocumentClient.from(local.clients.dynamodb);
    await writeOverride(documents, LOCAL_RESOURCES.stateTable, 'pool/wspool-berlin001', override);
    for (const item of states) await documents.send(new PutCommand({ TableName: LOCAL_RESOURCES.stateTable, Item: item }));
    for (const entry of audit) await recordAudit(documents, LOCAL_RESOURCES.auditTable, entry);
  });

  /** Runs `autopilot status --stage local …` with stdout a pipe, or a TTY of `columns` columns. */
  async function status(args: string[], terminal: { tty?: boolean; columns?: number } = {}) {
    const { code, stdout, stderr } = await autopilot(['status', '--stage', 'local', '--policy-file', POLICY_FILE, ...args], terminal);
    return { code, stdout, stderr, lines: stdout.split('\n') };
  }

  const rowOf = (lines: string[], target: string) => lines.find((line) => line.startsWith(`${target} `)) ?? '';

  it("lists every demo target with its policy, state, capacity, the schedule's value at --at and its next change in the target's zone", async () => {
    // Act
    const { code, stderr, lines } = await status(['--at', AT]);
    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(lines[0]).toBe(`status at 2026-11-23 10:00 UTC, stage local, ${POLICY_FILE}`);
    expect(lines[2]).toMatch(/^target\s+name\s+policy\s+state\s+desired\/actual\/active\s+schedule\s+next change\s+override\s+warnings\s+why$/);
    expect(rowOf(lines, 'pool/wspool-berlin001')).toMatch(
      /^pool\/wspool-berlin001\s+berlin_sales\s+berlin-sales-desktops\s+RUNNING\s+5 \/ 5 \/ 0 sessions\s+floor 30 \(business-hours\)\s+17:00 CET → floor 2 \(off-hours\)\s+/,
    );
    expect(rowOf(lines, 'pool/wspool-berlin001')).toMatch(/window "business-hours" \(Mon–Fri 07:00–17:00 Europe\/Berlin\)$/);
    // 05:00 in New York: off-hours until the ready-by lead of business hours (08:00 − 20 min).
    expect(rowOf(lines, 'pool/wspool-newyork01')).toMatch(
      /^pool\/wspool-newyork01\s+newyork_support\s+newyork-support-desktops\s+RUNNING\s+5 \/ 5 \/ 0 sessions\s+floor 0 \(off-hours\)\s+07:40 EST → floor 15 \(business-hours, ready-by\)\s/,
    );
    // Selected by tags and by a name pattern.
    expect(rowOf(lines, 'fleet/berlin-office-apps')).toMatch(
      /^fleet\/berlin-office-apps\s+berlin-office-apps\s+berlin-office-apps\s+RUNNING\s+2 \/ 2 \/ 0 instances\s+floor 6 \(business-hours\)\s+17:30 CET → floor 1 \(off-hours\)\s/,
    );
    expect(rowOf(lines, 'fleet/newyork-design-tools')).toMatch(
      /^fleet\/newyork-design-tools\s+newyork-design-tools\s+newyork-design-tools\s+RUNNING\s+1 \/ 1 \/ 0 instances\s+floor 0 \(off-hours, stops\)\s+08:30 EST → floor 2 \(studio-hours, ready-by\)\s/,
    );
  });

  it('evaluates the schedule at another --at: a holiday names its calendar, an offset is honoured', async () => {
    // Thanksgiving, 09:00 in New York (14:00 UTC); 15:00 in Berlin, a working day there. The next change
    // that changes the value is Monday's ready-by: the day after Thanksgiving and the weekend ask 0 as well.
    const { lines } = await status(['--at', '2026-11-26T09:00:00-05:00']);

    expect(lines[0]).toMatch(/^status at 2026-11-26 14:00 UTC/);
    expect(rowOf(lines, 'pool/wspool-newyork01')).toMatch(/\sfloor 0 \(calendar us-holidays: Thanksgiving\)\s+Mon 07:40 EST → floor 15 \(business-hours, ready-by\)\s/);
    expect(rowOf(lines, 'pool/wspool-berlin001')).toMatch(/\sfloor 30 \(business-hours\)\s+17:00 CET → floor 2 \(off-hours\)\s/);
  });

  it("shows the override in force: what and until when in the target's zone in the table, who and why below it", async () => {
    const { lines } = await status(['--at', AT]);

    expect(rowOf(lines, 'pool/wspool-berlin001')).toMatch(/\shold 55 until 13:30 CET\s/);
    const block = lines.indexOf('Overrides in force');
    expect(lines.slice(block + 1, block + 3)).toEqual(['  pool/wspool-berlin001: hold 55 until 13:30 CET, set by olga at 10:30 CET (ovr-townhall): Town hall stream', '']);
    // Past its end it is no longer shown (the tick clears it).
    const later = await status(['--at', '2026-11-23T13:00:00Z']);
    expect(later.stdout).not.toContain('hold 55');
    expect(later.stdout).not.toContain('Overrides in force');
  });

  it('shows each warning in its row and in full below the table, and only markers old or young enough to matter', async () => {
    const { lines, stdout } = await status(['--at', AT]);

    expect(rowOf(lines, 'pool/wspool-newyork01')).toMatch(/\sconflict\s/);
    expect(rowOf(lines, 'fleet/berlin-office-apps')).toMatch(/\sdeferred 40 min, change failed\s/);
    expect(rowOf(lines, 'fleet/newyork-design-tools')).toMatch(/\schanging → 2\s/);
    expect(rowOf(lines, 'pool/wspool-berlin001')).not.toMatch(/conflict|deferred|failed|changing/);
    const warnings = lines.slice(lines.indexOf('Warnings') + 1, lines.indexOf('Application deployments needing attention') - 1);
    expect(warnings).toEqual([
      '  pool/wspool-newyork01: another scaler owns it since 03:00 EST: Application Auto Scaling manages pool newyork_support; euc-autopilot leaves it alone',
      '  fleet/berlin-office-apps: a change has waited 40 min (since 10:20 CET) while it is UPDATING',
      '  fleet/berlin-office-apps: the change to 8 instances failed at 10:00 CET (1 h ago): UpdateFleet refused the change: LimitExceededException',
      '  fleet/newyork-design-tools: a change to 2 instances is in progress (workflow fleet-newyork-design-tools-1a2b3c4d-202611230955); the tick leaves it alone until 06:10 EST at the latest',
    ]);
    expect(stdout).not.toContain('STARTING');
    expect(stdout).not.toContain('StartFleet timed out');
  });

  it('lists the WorkSpaces whose latest deployment failed or timed out in the last 24 hours, in a block of their own', async () => {
    const { lines } = await status(['--at', AT]);

    const start = lines.indexOf('Application deployments needing attention');
    expect(start).toBeGreaterThan(0);
    const block = lines.slice(start + 1).filter((line) => line !== '');
    expect(block).toHaveLength(3);
    expect(block[0]).toMatch(/^ {2}workspace\s+time\s+kind\s+reason$/);
    expect(block[1]).toMatch(
      /^ {2}workspace\/ws-berlin0002\s+2026-11-23 09:50 UTC\s+deployment-failed\s+Could not deploy to WorkSpace ws-berlin0002: Microsoft Visio \(wsa-visio2024a\) \(error: wsa-visio2024a: INSTALL_FAILED: the installer exited with 1603\)$/,
    );
    expect(block[2]).toMatch(/^ {2}workspace\/ws-nyc000001\s+2026-11-22 15:00 UTC\s+deployment-timed-out\s+Deployment to WorkSpace ws-nyc000001 not settled/);
  });

  it('omits the deployments block, and the warnings block, when there is nothing to say', async () => {
    // Two days later: no deployment outcome in the last 24 hours; the markers are old, the override and the change in progress over.
    const { lines, stdout } = await status(['--at', '2026-11-25T10:00:00Z']);

    expect(stdout).not.toContain('Application deployments needing attention');
    expect(stdout).not.toContain('workspace/');
    // Only what does not age: the conflict, and a deferral still in place.
    const warnings = lines.slice(lines.indexOf('Warnings') + 1).filter((line) => line !== '');
    expect(warnings.map((line) => line.split(':')[0])).toEqual(['  pool/wspool-newyork01', '  fleet/berlin-office-apps', '  fleet/newyork-design-tools']);
    expect(stdout).not.toContain('failed at');
    expect(stdout).not.toContain('in progress');
  });

  it('prints one JSON object per target and per failing deployment, each on its own line, without colour', async () => {
    const { code, stdout } = await status(['--at', AT, '--json'], { tty: true, columns: 60 });

    expect(code).toBe(0);
    expect(stdout).not.toContain('\u001b');
    const objects = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.map((object) => `${String(object.type)} ${String(object.target)}`)).toEqual([
      'target pool/wspool-berlin001',
      'target pool/wspool-newyork01',
      'target fleet/berlin-office-apps',
      'target fleet/newyork-design-tools',
      'deployment workspace/ws-berlin0002',
      'deployment workspace/ws-nyc000001',
    ]);
    expect(objects[0]).toMatchObject({
      at: '2026-11-23T10:00:00.000Z',
      name: 'berlin_sales',
      policy: 'berlin-sales-desktops',
      timeZone: 'Europe/Berlin',
      state: 'RUNNING',
      unit: 'sessions',
      desired: 5,
      actual: 5,
      active: 0,
      schedule: { mode: 'floor', capacity: 30, source: { kind: 'window', window: 'business-hours', readyBy: false }, until: '2026-11-23T16:00:00.000Z' },
      next: { at: '2026-11-23T16:00:00.000Z', mode: 'floor', capacity: 2, source: { kind: 'off-hours' } },
      override: { id: 'ovr-townhall', kind: 'hold', capacity: 55, until: '2026-11-23T12:30:00.000Z', reason: 'Town hall stream', setBy: 'principal:olga' },
      warnings: [],
    });
    expect(objects[2]).toMatchObject({
      warnings: [
        { kind: 'deferred', severity: 'warning', since: '2026-11-23T09:20:00.000Z', state: 'UPDATING' },
        { kind: 'failed', severity: 'critical', at: '2026-11-23T09:00:00.000Z', desired: 8 },
      ],
    });
    expect(objects[3]).toMatchObject({ override: null, warnings: [{ kind: 'in-flight', desired: 2, until: '2026-11-23T11:10:00.000Z' }] });
    expect(objects[4]).toMatchObject({ workspaceId: 'ws-berlin0002', kind: 'deployment-failed', at: '2026-11-23T09:50:00.000Z', error: expect.stringContaining('1603') });
  });

  it('colours state, override and warnings on a TTY, and nothing with NO_COLOR set', async () => {
    const coloured = await status(['--at', AT], { tty: true, columns: 400 });
    expect(coloured.stdout).toContain('\u001b[32mRUNNING\u001b[39m');
    expect(coloured.stdout).toContain('\u001b[31mconflict\u001b[39m');
    expect(coloured.stdout).toContain('\u001b[33mchanging → 2\u001b[39m');
    expect(coloured.stdout).toContain('\u001b[33mhold 55 until 13:30 CET\u001b[39m');
    expect(coloured.stdout).toContain('\u001b[31m  pool/wspool-newyork01: another scaler owns it');
    expect(coloured.stdout).toContain('\u001b[1mWarnings\u001b[22m');

    vi.stubEnv('NO_COLOR', '1');
    const plain = await status(['--at', AT], { tty: true, columns: 400 });
    expect(plain.stdout).not.toContain('\u001b');
    expect(plain.stdout).toContain('hold 55 until 13:30 CET');
  });

  it('fits a narrow TTY, leaving out the reason, policy, name and override before cutting, wrapping the details; a pipe keeps every line whole', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const narrow = await status(['--at', AT], { tty: true, columns: 120 });
    for (const line of narrow.lines) expect(Array.from(line).length).toBeLessThanOrEqual(120);
    expect(narrow.lines[2]).toMatch(/^target\s+state\s+desired\/actual\/active\s+schedule\s+next change\s+warnings$/);
    // The target, its state and its capacity are never cut; the schedule and its next change are, marked with ….
    expect(rowOf(narrow.lines, 'pool/wspool-berlin001')).toMatch(/^pool\/wspool-berlin001\s+RUNNING\s+5 \/ 5 \/ 0 sessions\s+floor 30 \(bus\S*…\s+17:00 CET → floor 2\S*…$/);
    expect(narrow.lines).toContain('  pool/wspool-berlin001: hold 55 until 13:30 CET, set by olga at 10:30 CET (ovr-townhall): Town hall stream');
    const wider = await status(['--at', AT], { tty: true, columns: 170 });
    expect(wider.lines[2]).toMatch(/^target\s+name\s+policy\s+state\s+desired\/actual\/active\s+schedule\s+next change\s+override\s+warnings$/);

    expect(narrow.stdout).not.toContain('workflow fleet-newyork-design-tools-1a2b3c4d-202611230955); the tick leaves it alone until 06:10 EST at the latest');

    const pipe = await status(['--at', AT]);
    expect(pipe.stdout).not.toContain('…');
    expect(pipe.stdout).toContain('workflow fleet-newyork-design-tools-1a2b3c4d-202611230955); the tick leaves it alone until 06:10 EST at the latest');
  });

  it('refuses an --at it cannot read, naming the forms it takes', async () => {
    const { code, stdout, stderr } = await status(['--at', 'tomorrow']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("option '--at <time>' argument 'tomorrow' is invalid");
    expect(stderr).toContain('ISO 8601 time');
  });

  it("names the table when the stage's tables do not exist", async () => {
    const { code, stdout, stderr } = await status(['--at', AT, '--stage', 'nosuchstage']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('the table euc-autopilot-nosuchstage-state (or its index) does not exist in this account and Region: check --stage and AWS_REGION');
  });
});

describe('status rules', () => {
  const AT = Date.parse('2026-11-23T10:00:00Z');
  const pool: PoolTarget = {
    kind: 'pool',
    id: 'wspool-berlin001',
    name: 'berlin_sales',
    arn: 'arn:aws:workspaces:eu-central-1:123456789012:workspacespool/wspool-berlin001',
    capacityModel: 'pool-sessions',
    unit: 'sessions',
    desired: 10,
    actual: 10,
    active: 12,
    available: 0,
    matchedSelectors: [0],
    state: 'RUNNING',
    runningMode: 'AUTO_STOP',
  };

  it('warns when desired capacity is below the sessions in use', () => {
    const warnings = warningsOf(pool, emptyState('pool/wspool-berlin001'), undefined, 'Europe/Berlin', AT);

    expect(warnings).toEqual([expect.objectContaining({ kind: 'below-active', severity: 'critical', message: 'desired 10 is below the 12 sessions in use; this should never happen' })]);
    expect(warningsOf({ ...pool, active: 10 }, emptyState('pool/wspool-berlin001'), undefined, 'Europe/Berlin', AT)).toEqual([]);
  });

  it('warns about a native scaler found now, before the tick has recorded the conflict', () => {
    const [warning] = warningsOf({ ...pool, active: 0 }, emptyState('pool/wspool-berlin001'), 'Application Auto Scaling (workspaces:workspacespool:DesiredUserSessions)', 'UTC', AT);

    expect(warning).toMatchObject({ kind: 'conflict', message: expect.stringContaining('Application Auto Scaling (workspaces:workspacespool:DesiredUserSessions) manages it') });
  });

  it('warns about a deferral only after 15 minutes, and a failure only for 2 hours', () => {
    const state = (deferredMin: number, failedMin: number): TargetState => ({
      ...emptyState('pool/wspool-berlin001'),
      deferred: { since: AT - deferredMin * 60_000, state: 'UPDATING' },
      lastFailure: { at: AT - failedMin * 60_000, desired: 30, reason: 'refused' },
    });
    const kinds = (s: TargetState) => warningsOf({ ...pool, active: 0 }, s, undefined, 'UTC', AT).map((w) => w.kind);

    expect(kinds(state(15, 120))).toEqual([]);
    expect(kinds(state(16, 119))).toEqual(['deferred', 'failed']);
  });

  it('finds the next change that changes the value, passing over the end of a ready-by lead', () => {
    const value = (capacity: number, since: number, until: number, readyBy = false): ScheduleValue => ({
      mode: 'floor',
      capacity,
      source: { kind: 'window', window: 'business-hours', readyBy },
      reason: 'x',
      since,
      until,
    });
    const timeline = [value(30, 0, 100, true), value(30, 100, 200), value(2, 200, 300), value(2, 300, Infinity)];
    const at = (instant: number) => timeline.find((v) => v.since <= instant && instant < v.until)!;

    expect(nextChange(timeline[0]!, at)).toEqual({ at: 200, value: timeline[2] });
    expect(nextChange(timeline[3]!, at)).toBeUndefined();
    // Nothing but source changes within the look-ahead: the first change point.
    expect(nextChange(timeline[0]!, at, 1)).toEqual({ at: 100, value: timeline[1] });
  });

  it("keeps a WorkSpace only when its latest deployment outcome includes a failure", () => {
    const record = (target: string, kind: AuditRecord['kind'], at: number): AuditRecord => ({
      target,
      kind,
      actor: 'sweeper',
      reason: `${kind} on ${target}`,
      correlationId: 'c',
      at,
      id: `${target.replace('/', '-')}-${kind}-${at}`,
      expiresAt: 0,
    });
    const failing = failingDeployments([
      // One workflow's finish: one application deployed, another failed, at the same time.
      record('workspace/ws-a', 'deployment-completed', 20),
      record('workspace/ws-a', 'deployment-failed', 20),
      record('workspace/ws-b', 'deployment-timed-out', 10),
      record('workspace/ws-b', 'deployment-completed', 30),
      record('workspace/ws-c', 'deployment-timed-out', 5),
    ]);

    expect(failing.map((f) => `${f.workspaceId} ${f.record.kind}`)).toEqual(['ws-a deployment-failed', 'ws-c deployment-timed-out']);
  });

  it('reads spans as people say them', () => {
    expect([span(0), span(59 * 60_000), span(3_600_000), span(125 * 60_000), span(26 * 3_600_000), span(48 * 3_600_000)]).toEqual([
      '0 min',
      '59 min',
      '1 h',
      '2 h 5 min',
      '1 d 2 h',
      '2 d',
    ]);
  });
});
