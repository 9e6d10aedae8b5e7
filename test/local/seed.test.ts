import { DescribeFleetsCommand, DescribeSessionsCommand } from '@aws-sdk/client-appstream';
import { DescribeApplicationsCommand, DescribeWorkspacesCommand, DescribeWorkspacesPoolsCommand } from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { readSeed } from '../../cli/cloud.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

describe('the demo seed', () => {
  const local = useLocalCloud();

  it('loads pools, fleets, WorkSpaces, applications and a day of users at its own clock', async () => {
    const answer = await local.admin.seed(await readSeed('local/seeds/demo.yml'));
    expect(answer.now).toBe('2026-11-23T05:00:00.000Z');

    const { WorkspacesPools } = await local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({}));
    expect(WorkspacesPools?.map((pool) => [pool.PoolName, pool.State])).toEqual([
      ['berlin_sales', 'RUNNING'],
      ['newyork_support', 'RUNNING'],
    ]);
    const { Fleets } = await local.clients.appstream.send(new DescribeFleetsCommand({}));
    expect(Fleets?.map((fleet) => fleet.Name).sort()).toEqual(['berlin-office-apps', 'newyork-design-tools']);
    const { Workspaces } = await local.clients.workspaces.send(new DescribeWorkspacesCommand({}));
    expect(Workspaces?.map((w) => w.WorkspaceProperties?.OperatingSystemName).sort()).toEqual([
      'AMAZON_LINUX_2',
      'WINDOWS_11',
      'WINDOWS_SERVER_2022',
    ]);
    const { Applications } = await local.clients.workspaces.send(new DescribeApplicationsCommand({}));
    expect(Applications).toHaveLength(3);
  });

  it('puts users on the capacity as the clock reaches the working day, never more than there is', async () => {
    await local.admin.advanceTo('2026-11-23T09:30:00Z');
    const pools = await local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({ PoolIds: ['wspool-berlin001'] }));
    // 35 users want a session; the pool still has the 5 it was seeded with.
    expect(pools.WorkspacesPools?.[0]?.CapacityStatus).toMatchObject({ ActiveUserSessions: 5, AvailableUserSessions: 0 });
    const sessions = await local.clients.appstream.send(
      new DescribeSessionsCommand({ StackName: 'berlin-office', FleetName: 'berlin-office-apps', AuthenticationType: 'SAML' }),
    );
    expect(sessions.Sessions).toHaveLength(2);
  });

  it('refuses a seed with a mistake and names where it is', async () => {
    await expect(
      local.admin.seed({ usage: [{ kind: 'pool', id: 'wspool-berlin001', curve: [{ at: 'tomorrow', sessions: 3 }] }] }),
    ).rejects.toThrow(/usage\[0\]\.curve\[0\]\.at must be an ISO 8601 time/);
    await expect(local.admin.seed({ workspaces: { pools: [{ PoolName: 'x y' }] } })).rejects.toThrow(
      /workspaces\.pools\[0\]/,
    );
  });
});
