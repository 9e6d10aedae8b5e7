import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeFleetsCommand, AppStreamClient } from '@aws-sdk/client-appstream';
import { DescribeWorkspacesPoolsCommand, UpdateWorkspacesPoolCommand, WorkSpacesClient } from '@aws-sdk/client-workspaces';
import type { Command } from 'commander';
import { LOCAL_CREDENTIALS, LocalCloud, PROJECT_ROOT } from '#local/cloud.ts';
import { readSeed } from './cloud.ts';
import path from 'node:path';

/**
 * `autopilot start` (what `npm start` runs). Until the autopilot's own jobs land (capacity,
 * deployments), it walks through the foundation they run on: the local cloud with the demo
 * account, an operator's capacity change converging over a simulated morning, the CloudTrail
 * event it caused, and a notice travelling bus → notifier → Slack, all on the accelerated clock.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run euc-autopilot end to end on the built-in local cloud')
    .action(async () => {
      const cloud = await LocalCloud.start({ seed: await readSeed(path.join(PROJECT_ROOT, 'local/seeds/demo.yml')) });
      try {
        await tour(cloud, (line) => process.stdout.write(`${line}\n`));
      } finally {
        await cloud.stop();
      }
    });
}

async function tour(cloud: LocalCloud, say: (line: string) => void): Promise<void> {
  const config = { endpoint: cloud.url, region: cloud.region, credentials: LOCAL_CREDENTIALS };
  const workspaces = new WorkSpacesClient(config);
  const appstream = new AppStreamClient(config);
  const eventbridge = new EventBridgeClient(config);
  const clock = () => new Date(cloud.clock.now()).toISOString().slice(0, 16).replace('T', ' ');

  say(`euc-autopilot on the local cloud at ${cloud.url} — ${clock()} UTC`);
  const { WorkspacesPools = [] } = await workspaces.send(new DescribeWorkspacesPoolsCommand({}));
  for (const pool of WorkspacesPools) {
    say(`  pool  ${pool.PoolName} (${pool.PoolId}) ${pool.State}, ${pool.CapacityStatus?.DesiredUserSessions} sessions`);
  }
  const { Fleets = [] } = await appstream.send(new DescribeFleetsCommand({}));
  for (const fleet of Fleets) {
    say(`  fleet ${fleet.Name} ${fleet.State}, ${fleet.ComputeCapacityStatus?.Desired} instances`);
  }

  const poolId = 'wspool-berlin001';
  say(`\n${clock()}  an operator scales berlin_sales to 40 sessions before the office opens`);
  await workspaces.send(new UpdateWorkspacesPoolCommand({ PoolId: poolId, Capacity: { DesiredUserSessions: 40 } }));
  const [event] = cloud.cloudTrail.slice(-1);
  say(`${clock()}  CloudTrail: ${event?.detail.eventName} by ${event?.detail.userIdentity.arn}`);
  // Minutes after the change at which to look: the update and the ramp-up, then the morning.
  let elapsed = 0;
  for (const minutes of [1, 2, 3, 4, 60, 180, 360]) {
    await cloud.clock.advance((minutes - elapsed) * 60_000);
    elapsed = minutes;
    const { WorkspacesPools: [pool] = [] } = await workspaces.send(new DescribeWorkspacesPoolsCommand({ PoolIds: [poolId] }));
    const status = pool?.CapacityStatus;
    say(`${clock()}  berlin_sales ${pool?.State}: ${status?.ActualUserSessions}/${status?.DesiredUserSessions} up, ${status?.ActiveUserSessions} in use`);
  }

  say(`\n${clock()}  publishing an Operator Notice on the euc-autopilot bus`);
  await eventbridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: `euc-autopilot-${cloud.stage}`,
          Source: 'euc-autopilot',
          DetailType: 'Operator Notice',
          Detail: JSON.stringify({
            metadata: { eventVersion: 1, eventTime: new Date(cloud.clock.now()).toISOString(), correlationId: 'npm-start' },
            data: { severity: 'info', title: 'berlin_sales is ready for the day', text: '40 sessions up before 09:00 Berlin.', facts: [], target: `pool/${poolId}` },
          }),
        },
      ],
    }),
  );
  await cloud.clock.advance(0);
  const messages = cloud.slack.list();
  if (messages.length === 0) throw new Error('the notice did not reach Slack; see the deliveries at /_local/events');
  for (const message of messages) say(`${clock()}  Slack ← ${JSON.stringify((message.payload as { text?: string }).text)}`);
  say(`\nThe scheduler, usage scaling and application deployments run here as they land; see README.md.`);
}
