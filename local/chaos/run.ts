import type { Fleet } from '@aws-sdk/client-appstream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  AssociateWorkspaceApplicationCommand,
  DisassociateWorkspaceApplicationCommand,
  StopWorkspacesCommand,
  UpdateWorkspacesPoolCommand,
  WorkSpacesClient,
  type WorkspaceResourceAssociation,
  type WorkspacesPool,
} from '@aws-sdk/client-workspaces';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { fromItem, type AuditRecord } from '#lib/audit/entry.ts';
import { settledDigests } from '#lib/notify/digest-store.ts';
import { setOverride } from '#lib/overrides/manage.ts';
import { LOCAL_CREDENTIALS, LocalCloud } from '../cloud.ts';
import type { CloudTrailDeliveryRecord, CloudTrailEvent } from '../cloudtrail.ts';
import type { Delivery } from '../events/bus.ts';
import type { SlackMessage, SlackStats } from '../slack.ts';
import type { FaultPlan, OperatorAction, Scenario } from './scenario.ts';

/**
 * Plays a scenario (scenario.ts) on a fresh local cloud: the real handlers as serverless.yml wires
 * them, Lambda's asynchronous retries on, the faults (if any) set and their windows opened and
 * closed on the local clock, the operator's actions at their times. Every simulated minute it
 * looks at each pool and fleet in process (LocalCloud.look: no fault touches the look). At the end
 * it collects what the comparison (figures.ts) needs: the audit table, the executions, the Slack
 * sink, the CloudTrail record and the event deliveries.
 */
export interface Sample {
  at: number;
  target: string;
  desired: number;
  actual: number;
  inUse: number;
}

export interface Execution {
  name: string;
  stateMachine: string;
  status: string;
  startDate: string;
  stopDate?: string;
  input?: unknown;
}

export interface RunRecord {
  scenario: Scenario;
  samples: Sample[];
  audit: AuditRecord[];
  executions: Execution[];
  slack: readonly SlackMessage[];
  slackStats: SlackStats;
  cloudTrail: CloudTrailEvent[];
  cloudTrailDelivery: CloudTrailDeliveryRecord[];
  deliveries: Delivery[];
  /** Each WorkSpace's application associations at the end. */
  associations: Map<string, WorkspaceResourceAssociation[]>;
  /** Lambda crashes dealt (LocalCloud.faults.crashAfter). */
  crashes: Array<{ operation: string; caller: string }>;
  /** Ids of the notices still waiting in a Slack digest at the end (Slack may take them on a later run). */
  waitingInDigests: string[];
  /** Operator actions that failed even after their retries (they then did not happen). */
  refused: Array<{ action: OperatorAction; error: string }>;
  wallSeconds: number;
}

const TABLES = { state: 'euc-autopilot-local-state', audit: 'euc-autopilot-local-audit', bus: 'euc-autopilot-local' };
const MINUTE = 60_000;

export async function runScenario(scenario: Scenario, progress: (at: number) => void = () => undefined): Promise<RunRecord> {
  const started = Date.now();
  const cloud = await LocalCloud.start({ startTime: new Date(scenario.from), seed: scenario.seed, lambdaAsyncRetries: true });
  try {
    if (scenario.faults) armFaults(cloud, scenario.faults);
    const operator = operatorOf(cloud);
    const samples: Sample[] = [];
    const actions = [...scenario.actions].sort((a, b) => a.at - b.at);
    const refused: RunRecord['refused'] = [];
    while (cloud.clock.now() < scenario.to) {
      const next = Math.min(scenario.to, cloud.clock.now() + MINUTE, actions[0]?.at ?? Infinity);
      if (scenario.faults) openWindows(cloud, scenario.faults);
      await cloud.clock.advanceTo(next);
      while (actions[0] && actions[0].at <= cloud.clock.now()) {
        const action = actions.shift()!;
        await act(operator, action).catch((error: unknown) => refused.push({ action, error: String(error) }));
      }
      if (cloud.clock.now() % MINUTE === 0) samples.push(...(await look(cloud)));
      progress(cloud.clock.now());
    }
    return {
      scenario,
      samples,
      audit: await readAudit(operator.documents),
      executions: cloud.snapshot().executions as Execution[],
      slack: [...cloud.slack.list()],
      slackStats: cloud.slack.stats(),
      cloudTrail: [...cloud.cloudTrail],
      cloudTrailDelivery: [...cloud.cloudTrailDelivery.log],
      deliveries: [...(cloud.snapshot().deliveries as Delivery[])],
      associations: await associations(cloud, scenario),
      crashes: [...cloud.faults.crashed],
      waitingInDigests: (await settledDigests(operator.documents, TABLES.state, Number.MAX_SAFE_INTEGER)).digests.flatMap((digest) => digest.entries.map((entry) => entry.id)),
      refused,
      wallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await cloud.stop();
  }
}

function armFaults(cloud: LocalCloud, plan: FaultPlan): void {
  cloud.faults.reseed(plan.seed);
  cloud.faults.replaceRules(plan.steady);
  for (const crash of plan.crashes) cloud.faults.crashAfter(crash);
  cloud.cloudTrailDelivery.set(plan.cloudTrail);
  for (const outage of plan.slackOutages) cloud.slack.addOutage(outage);
  cloud.slack.limitRate(plan.slackRateLimit);
  cloud.overlapSchedule(plan.overlap);
}

/** The steady rules plus the windows open now (windows and steps both start on whole minutes). */
function openWindows(cloud: LocalCloud, plan: FaultPlan): void {
  const now = cloud.clock.now();
  const open = plan.windows.filter((window) => window.from <= now && now < window.to);
  cloud.faults.replaceRules([...plan.steady, ...open.flatMap((window) => window.rules)]);
}

interface Operator {
  workspaces: WorkSpacesClient;
  documents: DynamoDBDocumentClient;
  eventBridge: EventBridgeClient;
}

function operatorOf(cloud: LocalCloud): Operator {
  // An operator's CLI retries throttles too: enough attempts that a 10 % throttle never stops it.
  const connection = { endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 8 };
  return {
    workspaces: new WorkSpacesClient(connection),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient(connection), { marshallOptions: { removeUndefinedValues: true } }),
    eventBridge: new EventBridgeClient(connection),
  };
}

async function act(operator: Operator, action: OperatorAction): Promise<unknown> {
  switch (action.kind) {
    case 'associate':
      return operator.workspaces.send(new AssociateWorkspaceApplicationCommand({ WorkspaceId: action.workspaceId, ApplicationId: action.applicationId }));
    case 'disassociate':
      return operator.workspaces.send(new DisassociateWorkspaceApplicationCommand({ WorkspaceId: action.workspaceId, ApplicationId: action.applicationId }));
    case 'stop': {
      // StopWorkspaces answers a refusal in FailedRequests, not as an error.
      const { FailedRequests = [] } = await operator.workspaces.send(new StopWorkspacesCommand({ StopWorkspaceRequests: [{ WorkspaceId: action.workspaceId }] }));
      if (FailedRequests[0]) throw new Error(`${FailedRequests[0].ErrorCode}: ${FailedRequests[0].ErrorMessage}`);
      return undefined;
    }
    case 'manual-change':
      return operator.workspaces.send(new UpdateWorkspacesPoolCommand({ PoolId: action.poolId, Capacity: { DesiredUserSessions: action.sessions } }));
    case 'override':
      return setOverride(
        { documents: operator.documents, eventBridge: operator.eventBridge, stateTable: TABLES.state, auditTable: TABLES.audit, eventBus: TABLES.bus, logger: { warn: () => undefined } },
        action.target,
        { id: action.id, kind: action.override, capacity: action.capacity, setAt: action.at, until: action.at + action.hours * 3_600_000, reason: 'Fault campaign operator', setBy: 'principal:operator' },
        `chaos-${action.id}`,
      );
  }
}

/** Desired, actual and in-use capacity of every pool and fleet, now (pools in sessions, fleets in instances). */
async function look(cloud: LocalCloud): Promise<Sample[]> {
  const at = cloud.clock.now();
  const { WorkspacesPools = [] } = (await cloud.look('WorkspacesService.DescribeWorkspacesPools')) as { WorkspacesPools?: WorkspacesPool[] };
  const { Fleets = [] } = (await cloud.look('PhotonAdminProxyService.DescribeFleets')) as { Fleets?: Fleet[] };
  return [
    ...WorkspacesPools.map((pool) => ({
      at,
      target: `pool/${pool.PoolId}`,
      desired: pool.State === 'STOPPED' ? 0 : (pool.CapacityStatus?.DesiredUserSessions ?? 0),
      actual: pool.State === 'STOPPED' ? 0 : (pool.CapacityStatus?.ActualUserSessions ?? 0),
      inUse: pool.CapacityStatus?.ActiveUserSessions ?? 0,
    })),
    ...Fleets.map((fleet) => ({
      at,
      target: `fleet/${fleet.Name}`,
      desired: fleet.State === 'STOPPED' ? 0 : (fleet.ComputeCapacityStatus?.Desired ?? 0),
      actual: fleet.ComputeCapacityStatus?.Running ?? 0,
      inUse: fleet.ComputeCapacityStatus?.InUse ?? 0,
    })),
  ];
}

async function readAudit(documents: DynamoDBDocumentClient): Promise<AuditRecord[]> {
  const items: AuditRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: TABLES.audit, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map(fromItem));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => a.at - b.at);
}

async function associations(cloud: LocalCloud, scenario: Scenario): Promise<Map<string, WorkspaceResourceAssociation[]>> {
  const ids = new Set(scenario.actions.flatMap((action) => ('workspaceId' in action ? [action.workspaceId] : [])));
  const found = new Map<string, WorkspaceResourceAssociation[]>();
  for (const id of ids) {
    const { Associations = [] } = (await cloud.look('WorkspacesService.DescribeWorkspaceAssociations', {
      WorkspaceId: id,
      AssociatedResourceTypes: ['APPLICATION'],
    })) as { Associations?: WorkspaceResourceAssociation[] };
    found.set(id, Associations);
  }
  return found;
}
