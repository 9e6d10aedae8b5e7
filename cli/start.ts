import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeFleetsCommand } from '@aws-sdk/client-appstream';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AssociateWorkspaceApplicationCommand, DescribeWorkspacesPoolsCommand, UpdateWorkspacesPoolCommand } from '@aws-sdk/client-workspaces';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { runBacktest } from '#lib/backtest/run.ts';
import { traceSeries, type TargetSamples } from '#lib/backtest/trace.ts';
import { queryAuditByDay } from '#lib/audit/query-audit.ts';
import type { AuditRecord } from '#lib/audit/entry.ts';
import { setOverride } from '#lib/overrides/manage.ts';
import { renderBacktestReport } from '#lib/report/backtest-report.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { createTargetClients, listTargets, type TargetClients } from '#lib/targets/index.ts';
import { LOCAL_CREDENTIALS, LocalCloud, PROJECT_ROOT } from '#local/cloud.ts';
import { driveInRealtime } from '#local/realtime.ts';
import { readSeed, untilSignal } from './cloud.ts';

/**
 * `autopilot start` (what `npm start` runs): euc-autopilot through one working Monday of the demo
 * account (local/seeds/demo.yml) under config/policies.yml, on the local cloud and its
 * accelerated clock — the real handlers as serverless.yml wires them: capacity-tick every minute,
 * the capacity-change workflow, the CloudTrail reactor, the deploy-applications workflow, the
 * notifier and its Slack digests, the audit table. An operator acts three times during the day,
 * through the AWS API as anyone would: associates an application mid-morning (nothing else is
 * done to deploy it), changes a pool's capacity by hand before noon (the policy respects it for
 * its hold, then resumes), and sets an override in the afternoon.
 *
 * Prints each audited change as it happens (UTC and the target's own time), then a summary:
 * capacity-hours provisioned against a static fleet sized for the day's peak, users who found no
 * free session, deployments, Slack messages. Users and capacity are sampled every simulated
 * minute; the day's demand is then replayed through the backtest (lib/backtest: the policies
 * against a static peak-sized fleet and target tracking, next to the capacity as it ran) into an
 * HTML report with charts. `--realtime` instead keeps the stack running on the wall clock and
 * prints its endpoints, to poke at with the SDK, curl, `autopilot status` and `autopilot audit`.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run euc-autopilot end to end on the built-in local cloud through a simulated working day')
    .option('--realtime', 'keep the demo stack running on the wall clock and print its endpoints (Ctrl-C stops it)')
    .action(async (options: { realtime?: boolean }) => {
      const seed = await readSeed(path.join(PROJECT_ROOT, 'local/seeds/demo.yml'));
      if (options.realtime) return runRealtime(seed);
      const cloud = await LocalCloud.start({ seed });
      try {
        await workingDay(cloud, (line) => process.stdout.write(`${line}\n`), { report: REPORT });
      } finally {
        await cloud.stop();
      }
    });
}

const DAY = '2026-11-23';
// Every minute: a shortfall shorter than the sampling step would otherwise go unseen.
const SAMPLE_MS = 60_000;
const REPORT = 'out/working-day.html';

interface Operator {
  clients: TargetClients;
  documents: DynamoDBDocumentClient;
  eventBridge: EventBridgeClient;
}

/** What an operator does during the day, through the AWS API (and the override use case the CLI runs). */
const OPERATOR_ACTIONS: Array<{ at: number; says: string; run: (operator: Operator) => Promise<unknown> }> = [
  {
    at: Date.parse(`${DAY}T09:14:00Z`),
    says: 'an operator associates Microsoft Visio (wsa-visio2024a) with WorkSpace ws-berlin0002',
    run: ({ clients }) => clients.workspaces.send(new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-berlin0002', ApplicationId: 'wsa-visio2024a' })),
  },
  {
    at: Date.parse(`${DAY}T10:40:00Z`),
    says: 'an operator sets pool berlin_sales to 50 sessions by hand (the policy respects it for 4 h)',
    run: ({ clients }) => clients.workspaces.send(new UpdateWorkspacesPoolCommand({ PoolId: 'wspool-berlin001', Capacity: { DesiredUserSessions: 50 } })),
  },
  {
    at: Date.parse(`${DAY}T19:00:00Z`),
    says: 'an operator sets an override: pool newyork_support at least 30 sessions for 2 h (a product launch)',
    run: ({ documents, eventBridge }) =>
      setOverride(
        { documents, eventBridge, stateTable: 'euc-autopilot-local-state', auditTable: 'euc-autopilot-local-audit', eventBus: 'euc-autopilot-local', logger: { warn: () => undefined } },
        'pool/wspool-newyork01',
        { id: 'ovr-launch', kind: 'floor', capacity: 30, setAt: Date.parse(`${DAY}T19:00:00Z`), until: Date.parse(`${DAY}T21:00:00Z`), reason: 'Product launch webinar', setBy: 'principal:operator' },
        'start-launch',
      ),
  },
];

/** One target at one simulated minute. */
export interface Sample {
  at: number;
  capacity: number;
  active: number;
  /** Sessions users wanted and could not get. */
  short: number;
}

/** What the day came to, as the summary prints it (tests read it). */
export interface DaySummary {
  /** Σ over sampled minutes of sessions users wanted and did not get. */
  shortUserMinutes: number;
  /** Capacity-hours provisioned and those of a static fleet sized for each target's peak. */
  unitHours: number;
  staticUnitHours: number;
  deploymentsCompleted: number;
  slackMessages: number;
  /** Per target (`pool/<id>`, `fleet/<name>`), its minute-by-minute samples. */
  samples: ReadonlyMap<string, readonly Sample[]>;
}

/**
 * The demo day on `cloud` (seeded with local/seeds/demo.yml, at its clock): prints through `say`,
 * writes the HTML report to `options.report`, and throws when a part of the product failed.
 */
export async function workingDay(cloud: LocalCloud, say: (line: string) => void, options: { report: string }): Promise<DaySummary> {
  const zones = await targetZones(cloud);
  const connection = { endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS };
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(connection), { marshallOptions: { removeUndefinedValues: true } });
  const operator: Operator = { clients: createTargetClients(connection), documents, eventBridge: new EventBridgeClient(connection) };
  say(`euc-autopilot on the local cloud at ${cloud.url}: the demo account through Monday ${DAY} (UTC times; local time in brackets)\n`);
  const started = Date.now();
  const end = Date.parse(`${DAY}T23:59:00Z`);
  const actions = [...OPERATOR_ACTIONS];
  const samples = new Map<string, Sample[]>();
  const progress = progressLine();
  const sayLine = (text: string) => {
    progress.clear();
    say(text);
  };
  let shown = 0;
  while (cloud.clock.now() < end) {
    const action = actions[0];
    await cloud.clock.advanceTo(Math.min(end, cloud.clock.now() + SAMPLE_MS, action?.at ?? Infinity));
    if (action && cloud.clock.now() >= action.at) {
      actions.shift();
      sayLine(`${new Date(action.at).toISOString().slice(11, 16)} UTC: ${action.says}`);
      await action.run(operator);
    }
    for (const [target, sample] of await sampleTargets(cloud, operator.clients)) samples.set(target, [...(samples.get(target) ?? []), sample]);
    const entries = await queryAuditByDay(documents, 'euc-autopilot-local-audit', { day: DAY, order: 'oldest-first' });
    for (const entry of entries.slice(shown)) sayLine(line(entry, zones));
    shown = entries.length;
    progress.show(`${new Date(cloud.clock.now()).toISOString().slice(11, 16)} UTC ${progressBar(cloud.clock.now(), end)}`);
  }
  progress.clear();
  const result = await summary(cloud, documents, samples, started, say);
  await writeReport(samples, options.report, say);
  return result;
}

/**
 * The day's demand (sessions in use plus those wanted but not had), replayed through the backtest
 * under config/policies.yml against its baselines, as an HTML report. The Berlin fleet's policy
 * selects it by tags, which a trace does not carry: it is named here.
 */
async function writeReport(samples: Map<string, Sample[]>, report: string, say: (line: string) => void): Promise<void> {
  const targets: TargetSamples[] = [...samples].map(([target, list]) => {
    const [kind, id] = target.split('/') as ['pool' | 'fleet', string];
    return {
      target,
      kind,
      id,
      inUse: list.map((s) => ({ at: s.at, value: s.active + s.short })),
      asRun: list.map((s) => ({ at: s.at, value: s.capacity })),
    };
  });
  const policies = path.join(PROJECT_ROOT, 'config/policies.yml');
  const result = runBacktest({
    trace: traceSeries({ source: `npm start, ${DAY} (demand sampled every minute)`, targets }),
    policySets: [{ label: 'config/policies.yml', path: policies, file: loadPolicyFile(policies) }],
    targetPolicies: { 'fleet/berlin-office-apps': 'berlin-office-apps' },
  });
  mkdirSync(path.dirname(report), { recursive: true });
  writeFileSync(report, await renderBacktestReport(result));
  say(`Report: ${path.resolve(report)} (the day's demand replayed: the policies against a static peak-sized fleet and target tracking, beside the capacity as it ran, with charts).`);
}

async function summary(cloud: LocalCloud, documents: DynamoDBDocumentClient, samples: Map<string, Sample[]>, started: number, say: (line: string) => void): Promise<DaySummary> {
  const entries = await queryAuditByDay(documents, 'euc-autopilot-local-audit', { day: DAY });
  const count = (kind: AuditRecord['kind']) => entries.filter((entry) => entry.kind === kind).length;
  const runs = cloud.snapshot().executions as Array<{ name: string; status: string }>;
  const failed = runs.filter((run) => run.status === 'FAILED' || run.status === 'TIMED_OUT' || run.status === 'ABORTED');
  // A change the last tick asked for is still waiting for its pool when the day's run stops.
  const unfinishedRuns = runs.filter((run) => run.status === 'RUNNING').length;
  const hours = SAMPLE_MS / 3_600_000;
  say('');
  say('Capacity provisioned (units per target: pools count sessions, single-session fleets instances), sampled every minute:');
  let provisioned = 0;
  let staticPeak = 0;
  let shortMinutes = 0;
  for (const [target, list] of [...samples].sort(([a], [b]) => a.localeCompare(b))) {
    const used = list.reduce((sum, s) => sum + s.capacity * hours, 0);
    // A static fleet sized for the day's peak demand, running all day: what a fixed setting costs.
    const peak = Math.max(0, ...list.map((s) => s.active + s.short)) * list.length * hours;
    const short = list.reduce((sum, s) => sum + s.short * (SAMPLE_MS / 60_000), 0);
    provisioned += used;
    staticPeak += peak;
    shortMinutes += short;
    const missed = short > 0 ? `; ${short} user-minutes without a free session` : '';
    say(`  ${target.padEnd(32)} ${used.toFixed(1).padStart(7)} unit-hours  (static peak-sized: ${peak.toFixed(1)}; saved ${percent(used, peak)}${missed})`);
  }
  say(`  ${'all targets'.padEnd(32)} ${provisioned.toFixed(1).padStart(7)} unit-hours  (static peak-sized: ${staticPeak.toFixed(1)}; saved ${percent(provisioned, staticPeak)})`);
  say(`Users who found no free session: ${shortMinutes === 0 ? 'none' : `${shortMinutes} user-minutes`}.`);
  say(
    `${count('capacity-changed')} capacity changes, ${count('started')} starts, ${count('stopped')} stops, ` +
      `${count('capacity-change-failed')} failed, ${count('deferred')} deferred; ` +
      `${count('deployment-completed')} application deployments completed, ${count('deployment-failed')} failed; ` +
      `${count('drift-detected')} manual changes noticed, ${count('override-set')} overrides set, ${count('override-expired')} expired; ` +
      `${runs.length} workflow runs (${failed.length} failed, ${unfinishedRuns} still running at the end); ` +
      `${cloud.slack.list().length} Slack messages. Simulated in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  if (count('capacity-change-failed') > 0) throw new Error('some capacity changes failed; see the lines above');
  if (failed.length > 0) throw new Error(`workflow runs failed: ${failed.map((run) => `${run.name} (${run.status})`).join(', ')}`);
  if (count('deployment-completed') !== 1) throw new Error('the application associated during the day was not deployed; see the lines above');
  if (count('override-expired') < 2) throw new Error('the manual change and the override did not both run out and hand back to the policy; see the lines above');
  return {
    shortUserMinutes: shortMinutes,
    unitHours: provisioned,
    staticUnitHours: staticPeak,
    deploymentsCompleted: count('deployment-completed'),
    slackMessages: cloud.slack.list().length,
    samples,
  };
}

/** Each target's capacity, sessions in use and sessions wanted but not had, now. */
async function sampleTargets(cloud: LocalCloud, clients: TargetClients): Promise<Map<string, Sample>> {
  const now = cloud.clock.now();
  const found = new Map<string, Sample>();
  const { WorkspacesPools = [] } = await clients.workspaces.send(new DescribeWorkspacesPoolsCommand({}));
  for (const pool of WorkspacesPools) {
    const status = pool.CapacityStatus;
    const active = status?.ActiveUserSessions ?? 0;
    const capacity = pool.State === 'STOPPED' ? 0 : (status?.ActualUserSessions ?? 0);
    found.set(`pool/${pool.PoolId}`, { at: now, capacity, active, short: Math.max(0, cloud.usage.demand('pool', pool.PoolId!, now) - active) });
  }
  const { Fleets = [] } = await clients.appstream.send(new DescribeFleetsCommand({}));
  for (const fleet of Fleets) {
    const status = fleet.ComputeCapacityStatus;
    const active = status?.InUse ?? 0;
    found.set(`fleet/${fleet.Name}`, { at: now, capacity: status?.Running ?? 0, active, short: Math.max(0, cloud.usage.demand('fleet', fleet.Name!, now) - active) });
  }
  return found;
}

/** The demo stack on the wall clock, schedules and reactions running, until Ctrl-C. */
async function runRealtime(seed: Awaited<ReturnType<typeof readSeed>>): Promise<void> {
  const cloud = await LocalCloud.start({ seed, port: 4566, startTime: new Date() });
  const stopClock = driveInRealtime(cloud.clock, { speed: 1 });
  process.stdout.write('# euc-autopilot demo stack on the wall clock. Point the SDK, curl or the CLI at it:\n');
  for (const [key, value] of Object.entries(cloud.env())) process.stdout.write(`export ${key}=${value}\n`);
  process.stdout.write('# then e.g.: npx autopilot status --stage local; npx autopilot audit --stage local --since 1h\n');
  process.stderr.write(`local cloud on ${cloud.url} (admin API ${cloud.url}/_local/health); Ctrl-C stops it\n`);
  await untilSignal();
  stopClock();
  await cloud.stop();
}

/**
 * The progress line on stderr: redrawn in place on a terminal, left out of a pipe or a file (where
 * each redraw would pile up as text). Timeline lines clear it before they print.
 */
function progressLine(stream: NodeJS.WriteStream = process.stderr): { show(text: string): void; clear(): void } {
  const tty = stream.isTTY === true;
  return {
    show: (text) => tty && stream.write(`\r${text}\u001b[K`),
    clear: () => tty && stream.write('\r\u001b[K'),
  };
}

function progressBar(now: number, end: number): string {
  const start = Date.parse(`${DAY}T00:00:00Z`);
  const done = Math.round(((now - start) / (end - start)) * 24);
  return `[${'#'.repeat(Math.max(0, done))}${'.'.repeat(Math.max(0, 24 - done))}]`;
}

function percent(used: number, reference: number): string {
  return reference > 0 ? `${(((reference - used) / reference) * 100).toFixed(0)} %` : 'n/a';
}

function line(entry: AuditRecord, zones: Map<string, string>): string {
  const zone = zones.get(entry.target) ?? 'UTC';
  const local = DateTime.fromMillis(entry.at, { zone }).toFormat('HH:mm');
  const utc = new Date(entry.at).toISOString().slice(11, 16);
  const change = entry.before !== undefined && entry.after !== undefined ? `${entry.before} → ${entry.after}` : entry.after !== undefined ? `→ ${entry.after}` : '';
  return `${utc} [${local} ${zone.split('/').pop()?.replace('_', ' ')}]  ${entry.target.padEnd(32)} ${entry.kind.padEnd(20)} ${change.padEnd(9)} ${entry.actor}: ${entry.reason}`;
}

/** Each managed target's time zone, from the first policy that selects it (for local times in the timeline). */
async function targetZones(cloud: LocalCloud): Promise<Map<string, string>> {
  const file = loadPolicyFile(path.join(PROJECT_ROOT, 'config/policies.yml'));
  const clients = createTargetClients({ endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS });
  const zones = new Map<string, string>();
  for (const policy of file.policies) {
    for (const target of await listTargets(clients, policy.targets)) {
      const key = `${target.kind}/${target.id}`;
      if (!zones.has(key)) zones.set(key, policy.timeZone ?? file.defaults.timeZone);
    }
  }
  return zones;
}
