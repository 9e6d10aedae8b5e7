import { AssociateWorkspaceApplicationCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import { policyFileSchema } from '#lib/policy/schema.ts';
import { LOCAL_CREDENTIALS, LocalCloud } from '#local/cloud.ts';
import { LocalAdminClient } from '#local/client.ts';
import { printFigures } from './args.ts';
import { runTick, tickDeps } from './tick-setup.ts';

/**
 * `npm run bench:transitions`: Step Functions state transitions (what AWS bills) of the two
 * workflows on the local cloud running the real state machines and functions:
 * - deploy-applications for a typical deployment, as test/apps/deploy-applications.integration.test.ts
 *   sets it up: an application associated with an AVAILABLE WorkSpace (the emulator installs it
 *   in 10 minutes; the workflow looks at 1, 3, 7 and 15 minutes), goal ≤ 15;
 * - capacity-change for a pool scale-out (4 → 12 sessions) and a fleet scale-out (2 → 6
 *   instances) that the tick starts, until each converges.
 * Not a test.
 */
const STACK = 'euc-autopilot-local';
const ACCOUNT = '123456789012';
const machineArn = (name: string) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${STACK}-${name}`;

interface Execution {
  name: string;
  stateMachine: string;
  status: string;
  transitions?: number;
}

const cloud = await LocalCloud.start({ startTime: new Date('2026-11-23T08:00:00Z'), schedules: false, cloudTrailDelivery: true, accountId: ACCOUNT });
try {
  const admin = new LocalAdminClient(cloud.url);
  const lines = [await deployment(admin), ...(await capacityChanges(admin))];
  printFigures('state transitions per workflow run (local cloud, real state machines)', lines);
} finally {
  await cloud.stop();
}

async function deployment(admin: LocalAdminClient): Promise<string> {
  const ws = 'ws-bench00001';
  cloud.seed({
    workspaces: {
      workspaces: [
        {
          WorkspaceId: ws,
          DirectoryId: 'd-90670a1b2c',
          UserName: 'bench-user',
          BundleId: 'wsb-0a1b2c3d4',
          WorkspaceProperties: { OperatingSystemName: 'WINDOWS_11', ComputeTypeName: 'PERFORMANCE', RunningMode: 'AUTO_STOP' },
        },
      ],
      applications: [{ ApplicationId: 'wsa-firefox01', Name: 'Firefox', SupportedOperatingSystemNames: ['WINDOWS_11'], SupportedComputeTypeNames: ['PERFORMANCE'] }],
    },
  });
  const workspaces = new WorkSpacesClient({ endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS });
  await workspaces.send(new AssociateWorkspaceApplicationCommand({ WorkspaceId: ws, ApplicationId: 'wsa-firefox01' }));
  await admin.advance(0); // the CloudTrail event reaches the reactor, which starts the workflow
  await admin.advance(16 * 60);
  const runs = ((await admin.executions()) as Execution[]).filter((run) => run.stateMachine === `${STACK}-deploy-applications`);
  return `deploy-applications, one application installed in 10 min: ${runs.map((run) => `${run.transitions} transitions (${run.status})`).join(', ')} — goal ≤ 15`;
}

async function capacityChanges(admin: LocalAdminClient): Promise<string[]> {
  cloud.seed({
    workspaces: { pools: [{ PoolId: 'wspool-bench0001', PoolName: 'bench_scale_out', Description: 'bench', BundleId: 'wsb-0a1b2c3d4', DirectoryId: 'd-90670a1b2c', Capacity: { DesiredUserSessions: 4 } }] },
    appstream: { fleets: [{ Name: 'bench-scale-out', ImageName: 'office-apps-2026-11', InstanceType: 'stream.standard.medium', FleetType: 'ALWAYS_ON', ComputeCapacity: { DesiredInstances: 2 } }] },
  });
  const window = (capacity: number) => ({ min: 0, max: 60, windows: [{ name: 'all-day', start: '00:00', end: '23:59', capacity }] });
  const file = policyFileSchema.parse({
    version: 1,
    policies: [
      { name: 'bench-pool', targets: [{ kind: 'pool', id: 'wspool-bench0001' }], ...window(12) },
      { name: 'bench-fleet', targets: [{ kind: 'fleet', id: 'bench-scale-out' }], ...window(6) },
    ],
  });
  const run = await runTick(cloud, await tickDeps(cloud, machineArn('capacity-change')), file, 'bench-transitions');
  await admin.advance(30 * 60);
  const runs = ((await admin.executions()) as Execution[]).filter((execution) => execution.stateMachine === `${STACK}-capacity-change`);
  return [
    `capacity-change (tick outcomes ${JSON.stringify(run.outcomes)}), until converged:`,
    ...runs.map((execution) => `    ${execution.name.startsWith('pool') ? 'pool 4 → 12 sessions ' : 'fleet 2 → 6 instances'}: ${execution.transitions} transitions (${execution.status})`),
  ];
}
