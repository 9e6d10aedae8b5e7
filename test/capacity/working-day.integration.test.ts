import { DescribeFleetsCommand, type Fleet } from '@aws-sdk/client-appstream';
import { DescribeWorkspacesPoolsCommand, type WorkspacesPool } from '@aws-sdk/client-workspaces';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { readSeed } from '../../cli/cloud.ts';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

/**
 * A working Monday (2026-11-23) of the demo account under config/policies.yml, with the real
 * capacity-tick firing every minute on the local clock, the capacity-change workflow, the audit
 * table and the notifier, all as serverless.yml wires them. Users follow local/seeds/demo.yml.
 */
describe('a working day under the demo policies', () => {
  const local = useLocalCloud({ echoFunctionLogs: false, schedules: true });
  const BERLIN_POOL = 'wspool-berlin001';

  async function at(time: string): Promise<{ pools: Map<string, WorkspacesPool>; fleets: Map<string, Fleet> }> {
    await local.admin.advanceTo(`2026-11-23T${time}:00Z`);
    const { WorkspacesPools = [] } = await local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({}));
    const { Fleets = [] } = await local.clients.appstream.send(new DescribeFleetsCommand({}));
    for (const pool of WorkspacesPools) {
      // Never below the sessions in use, at every look.
      expect(pool.CapacityStatus!.DesiredUserSessions!).toBeGreaterThanOrEqual(pool.CapacityStatus!.ActiveUserSessions!);
    }
    return {
      pools: new Map(WorkspacesPools.map((pool) => [pool.PoolId!, pool])),
      fleets: new Map(Fleets.map((fleet) => [fleet.Name!, fleet])),
    };
  }

  it('stops the design fleet for the night and brings Berlin down to its off-hours floor', async () => {
    await local.admin.seed(await readSeed('local/seeds/demo.yml'));
    const night = await at('05:20');
    expect(night.fleets.get('newyork-design-tools')?.State).toBe('STOPPED');
    expect(night.pools.get(BERLIN_POOL)?.CapacityStatus?.DesiredUserSessions).toBe(2);
  });

  it('has the Berlin morning capacity available when the office opens at 07:00 local', async () => {
    const opening = await at('06:00');
    expect(opening.pools.get(BERLIN_POOL)).toMatchObject({
      State: 'RUNNING',
      CapacityStatus: { DesiredUserSessions: 30, ActualUserSessions: 30 },
    });
  });

  it('scales out with usage at the 09:00 rush so every user finds a session', async () => {
    const rush = await at('08:30');
    const status = rush.pools.get(BERLIN_POOL)!.CapacityStatus!;
    expect(status.ActiveUserSessions).toBe(35); // all 35 users who want one
    expect(status.DesiredUserSessions).toBeGreaterThan(35);
  });

  it('starts the stopped design fleet early enough to be ready at 09:00 New York', async () => {
    const morning = await at('14:00');
    const fleet = morning.fleets.get('newyork-design-tools')!;
    expect(fleet.State).toBe('RUNNING');
    expect(fleet.ComputeCapacityStatus?.Running).toBeGreaterThanOrEqual(2);
  });

  it('scales in slowly after users leave, within the stabilization window', async () => {
    // 38 users until 15:00Z, then 12: the 30-minute stabilization keeps capacity up at first.
    const justAfter = await at('15:10');
    expect(justAfter.pools.get(BERLIN_POOL)!.CapacityStatus!.DesiredUserSessions).toBeGreaterThanOrEqual(45);
    const later = await at('16:10');
    expect(later.pools.get(BERLIN_POOL)!.CapacityStatus!.DesiredUserSessions).toBeLessThan(30);
    const evening = await at('17:30');
    expect(evening.pools.get(BERLIN_POOL)!.CapacityStatus!.DesiredUserSessions).toBe(2);
  });

  it('explains every change in the audit table and in Slack', async () => {
    const documents = DynamoDBDocumentClient.from(local.clients.dynamodb);
    const history = await queryAudit(documents, 'euc-autopilot-local-audit', { target: `pool/${BERLIN_POOL}`, order: 'oldest-first' });
    const changes = history.filter((entry) => entry.kind === 'capacity-changed');
    expect(changes.map((entry) => entry.actor)).toEqual(expect.arrayContaining(['schedule:business-hours', 'usage']));
    expect(changes.find((entry) => entry.actor === 'schedule:business-hours')).toMatchObject({ before: 2, after: 30 });
    const design = await queryAudit(documents, 'euc-autopilot-local-audit', { target: 'fleet/newyork-design-tools', order: 'oldest-first' });
    expect(design.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['stopped', 'started', 'capacity-changed']));

    const texts = (await local.admin.slackMessages()).map((message) => JSON.stringify(message.payload));
    expect(texts.some((text) => text.includes('berlin_sales') && text.includes('2 → 30'))).toBe(true);
  });
});
