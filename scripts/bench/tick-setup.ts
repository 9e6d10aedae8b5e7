import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { reconcile, type ReconcileDeps, type TargetOutcome } from '#lib/capacity/reconcile.ts';
import { BATCH_GET_KEYS } from '#lib/state/batch-get.ts';
import { policyFileSchema, type PolicyFile } from '#lib/policy/schema.ts';
import { createTargetClients, type TargetClients } from '#lib/targets/index.ts';
import { POOLS_PAGE_SIZE } from '#lib/targets/pools.ts';
import { LOCAL_CREDENTIALS, type LocalCloud } from '#local/cloud.ts';
import { PAGE_SIZE as FLEETS_PAGE_SIZE } from '#local/services/appstream/requests.ts';

/**
 * What the tick-cost benchmark (scripts/bench/tick.ts) and its CI-sized test
 * (test/capacity/tick-cost.integration.test.ts) share: a local cloud seeded with N pools and M
 * fleets under two policies, the tick's use case called with real SDK clients over HTTP (as the
 * capacity-tick handler builds them), the calls it made as the local cloud counted them, and the
 * fewest calls the APIs allow for the same work.
 */

/** The tick's own access key: the cloud counts its calls apart from anyone else's. */
export const TICK_CREDENTIALS = { ...LOCAL_CREDENTIALS, accessKeyId: 'AKIABENCHTICK' };

/** Every target is seeded at, and held by its policy's floor at, this capacity. */
export const CAPACITY = 4;

const STATE_TABLE = 'euc-autopilot-local-state';
const AUDIT_TABLE = 'euc-autopilot-local-audit';
const EVENT_BUS = 'euc-autopilot-local';

export const poolIdOf = (index: number) => `wspool-${String(index).padStart(9, '0')}`;
export const fleetNameOf = (index: number) => `bench-fleet-${String(index).padStart(5, '0')}`;

/** Seeds `pools` pools and `fleets` single-session fleets (tagged autopilot=managed), RUNNING at CAPACITY. */
export function seedTargets(cloud: LocalCloud, pools: number, fleets: number): void {
  cloud.seed({
    workspaces: {
      // An account this big has had its pool quota raised (the emulator's default is AWS's 50).
      poolQuota: Math.max(pools, 50),
      pools: Array.from({ length: pools }, (_, index) => ({
        PoolId: poolIdOf(index),
        PoolName: `bench_pool_${String(index).padStart(5, '0')}`,
        Description: 'bench desktops',
        BundleId: 'wsb-0a1b2c3d4',
        DirectoryId: 'd-90670a1b2c',
        Capacity: { DesiredUserSessions: CAPACITY },
      })),
    },
    appstream: {
      fleets: Array.from({ length: fleets }, (_, index) => ({
        Name: fleetNameOf(index),
        ImageName: 'office-apps-2026-11',
        InstanceType: 'stream.standard.medium',
        FleetType: 'ALWAYS_ON',
        ComputeCapacity: { DesiredInstances: CAPACITY },
        Tags: { autopilot: 'managed' },
      })),
    },
  });
}

/**
 * Two policies, one per kind, selecting by name pattern (or, with `fleetTags`, the fleets by a
 * tag, which costs a ListTagsForResource per fleet): a floor of CAPACITY all day and a usage rule,
 * so every tick evaluates the usage recommendation and the state writes it implies.
 */
export function benchPolicies(options: { fleetTags?: boolean } = {}): PolicyFile {
  const rules = { min: 0, max: 60, windows: [{ name: 'all-day', start: '00:00', end: '23:59', floor: CAPACITY }], usage: { minFreeSessions: 1 } };
  const fleetSelector = options.fleetTags ? { kind: 'fleet', tags: { autopilot: 'managed' } } : { kind: 'fleet', namePattern: 'bench-fleet-*' };
  return policyFileSchema.parse({
    version: 1,
    policies: [
      { name: 'bench-pools', targets: [{ kind: 'pool', namePattern: 'bench_pool_*' }], ...rules },
      { name: 'bench-fleets', targets: [fleetSelector], ...rules },
    ],
  });
}

/**
 * The tick's dependencies as the handler builds them (functions/capacity-tick.ts), pointed at the
 * cloud. The workflow is the given state machine, else one that only parks for a day, so the
 * changes a tick starts do no work of their own while the tick is measured (the workflow's steps
 * are not the tick's).
 */
export async function tickDeps(cloud: LocalCloud, workflow?: string): Promise<ReconcileDeps & { clients: TargetClients }> {
  const connection = { endpoint: cloud.url, region: cloud.region, credentials: TICK_CREDENTIALS };
  const sfn = new SFNClient(connection);
  const { stateMachineArn } = workflow !== undefined ? { stateMachineArn: workflow } : await sfn.send(
    new CreateStateMachineCommand({
      name: `bench-parked-${Date.now()}`,
      roleArn: `arn:aws:iam::${cloud.accountId}:role/bench`,
      definition: JSON.stringify({ StartAt: 'Park', States: { Park: { Type: 'Wait', Seconds: 86_400, End: true } } }),
    }),
  );
  return {
    clients: createTargetClients(connection),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient(connection), { marshallOptions: { removeUndefinedValues: true } }),
    eventBridge: new EventBridgeClient(connection),
    sfn,
    stateTable: STATE_TABLE,
    auditTable: AUDIT_TABLE,
    eventBus: EVENT_BUS,
    stateMachineArn: stateMachineArn!,
    logger: { info: () => undefined, warn: () => undefined },
  };
}

export interface TickRun {
  wallMs: number;
  outcomes: Record<string, number>;
  /** Calls the tick made, by operation (`DescribeWorkspacesPools`, `BatchGetItem`…). */
  calls: Record<string, number>;
  total: number;
  /** DynamoDB writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems). */
  writes: number;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** One reconcile at the cloud's now, timed, with the calls the cloud counted from the tick's key. */
export async function runTick(cloud: LocalCloud, deps: ReconcileDeps, file: PolicyFile, id: string): Promise<TickRun> {
  cloud.calls.reset();
  const started = performance.now();
  const result: TargetOutcome[] = await reconcile(file, deps, cloud.clock.now(), id);
  const wallMs = performance.now() - started;
  const calls: Record<string, number> = {};
  for (const [target, count] of Object.entries(cloud.calls.byOperation(TICK_CREDENTIALS.accessKeyId))) {
    const operation = target.split('.').at(-1)!;
    calls[operation] = (calls[operation] ?? 0) + count;
  }
  const outcomes: Record<string, number> = {};
  for (const { outcome } of result) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  const total = Object.values(calls).reduce((sum, count) => sum + count, 0);
  const writes = Object.entries(calls).reduce((sum, [operation, count]) => sum + (WRITES.has(operation) ? count : 0), 0);
  return { wallMs, outcomes, calls, total, writes };
}

/**
 * The fewest calls the APIs allow for one tick over an account of `pools` pools and `fleets`
 * fleets, all managed, none under native scaling, of which `changes` get a new capacity:
 * DescribeWorkspacesPools pages 25 pools at most; DescribeFleets takes no page size (the local
 * cloud answers 20 a page; AWS documents none); DescribeScalableTargets lists a namespace's
 * scalable targets 50 a page, so one call per namespace when few are registered; BatchGetItem
 * reads 100 keys; a tag selector needs one tag call per candidate (no Describe answer carries
 * tags); each change needs its own conditional PutItem (a claim cannot share a batch: one lost race
 * must not cancel the others) and its own StartExecution (no batch API). On the first tick
 * (`firstTick`) every target's first usage recommendation must be stored, with the same
 * conditional PutItem each.
 */
export function minimumCalls(account: { pools: number; fleets: number; changes: number; fleetTags?: boolean; firstTick?: boolean }): Record<string, number> {
  const { pools, fleets, changes } = account;
  const minimum: Record<string, number> = {
    DescribeWorkspacesPools: Math.max(1, Math.ceil(pools / POOLS_PAGE_SIZE)),
    DescribeFleets: Math.max(1, Math.ceil(fleets / FLEETS_PAGE_SIZE)),
    DescribeScalableTargets: (pools > 0 ? 1 : 0) + (fleets > 0 ? 1 : 0),
    BatchGetItem: Math.ceil((pools + fleets) / BATCH_GET_KEYS),
  };
  if (account.fleetTags) minimum.ListTagsForResource = fleets;
  if (account.firstTick) minimum.PutItem = pools + fleets;
  if (changes > 0) Object.assign(minimum, { PutItem: (minimum.PutItem ?? 0) + changes, StartExecution: changes });
  return minimum;
}
