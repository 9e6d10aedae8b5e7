import { UpdateFleetCommand, AppStreamClient } from '@aws-sdk/client-appstream';
import { UpdateWorkspacesPoolCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { LOCAL_CREDENTIALS, LocalCloud } from '#local/cloud.ts';
import { option, printFigures } from './args.ts';
import { benchPolicies, CAPACITY, fleetNameOf, minimumCalls, poolIdOf, runTick, seedTargets, tickDeps, type TickRun } from './tick-setup.ts';

/**
 * `npm run bench:tick`: one capacity tick over 2,000 pools and fleets (--pools, --fleets) on the local cloud,
 * with 20 ms (--latency) of wall-clock latency injected into every AWS call (the local cloud's latency
 * fault on `*`), timed and its calls counted by the cloud, against the fewest the APIs allow.
 * Three ticks a minute apart: the first ever (every state written once: usage recommendations),
 * one where nothing changed (must write nothing), and one after 10 % (--change) of the targets had their
 * capacity changed by hand (the tick restores each: a claim and a workflow start each).
 * `--fleet-tags` selects the fleets by a tag instead of a name pattern. Not a test.
 */
// The account: 1,000 pools (the seed raises the emulator's pool quota) and 1,000 fleets.
const pools = option('pools', 1000);
const fleets = option('fleets', 1000);
const latencyMs = option('latency', 20);
const share = option('change', 0.1);
const fleetTags = process.argv.includes('--fleet-tags');

const cloud = await LocalCloud.start({ startTime: new Date('2026-11-23T08:00:00Z'), schedules: false, cloudTrailDelivery: false });
try {
  seedTargets(cloud, pools, fleets);
  const deps = await tickDeps(cloud);
  const file = benchPolicies({ fleetTags });
  cloud.faults.add({ operation: '*', kind: 'latency', latencyMs });

  const first = await runTick(cloud, deps, file, 'bench-first');
  await cloud.clock.advance(60_000);
  const unchanged = await runTick(cloud, deps, file, 'bench-unchanged');

  cloud.faults.clear();
  const changed = await changeByHand();
  // Past the pools' UPDATING (2 minutes), so the tick restores them instead of deferring.
  await cloud.clock.advance(3 * 60_000);
  cloud.faults.add({ operation: '*', kind: 'latency', latencyMs });
  const restoring = await runTick(cloud, deps, file, 'bench-changed');

  const account = `${pools} pools + ${fleets} fleets (${fleetTags ? 'fleets selected by tag' : 'selected by name pattern'}), ${latencyMs} ms latency per AWS call`;
  printFigures(`tick: ${account}`, [
    ...describe('first tick (no state yet)', first, minimumCalls({ pools, fleets, changes: 0, fleetTags, firstTick: true })),
    ...describe('nothing changed', unchanged, minimumCalls({ pools, fleets, changes: 0, fleetTags })),
    ...describe(`${changed} targets changed (${share * 100} %)`, restoring, minimumCalls({ pools, fleets, changes: changed, fleetTags })),
  ]);
} finally {
  await cloud.stop();
}

/** Sets every 1/share-th pool and fleet one below its policy's floor, as an operator would. */
async function changeByHand(): Promise<number> {
  const config = { endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS };
  const workspaces = new WorkSpacesClient(config);
  const appstream = new AppStreamClient(config);
  const every = Math.round(1 / share);
  const calls: Array<Promise<unknown>> = [];
  for (let index = 0; index < pools; index += every)
    calls.push(workspaces.send(new UpdateWorkspacesPoolCommand({ PoolId: poolIdOf(index), Capacity: { DesiredUserSessions: CAPACITY - 1 } })));
  for (let index = 0; index < fleets; index += every)
    calls.push(appstream.send(new UpdateFleetCommand({ Name: fleetNameOf(index), ComputeCapacity: { DesiredInstances: CAPACITY - 1 } })));
  await Promise.all(calls);
  return calls.length;
}

function describe(label: string, run: TickRun, minimum: Record<string, number>): string[] {
  const least = Object.values(minimum).reduce((sum, count) => sum + count, 0);
  const operations = [...new Set([...Object.keys(run.calls), ...Object.keys(minimum)])].sort();
  return [
    `${label}: wall ${(run.wallMs / 1000).toFixed(2)} s, ${run.total} calls (minimum ${least}, ${(run.total / least).toFixed(3)}×), ${run.writes} DynamoDB writes; outcomes ${JSON.stringify(run.outcomes)}`,
    ...operations.map((operation) => `    ${operation.padEnd(26)} ${String(run.calls[operation] ?? 0).padStart(5)}   minimum ${minimum[operation] ?? 0}`),
  ];
}
