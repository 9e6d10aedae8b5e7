import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CloudTrailDeliveryFaults } from '../cloudtrail.ts';
import type { ScheduleOverlap } from '../events/bus.ts';
import type { CrashRule, FaultRule } from '../faults.ts';
import type { SeedDocument } from '../service.ts';
import type { SlackOutage, SlackRateLimit } from '../slack.ts';

/**
 * The fault campaign's week (docs/RELIABILITY.md): the demo account (local/seeds/demo.yml) with
 * its Monday's users repeated on every working day and nobody at the weekend, an operator who
 * associates applications (some the WorkSpace can take, some it cannot), changes capacity by
 * hand and sets overrides, and — for the faulted run only — the faults below. Pure data: the run
 * (run.ts) plays it on a fresh local cloud.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY = Date.parse('2026-11-23T00:00:00Z');

export type OperatorAction =
  | { at: number; kind: 'associate' | 'disassociate'; workspaceId: string; applicationId: string }
  | { at: number; kind: 'stop'; workspaceId: string }
  | { at: number; kind: 'manual-change'; poolId: string; sessions: number }
  | { at: number; kind: 'override'; target: string; override: 'hold' | 'floor'; capacity: number; hours: number; id: string };

/** Call faults in force from `from` to `to` (local time), on top of the steady ones. */
export interface FaultWindow {
  from: number;
  to: number;
  rules: FaultRule[];
  what: string;
}

export interface FaultPlan {
  /** In force the whole run. */
  steady: FaultRule[];
  windows: FaultWindow[];
  crashes: CrashRule[];
  cloudTrail: CloudTrailDeliveryFaults;
  slackOutages: SlackOutage[];
  slackRateLimit: SlackRateLimit;
  overlap: ScheduleOverlap;
  seed: number;
}

export interface Scenario {
  from: number;
  to: number;
  seed: SeedDocument;
  actions: OperatorAction[];
  /** Absent for the clean run. */
  faults?: FaultPlan;
}

export interface ScenarioOptions {
  /** Simulated days from the start (up to 7; the CI test uses a fraction). */
  days: number;
  /** When the run starts on Monday, UTC (default 05:00, the demo seed's clock; the CI test starts later to save wall time). */
  start?: string;
  seed?: number;
  faults: boolean;
}

const EMULATED = ['WorkspacesService.*', 'PhotonAdminProxyService.*'];
const at = (day: number, time: string) => MONDAY + day * DAY + Date.parse(`1970-01-01T${time}:00Z`);

/**
 * What the operator does, through the AWS API and the override use case. Compatibility per the
 * seed: Microsoft 365 fits every Windows WorkSpace; Visio needs Windows 10/11 on PERFORMANCE or
 * POWER (ws-berlin0002 only); Project needs POWER or POWERPRO (none of them); the Linux WorkSpace
 * ws-nyc000001 takes none. The emulated AutoStop WorkSpaces do not stop by themselves, so the
 * operator stops one before some (dis)associations, as AutoStop would overnight: the workflow must
 * then start it (StartWorkspaces, whose step the faulted run kills half the time).
 */
const ACTIONS: OperatorAction[] = [
  { at: at(0, '07:30'), kind: 'stop', workspaceId: 'ws-berlin0001' },
  { at: at(0, '08:20'), kind: 'associate', workspaceId: 'ws-berlin0001', applicationId: 'wsa-office365a' },
  { at: at(0, '09:14'), kind: 'associate', workspaceId: 'ws-berlin0002', applicationId: 'wsa-visio2024a' },
  { at: at(0, '09:30'), kind: 'associate', workspaceId: 'ws-berlin0002', applicationId: 'wsa-project24a' },
  { at: at(0, '10:40'), kind: 'manual-change', poolId: 'wspool-berlin001', sessions: 50 },
  { at: at(0, '19:00'), kind: 'override', target: 'pool/wspool-newyork01', override: 'floor', capacity: 30, hours: 2, id: 'ovr-launch' },
  { at: at(1, '09:00'), kind: 'associate', workspaceId: 'ws-nyc000001', applicationId: 'wsa-visio2024a' },
  { at: at(1, '10:00'), kind: 'associate', workspaceId: 'ws-berlin0001', applicationId: 'wsa-project24a' },
  { at: at(1, '15:00'), kind: 'manual-change', poolId: 'wspool-newyork01', sessions: 25 },
  { at: at(2, '08:30'), kind: 'disassociate', workspaceId: 'ws-berlin0002', applicationId: 'wsa-visio2024a' },
  { at: at(2, '12:00'), kind: 'override', target: 'fleet/berlin-office-apps', override: 'hold', capacity: 16, hours: 2, id: 'ovr-training' },
  { at: at(3, '07:30'), kind: 'stop', workspaceId: 'ws-berlin0002' },
  { at: at(3, '09:00'), kind: 'associate', workspaceId: 'ws-berlin0002', applicationId: 'wsa-office365a' },
  { at: at(3, '11:00'), kind: 'manual-change', poolId: 'wspool-berlin001', sessions: 45 },
  { at: at(4, '07:30'), kind: 'stop', workspaceId: 'ws-berlin0002' },
  { at: at(4, '09:00'), kind: 'associate', workspaceId: 'ws-berlin0002', applicationId: 'wsa-visio2024a' },
  { at: at(4, '15:30'), kind: 'stop', workspaceId: 'ws-berlin0001' },
  { at: at(4, '16:00'), kind: 'disassociate', workspaceId: 'ws-berlin0001', applicationId: 'wsa-office365a' },
];

/** The faults of the faulted run: rates per the issue, windows on every working day. */
function faultPlan(days: number, seed: number): FaultPlan {
  const windows: FaultWindow[] = [];
  for (let day = 0; day < Math.min(days, 5); day += 1) {
    for (const [from, to] of [['07:10', '07:15'], ['11:30', '11:35']] as const) {
      windows.push({
        from: at(day, from),
        to: at(day, to),
        what: '5xx burst: every WorkSpaces/AppStream call answers 503',
        rules: EMULATED.map((operation) => ({ operation, kind: 'server-error', status: 503 })),
      });
    }
    windows.push({
      from: at(day, '12:00'),
      to: at(day, '12:20'),
      what: 'latency spike: 30 % of all calls (DynamoDB included) take 250 ms longer',
      rules: [{ operation: '*', kind: 'latency', latencyMs: 250, probability: 0.3 }],
    });
  }
  return {
    steady: EMULATED.map((operation) => ({ operation, kind: 'throttle', probability: 0.1 })),
    windows,
    crashes: [
      // Killed between the change and its audit item.
      { operation: 'UpdateWorkspacesPool', function: 'capacityChangeStep', probability: 0.2 },
      { operation: 'UpdateFleet', function: 'capacityChangeStep', probability: 0.2 },
      { operation: 'StartFleet', function: 'capacityChangeStep', probability: 0.5 },
      { operation: 'DeployWorkspaceApplications', function: 'deploymentStep', probability: 0.5 },
      { operation: 'StartWorkspaces', function: 'deploymentStep', probability: 0.5 },
      // Killed after starting a workflow, before answering: EventBridge's retries deliver again.
      { operation: 'StartExecution', function: 'cloudtrailReactor', probability: 0.3 },
      { operation: 'StartExecution', function: 'capacityTick', probability: 0.05 },
    ],
    cloudTrail: { dropProbability: 0.1, duplicateProbability: 1, seed },
    // Monday's morning rush, when most notices come.
    slackOutages: [{ from: at(0, '08:00'), to: at(0, '09:00'), status: 500 }],
    slackRateLimit: { probability: 0.1, retryAfter: 1, seed },
    overlap: { rule: 'capacityTick', probability: 0.1, seed },
    seed,
  };
}

/** Monday's demand of the demo seed on each working day of the run, none at the weekend. */
function weekSeed(days: number): SeedDocument {
  const seed = parseYaml(readFileSync(path.join(import.meta.dirname, '../seeds/demo.yml'), 'utf8')) as SeedDocument;
  const usage = seed.usage as Array<{ curve: Array<{ at: string; sessions: number }> }>;
  seed.usage = usage.map((setting) => ({
    ...setting,
    curve: Array.from({ length: Math.min(days, 5) }, (_, day) =>
      setting.curve.map((point) => ({ ...point, at: new Date(Date.parse(point.at) + day * DAY).toISOString() })),
    ).flat(),
  }));
  return seed;
}

export function weekScenario({ days, start = '05:00', seed = 7, faults }: ScenarioOptions): Scenario {
  if (!(days > 0 && days <= 7)) throw new RangeError(`days must be in (0, 7], got ${days}`);
  const from = at(0, start);
  const to = from + days * DAY;
  /** Calendar days the run touches, from Monday. */
  const touched = Math.ceil((to - MONDAY) / DAY);
  return {
    from,
    to,
    seed: { ...weekSeed(touched), clock: new Date(from).toISOString() },
    actions: ACTIONS.filter((action) => action.at < to),
    ...(faults ? { faults: faultPlan(touched, seed) } : {}),
  };
}
