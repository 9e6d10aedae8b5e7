import {
  CreateTagsCommand,
  CreateWorkspacesPoolCommand,
  DeleteTagsCommand,
  DescribeTagsCommand,
  DescribeWorkspacesPoolSessionsCommand,
  DescribeWorkspacesPoolsCommand,
  StartWorkspacesPoolCommand,
  StopWorkspacesPoolCommand,
  TerminateWorkspacesPoolCommand,
  UpdateWorkspacesPoolCommand,
  type CreateWorkspacesPoolCommandInput,
  type DescribeWorkspacesPoolsCommandInput,
  type WorkspacesPool,
} from '@aws-sdk/client-workspaces';
import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalCloud } from '#test/support/cloud.ts';

/**
 * Conformance of the local cloud's WorkSpaces Pools with the WorkSpaces API, driven only through
 * the real @aws-sdk/client-workspaces. Defaults under test (local/services/workspaces/pool-lifecycle.ts):
 * CREATING 10 min, UPDATING 2 min, STARTING/STOPPING/DELETING 5 min, 10 sessions per minute.
 */
const CREATING_SECONDS = 600;
const UPDATING_SECONDS = 120;
const TRANSITION_SECONDS = 300;

function poolRequest(
  name: string,
  overrides: Partial<CreateWorkspacesPoolCommandInput> = {},
): CreateWorkspacesPoolCommandInput {
  return {
    PoolName: name,
    Description: 'Call centre desktops',
    BundleId: 'wsb-0123abcd',
    DirectoryId: 'd-0123456789',
    Capacity: { DesiredUserSessions: 10 },
    ...overrides,
  };
}

function usePools() {
  const local = useLocalCloud();

  async function createPool(name: string, overrides: Partial<CreateWorkspacesPoolCommandInput> = {}): Promise<string> {
    const { WorkspacesPool } = await local.clients.workspaces.send(
      new CreateWorkspacesPoolCommand(poolRequest(name, overrides)),
    );
    return present(WorkspacesPool?.PoolId);
  }

  /** A pool that is RUNNING at its full desired capacity, placed by a seed. */
  async function runningPool(id: string, desired: number, seed: Record<string, unknown> = {}): Promise<string> {
    await local.admin.seed({
      workspaces: {
        pools: [{ ...poolRequest(`pool-${id}`), Capacity: { DesiredUserSessions: desired }, PoolId: id, ...seed }],
      },
    });
    return id;
  }

  async function describePool(id: string): Promise<WorkspacesPool> {
    const { WorkspacesPools } = await local.clients.workspaces.send(
      new DescribeWorkspacesPoolsCommand({ PoolIds: [id] }),
    );
    return present(WorkspacesPools?.[0]);
  }

  async function namesOf(input: DescribeWorkspacesPoolsCommandInput): Promise<string[]> {
    const { WorkspacesPools = [] } = await local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand(input));
    return WorkspacesPools.map((pool) => present(pool.PoolName));
  }

  return { local, createPool, runningPool, describePool, namesOf };
}

function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value in the response');
  return value;
}

describe('WorkSpaces Pools in the local cloud', () => {
  const { local, createPool, runningPool, describePool, namesOf } = usePools();
  const workspaces = () => local.clients.workspaces;

  describe('CreateWorkspacesPool', () => {
    it('creates a pool in CREATING with an id, an ARN, no capacity yet and the settings asked for', async () => {
      // Prepare
      const { epochMs } = await local.admin.clock();
      // Act
      const { WorkspacesPool: pool } = await workspaces().send(
        new CreateWorkspacesPoolCommand(poolRequest('created-pool', { Capacity: { DesiredUserSessions: 25 } })),
      );
      // Assess
      expect(pool?.PoolId).toMatch(/^wspool-[0-9a-z]{9}$/);
      expect(pool).toMatchObject({
        PoolArn: `arn:aws:workspaces:us-east-1:123456789012:workspacespool/${pool?.PoolId}`,
        PoolName: 'created-pool',
        Description: 'Call centre desktops',
        BundleId: 'wsb-0123abcd',
        DirectoryId: 'd-0123456789',
        State: 'CREATING',
        CreatedAt: new Date(epochMs),
        RunningMode: 'ALWAYS_ON',
        CapacityStatus: {
          DesiredUserSessions: 25,
          ActualUserSessions: 0,
          ActiveUserSessions: 0,
          AvailableUserSessions: 0,
        },
        ApplicationSettings: { Status: 'DISABLED' },
        TimeoutSettings: {
          DisconnectTimeoutInSeconds: 900,
          IdleDisconnectTimeoutInSeconds: 900,
          MaxUserDurationInSeconds: 57600,
        },
      });
    });

    it('keeps the optional settings it is given', async () => {
      const { WorkspacesPool: pool } = await workspaces().send(
        new CreateWorkspacesPoolCommand(
          poolRequest('settings-pool', {
            RunningMode: 'AUTO_STOP',
            ApplicationSettings: { Status: 'ENABLED', SettingsGroup: 'call-centre' },
            TimeoutSettings: { MaxUserDurationInSeconds: 7200 },
          }),
        ),
      );
      expect(pool).toMatchObject({
        RunningMode: 'AUTO_STOP',
        ApplicationSettings: {
          Status: 'ENABLED',
          SettingsGroup: 'call-centre',
          S3BucketName: 'wspool-app-settings-us-east-1-123456789012',
        },
        TimeoutSettings: { DisconnectTimeoutInSeconds: 900, MaxUserDurationInSeconds: 7200 },
      });
    });

    it.each(['PoolName', 'Description', 'BundleId', 'DirectoryId', 'Capacity'] as const)(
      'refuses a request without %s, naming it',
      async (member) => {
        const request = { ...poolRequest('missing-member'), [member]: undefined };
        await expect(workspaces().send(new CreateWorkspacesPoolCommand(request))).rejects.toMatchObject({
          name: 'InvalidParameterValuesException',
          message: expect.stringContaining(`'${member}' failed to satisfy constraint: Member must not be null`),
        });
      },
    );

    it.each([
      ['PoolName', { PoolName: '-leading-dash' }],
      ['Description', { Description: 'no; semicolons' }],
      ['BundleId', { BundleId: 'bundle-1234' }],
      ['DirectoryId', { DirectoryId: 'd-xyz' }],
      ['Capacity.DesiredUserSessions', { Capacity: { DesiredUserSessions: -1 } }],
      ['ApplicationSettings.Status', { ApplicationSettings: { Status: 'SOMETIMES' } }],
      ['ApplicationSettings.SettingsGroup', { ApplicationSettings: { Status: 'ENABLED', SettingsGroup: 'a b' } }],
      ['TimeoutSettings.DisconnectTimeoutInSeconds', { TimeoutSettings: { DisconnectTimeoutInSeconds: 59 } }],
      [
        'TimeoutSettings.IdleDisconnectTimeoutInSeconds',
        { TimeoutSettings: { IdleDisconnectTimeoutInSeconds: 36001 } },
      ],
      ['TimeoutSettings.MaxUserDurationInSeconds', { TimeoutSettings: { MaxUserDurationInSeconds: 599 } }],
      ['RunningMode', { RunningMode: 'NEVER' }],
      ['Tags.1.Key', { Tags: [{ Key: '', Value: 'x' }] }],
      ['Tags.1.Value', { Tags: [{ Key: 'team', Value: 'v'.repeat(256) }] }],
    ])('refuses a %s outside its documented constraints, naming it', async (field, overrides) => {
      const request = poolRequest('bad-value', overrides as Partial<CreateWorkspacesPoolCommandInput>);
      await expect(workspaces().send(new CreateWorkspacesPoolCommand(request))).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining(`at '${field}'`),
      });
    });

    it('refuses a second pool with a name already taken', async () => {
      await createPool('taken-name');
      await expect(workspaces().send(new CreateWorkspacesPoolCommand(poolRequest('taken-name')))).rejects.toMatchObject(
        {
          name: 'ResourceAlreadyExistsException',
          message: expect.stringContaining('taken-name'),
        },
      );
    });
  });

  describe('DescribeWorkspacesPools', () => {
    it('pages through pools with Limit and NextToken, returning each pool once', async () => {
      // Prepare
      const names = ['page-1', 'page-2', 'page-3', 'page-4', 'page-5'];
      for (const name of names) await createPool(name);
      const query = {
        Filters: [{ Name: 'PoolName' as const, Operator: 'CONTAINS' as const, Values: ['page-'] }],
        Limit: 2,
      };
      // Act
      const pages: string[][] = [];
      let NextToken: string | undefined;
      do {
        const page = await workspaces().send(new DescribeWorkspacesPoolsCommand({ ...query, NextToken }));
        pages.push((page.WorkspacesPools ?? []).map((pool) => present(pool.PoolName)));
        NextToken = page.NextToken;
      } while (NextToken);
      // Assess
      expect(pages).toEqual([['page-1', 'page-2'], ['page-3', 'page-4'], ['page-5']]);
    });

    it('refuses a NextToken reused with another query', async () => {
      await createPool('token-1');
      await createPool('token-2');
      const first = await workspaces().send(
        new DescribeWorkspacesPoolsCommand({
          Filters: [{ Name: 'PoolName', Operator: 'CONTAINS', Values: ['token-'] }],
          Limit: 1,
        }),
      );
      await expect(
        workspaces().send(new DescribeWorkspacesPoolsCommand({ Limit: 1, NextToken: first.NextToken })),
      ).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining('NextToken'),
      });
    });

    it.each([0, 26])('refuses a Limit of %i, outside 1..25', async (Limit) => {
      await expect(workspaces().send(new DescribeWorkspacesPoolsCommand({ Limit }))).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining("at 'Limit'"),
      });
    });

    describe('filters', () => {
      beforeAll(async () => {
        for (const name of ['filter-alpha', 'filter-beta', 'filter-alphabet']) await createPool(name);
      });

      it.each([
        ['EQUALS', ['filter-alpha'], ['filter-alpha']],
        ['NOTEQUALS', ['filter-alpha'], ['filter-beta', 'filter-alphabet']],
        ['CONTAINS', ['alpha'], ['filter-alpha', 'filter-alphabet']],
        ['NOTCONTAINS', ['alpha'], ['filter-beta']],
        ['EQUALS', ['filter-alpha', 'filter-beta'], ['filter-alpha', 'filter-beta']],
      ] as const)('match pool names with %s %j, every filter applying', async (Operator, Values, expected) => {
        // Act: the CONTAINS filter keeps to this block's pools among the others of this cloud.
        const names = await namesOf({
          Filters: [
            { Name: 'PoolName', Operator: 'CONTAINS', Values: ['filter-'] },
            { Name: 'PoolName', Operator, Values: [...Values] },
          ],
        });
        // Assess
        expect(names).toEqual(expected);
      });
    });

    it('refuses a filter on anything but PoolName, naming the member', async () => {
      const input = { Filters: [{ Name: 'State', Operator: 'EQUALS', Values: ['RUNNING'] }] } as never;
      await expect(workspaces().send(new DescribeWorkspacesPoolsCommand(input))).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining("at 'Filters.1.Name'"),
      });
    });

    it('describes pools by id and refuses an id that does not exist', async () => {
      const id = await createPool('by-id');
      expect(await namesOf({ PoolIds: [id] })).toEqual(['by-id']);
      await expect(
        workspaces().send(new DescribeWorkspacesPoolsCommand({ PoolIds: [id, 'wspool-000000000'] })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: expect.stringContaining('wspool-000000000'),
      });
    });

    it('refuses a pool id that does not match the documented pattern', async () => {
      await expect(
        workspaces().send(new DescribeWorkspacesPoolsCommand({ PoolIds: ['pool-1'] })),
      ).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining("at 'PoolIds.1'"),
      });
    });
  });

  describe('UpdateWorkspacesPool', () => {
    it('rolls an update out in UPDATING and is RUNNING again after the update time', async () => {
      // Prepare
      const id = await runningPool('wspool-update001', 10);
      // Act
      const { WorkspacesPool: updated } = await workspaces().send(
        new UpdateWorkspacesPoolCommand({
          PoolId: id,
          Description: 'Evening shift',
          Capacity: { DesiredUserSessions: 20 },
        }),
      );
      // Assess
      expect(updated).toMatchObject({
        State: 'UPDATING',
        Description: 'Evening shift',
        CapacityStatus: { DesiredUserSessions: 20 },
      });
      await local.admin.advance(UPDATING_SECONDS);
      expect(await describePool(id)).toMatchObject({ State: 'RUNNING', Description: 'Evening shift' });
    });

    it('refuses another update while one is rolling out, with OperationInProgressException', async () => {
      const id = await runningPool('wspool-update002', 10);
      await workspaces().send(new UpdateWorkspacesPoolCommand({ PoolId: id, Capacity: { DesiredUserSessions: 12 } }));
      await expect(
        workspaces().send(new UpdateWorkspacesPoolCommand({ PoolId: id, Capacity: { DesiredUserSessions: 14 } })),
      ).rejects.toMatchObject({ name: 'OperationInProgressException', message: expect.stringContaining(id) });
    });

    it('refuses an update while the pool is being created, with InvalidResourceStateException', async () => {
      const id = await createPool('update-while-creating');
      await expect(
        workspaces().send(new UpdateWorkspacesPoolCommand({ PoolId: id, Capacity: { DesiredUserSessions: 5 } })),
      ).rejects.toMatchObject({ name: 'InvalidResourceStateException', message: expect.stringContaining('CREATING') });
    });

    it('changes the running mode only while the pool is stopped', async () => {
      const id = await runningPool('wspool-update003', 4);
      await expect(
        workspaces().send(new UpdateWorkspacesPoolCommand({ PoolId: id, RunningMode: 'AUTO_STOP' })),
      ).rejects.toMatchObject({
        name: 'InvalidResourceStateException',
        message: expect.stringContaining('running mode'),
      });
      await workspaces().send(new StopWorkspacesPoolCommand({ PoolId: id }));
      await local.admin.advance(TRANSITION_SECONDS);
      const { WorkspacesPool } = await workspaces().send(
        new UpdateWorkspacesPoolCommand({ PoolId: id, RunningMode: 'AUTO_STOP' }),
      );
      expect(WorkspacesPool).toMatchObject({ State: 'STOPPED', RunningMode: 'AUTO_STOP' });
    });

    it('answers ResourceNotFoundException for a pool that does not exist', async () => {
      await expect(
        workspaces().send(new UpdateWorkspacesPoolCommand({ PoolId: 'wspool-nothere00' })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: expect.stringContaining('wspool-nothere00'),
      });
    });

    it('refuses a PoolId that does not match the documented pattern', async () => {
      await expect(
        workspaces().send(new UpdateWorkspacesPoolCommand({ PoolId: 'wspool-TOO-LONG-1' })),
      ).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining("at 'PoolId'"),
      });
    });
  });

  describe('capacity and user sessions', () => {
    it('becomes RUNNING after the creation time and then provisions 10 sessions a minute', async () => {
      // Prepare
      const id = await createPool('converging', { Capacity: { DesiredUserSessions: 25 } });
      // Act
      await local.admin.advance(CREATING_SECONDS);
      const justRunning = await describePool(id);
      await local.admin.advance(60);
      const oneMinuteOn = await describePool(id);
      await local.admin.advance(120);
      const converged = await describePool(id);
      // Assess
      expect(justRunning).toMatchObject({ State: 'RUNNING', CapacityStatus: { ActualUserSessions: 0 } });
      expect(oneMinuteOn.CapacityStatus).toMatchObject({ DesiredUserSessions: 25, ActualUserSessions: 10 });
      expect(converged.CapacityStatus).toMatchObject({ ActualUserSessions: 25, AvailableUserSessions: 25 });
    });

    it('serves as many sessions as users want and capacity allows, the rest available', async () => {
      const id = await runningPool('wspool-sessions1', 8);
      await local.admin.setUsage('pool', id, 5);
      expect((await describePool(id)).CapacityStatus).toEqual({
        DesiredUserSessions: 8,
        ActualUserSessions: 8,
        ActiveUserSessions: 5,
        AvailableUserSessions: 3,
      });
      await local.admin.setUsage('pool', id, 12);
      expect((await describePool(id)).CapacityStatus).toMatchObject({
        ActiveUserSessions: 8,
        AvailableUserSessions: 0,
      });
    });

    it('never scales in below the sessions in use, and drains them once users leave', async () => {
      // Prepare
      const id = await runningPool('wspool-scalein01', 20);
      await local.admin.setUsage('pool', id, 15);
      // Act
      await workspaces().send(new UpdateWorkspacesPoolCommand({ PoolId: id, Capacity: { DesiredUserSessions: 5 } }));
      await local.admin.advance(600);
      const heldByUsers = await describePool(id);
      await local.admin.setUsage('pool', id, 3);
      await local.admin.advance(120);
      const drained = await describePool(id);
      // Assess
      expect(heldByUsers.CapacityStatus).toMatchObject({
        DesiredUserSessions: 5,
        ActualUserSessions: 15,
        ActiveUserSessions: 15,
      });
      expect(drained.CapacityStatus).toMatchObject({
        ActualUserSessions: 5,
        ActiveUserSessions: 3,
        AvailableUserSessions: 2,
      });
    });

    it('lists the sessions in use with stable ids, users and start times', async () => {
      // Prepare
      const id = await runningPool('wspool-sessions2', 10);
      const { epochMs } = await local.admin.clock();
      await local.admin.setUsage('pool', id, 3);
      // Act
      const first = await workspaces().send(new DescribeWorkspacesPoolSessionsCommand({ PoolId: id }));
      await local.admin.advance(300);
      const again = await workspaces().send(new DescribeWorkspacesPoolSessionsCommand({ PoolId: id }));
      // Assess
      expect(first.Sessions).toHaveLength(3);
      expect(again.Sessions).toEqual(first.Sessions);
      expect(first.Sessions?.[0]).toMatchObject({
        PoolId: id,
        SessionId: expect.stringMatching(/^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/),
        InstanceId: expect.stringMatching(/^i-[a-f0-9]{17}$/),
        UserId: 'user-0001',
        AuthenticationType: 'SAML',
        ConnectionState: 'CONNECTED',
        StartTime: new Date(epochMs),
        NetworkAccessConfiguration: {
          EniId: expect.stringMatching(/^eni-[a-f0-9]{17}$/),
          EniPrivateIpAddress: expect.stringMatching(/^10\./),
        },
      });
    });

    it('pages sessions with Limit and NextToken and finds one user by UserId', async () => {
      // Prepare
      const id = await runningPool('wspool-sessions3', 10);
      await local.admin.setUsage('pool', id, 5);
      // Act
      const first = await workspaces().send(new DescribeWorkspacesPoolSessionsCommand({ PoolId: id, Limit: 3 }));
      const second = await workspaces().send(
        new DescribeWorkspacesPoolSessionsCommand({ PoolId: id, Limit: 3, NextToken: first.NextToken }),
      );
      const oneUser = await workspaces().send(
        new DescribeWorkspacesPoolSessionsCommand({ PoolId: id, UserId: 'user-0004' }),
      );
      // Assess
      expect(first.Sessions?.map((s) => s.UserId)).toEqual(['user-0001', 'user-0002', 'user-0003']);
      expect(second.Sessions?.map((s) => s.UserId)).toEqual(['user-0004', 'user-0005']);
      expect(second.NextToken).toBeUndefined();
      expect(oneUser.Sessions).toEqual([second.Sessions?.[0]]);
      await expect(
        workspaces().send(
          new DescribeWorkspacesPoolSessionsCommand({ PoolId: id, UserId: 'user-0001', NextToken: first.NextToken }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidParameterValuesException' });
    });

    it('refuses a sessions request without a PoolId, with a Limit over 50, or for an unknown pool', async () => {
      const send = (input: object) => workspaces().send(new DescribeWorkspacesPoolSessionsCommand(input as never));
      await expect(send({})).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining("'PoolId'"),
      });
      await expect(send({ PoolId: 'wspool-sessions3', Limit: 51 })).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining("'Limit'"),
      });
      await expect(send({ PoolId: 'wspool-nosuchone' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });
  });

  describe('StopWorkspacesPool, StartWorkspacesPool and TerminateWorkspacesPool', () => {
    it('stops a running pool: STOPPING, then STOPPED with no capacity and no sessions', async () => {
      // Prepare
      const id = await runningPool('wspool-stopping1', 6);
      await local.admin.setUsage('pool', id, 4);
      // Act
      await workspaces().send(new StopWorkspacesPoolCommand({ PoolId: id }));
      const stopping = await describePool(id);
      await local.admin.advance(TRANSITION_SECONDS);
      const stopped = await describePool(id);
      const sessions = await workspaces().send(new DescribeWorkspacesPoolSessionsCommand({ PoolId: id }));
      // Assess
      expect(stopping.State).toBe('STOPPING');
      expect(stopped).toMatchObject({
        State: 'STOPPED',
        CapacityStatus: {
          DesiredUserSessions: 6,
          ActualUserSessions: 0,
          ActiveUserSessions: 0,
          AvailableUserSessions: 0,
        },
      });
      expect(sessions.Sessions).toEqual([]);
    });

    it('starts a stopped pool: STARTING, then RUNNING with capacity coming back at the provisioning rate', async () => {
      // Prepare
      const id = await runningPool('wspool-starting1', 20, { State: 'STOPPED' });
      // Act
      await workspaces().send(new StartWorkspacesPoolCommand({ PoolId: id }));
      const starting = await describePool(id);
      await local.admin.advance(TRANSITION_SECONDS + 60);
      const running = await describePool(id);
      // Assess
      expect(starting.State).toBe('STARTING');
      expect(running).toMatchObject({ State: 'RUNNING', CapacityStatus: { ActualUserSessions: 10 } });
    });

    it.each([
      ['starting a running pool', StartWorkspacesPoolCommand, 'wspool-refuse001', 'RUNNING'],
      ['stopping a stopped pool', StopWorkspacesPoolCommand, 'wspool-refuse002', 'STOPPED'],
      ['terminating a stopping pool', TerminateWorkspacesPoolCommand, 'wspool-refuse003', 'STOPPING'],
    ] as const)('refuses %s with InvalidResourceStateException', async (_, Command, poolId, State) => {
      const id = await runningPool(poolId, 2, { State });
      await expect(workspaces().send(new Command({ PoolId: id }))).rejects.toMatchObject({
        name: 'InvalidResourceStateException',
        message: expect.stringContaining(id),
      });
    });

    it('terminates a pool: DELETING, then gone, and its name is free again', async () => {
      // Prepare
      const id = await createPool('short-lived');
      await local.admin.advance(CREATING_SECONDS);
      // Act
      await workspaces().send(new TerminateWorkspacesPoolCommand({ PoolId: id }));
      const deleting = await describePool(id);
      await local.admin.advance(TRANSITION_SECONDS);
      // Assess
      expect(deleting.State).toBe('DELETING');
      await expect(workspaces().send(new DescribeWorkspacesPoolsCommand({ PoolIds: [id] }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
      expect(await createPool('short-lived')).not.toBe(id);
    });
  });

  describe('tags', () => {
    it('tags a pool at creation, adds and overwrites with CreateTags, removes with DeleteTags', async () => {
      // Prepare
      const id = await createPool('tagged', {
        Tags: [
          { Key: 'team', Value: 'support' },
          { Key: 'cost-centre', Value: '42' },
        ],
      });
      // Act
      await workspaces().send(
        new CreateTagsCommand({ ResourceId: id, Tags: [{ Key: 'team', Value: 'sales' }, { Key: 'tier' }] }),
      );
      await workspaces().send(new DeleteTagsCommand({ ResourceId: id, TagKeys: ['cost-centre', 'not-there'] }));
      const { TagList } = await workspaces().send(new DescribeTagsCommand({ ResourceId: id }));
      // Assess
      expect(TagList).toEqual([{ Key: 'team', Value: 'sales' }, { Key: 'tier' }]);
    });

    it.each([
      ['CreateTags', () => new CreateTagsCommand({ ResourceId: 'ws-0123456789', Tags: [{ Key: 'a', Value: 'b' }] })],
      ['DeleteTags', () => new DeleteTagsCommand({ ResourceId: 'wspool-nosuchone', TagKeys: ['a'] })],
      ['DescribeTags', () => new DescribeTagsCommand({ ResourceId: 'd-0123456789' })],
    ] as const)('%s answers ResourceNotFoundException for anything but an existing pool', async (_, command) => {
      await expect(workspaces().send(command() as never)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });

    it('refuses more than 50 tags on a pool', async () => {
      const id = await createPool('many-tags');
      const Tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      await expect(workspaces().send(new CreateTagsCommand({ ResourceId: id, Tags }))).rejects.toMatchObject({
        name: 'ResourceLimitExceededException',
        message: expect.stringContaining('50'),
      });
    });

    it('refuses CreateTags without Tags, naming the member', async () => {
      await expect(
        workspaces().send(new CreateTagsCommand({ ResourceId: 'wspool-whatever1' } as never)),
      ).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining("'Tags'"),
      });
    });
  });

  describe('CloudTrail', () => {
    it('records a mutating call with lowerCamelCase requestParameters and the created pool', async () => {
      // Prepare
      await local.admin.clearCloudTrail();
      // Act
      const id = await createPool('audited', { Capacity: { DesiredUserSessions: 3 } });
      await workspaces().send(new DescribeWorkspacesPoolsCommand({ PoolIds: [id] }));
      await workspaces()
        .send(new StopWorkspacesPoolCommand({ PoolId: id }))
        .catch(() => undefined);
      // Assess
      const events = await local.admin.cloudTrail();
      expect(events.map((event) => event.detail.eventName)).toEqual(['CreateWorkspacesPool', 'StopWorkspacesPool']);
      expect(events[0]).toMatchObject({
        source: 'aws.workspaces',
        'detail-type': 'AWS API Call via CloudTrail',
        detail: {
          eventSource: 'workspaces.amazonaws.com',
          requestParameters: { poolName: 'audited', capacity: { desiredUserSessions: 3 }, bundleId: 'wsb-0123abcd' },
          responseElements: { workspacesPool: { poolId: id, state: 'CREATING' } },
        },
      });
    });

    it('records a failed call with its errorCode', async () => {
      await local.admin.clearCloudTrail();
      await workspaces()
        .send(new StartWorkspacesPoolCommand({ PoolId: 'wspool-nosuchone' }))
        .catch(() => undefined);
      const [event] = await local.admin.cloudTrail();
      expect(event?.detail).toMatchObject({
        eventName: 'StartWorkspacesPool',
        requestParameters: { poolId: 'wspool-nosuchone' },
        errorCode: 'ResourceNotFoundException',
        responseElements: null,
      });
    });
  });
});

describe('an account at its pool limit', () => {
  const local = useLocalCloud();

  it('refuses a 51st pool with ResourceLimitExceededException', async () => {
    // Prepare
    const pools = Array.from({ length: 50 }, (_, i) => ({
      ...poolRequest(`quota-${i}`),
      PoolId: `wspool-quota${String(i).padStart(4, '0')}`,
    }));
    await local.admin.seed({ workspaces: { pools } });
    // Act
    const creating = local.clients.workspaces.send(new CreateWorkspacesPoolCommand(poolRequest('one-too-many')));
    // Assess
    await expect(creating).rejects.toMatchObject({ name: 'ResourceLimitExceededException' });
  });
});

describe('an account whose pool quota was raised', () => {
  const local = useLocalCloud();

  it('takes more pools when the seed raises the quota, and refuses a bad quota naming it', async () => {
    const pools = Array.from({ length: 51 }, (_, i) => ({ ...poolRequest(`raised-${i}`), PoolId: `wspool-raise${String(i).padStart(4, '0')}` }));
    await local.admin.seed({ workspaces: { poolQuota: 52, pools } });
    await expect(local.clients.workspaces.send(new CreateWorkspacesPoolCommand(poolRequest('fifty-second')))).resolves.toBeDefined();
    await expect(local.clients.workspaces.send(new CreateWorkspacesPoolCommand(poolRequest('fifty-third')))).rejects.toMatchObject({
      name: 'ResourceLimitExceededException',
      message: 'This account already has 52 pools, its limit.',
    });
    await expect(local.admin.seed({ workspaces: { poolQuota: 0 } })).rejects.toThrow('workspaces.poolQuota must be a whole number ≥ 1');
  });
});

describe('seeding pools', () => {
  const local = useLocalCloud();

  it('places a pool with its id, state, tags, provisioning rate and durations', async () => {
    // Prepare
    await local.admin.seed({
      workspaces: {
        pools: [
          {
            ...poolRequest('seeded'),
            PoolId: 'wspool-seeded001',
            State: 'STOPPED',
            Capacity: { DesiredUserSessions: 40 },
            Tags: [{ Key: 'env', Value: 'test' }],
            ProvisioningRatePerMinute: 20,
            StartingSeconds: 30,
          },
        ],
      },
    });
    // Act
    await local.clients.workspaces.send(new StartWorkspacesPoolCommand({ PoolId: 'wspool-seeded001' }));
    await local.admin.advance(30 + 60);
    const { WorkspacesPools } = await local.clients.workspaces.send(
      new DescribeWorkspacesPoolsCommand({ PoolIds: ['wspool-seeded001'] }),
    );
    const { TagList } = await local.clients.workspaces.send(
      new DescribeTagsCommand({ ResourceId: 'wspool-seeded001' }),
    );
    // Assess
    expect(WorkspacesPools?.[0]).toMatchObject({
      PoolName: 'seeded',
      State: 'RUNNING',
      CapacityStatus: { ActualUserSessions: 20 },
    });
    expect(TagList).toEqual([{ Key: 'env', Value: 'test' }]);
  });

  it('seeds a RUNNING pool at its full capacity by default', async () => {
    await local.admin.seed({
      workspaces: { pools: [{ ...poolRequest('seeded-running'), PoolId: 'wspool-seeded002' }] },
    });
    const { WorkspacesPools } = await local.clients.workspaces.send(
      new DescribeWorkspacesPoolsCommand({ PoolIds: ['wspool-seeded002'] }),
    );
    expect(WorkspacesPools?.[0]).toMatchObject({ State: 'RUNNING', CapacityStatus: { ActualUserSessions: 10 } });
  });

  it.each([
    ['workspaces.pools[1].PoolName', [poolRequest('fine'), { ...poolRequest('x'), PoolName: '!' }]],
    ['workspaces.pools[0].Capacity', [{ ...poolRequest('x'), Capacity: undefined }]],
    ['workspaces.pools[0].State', [{ ...poolRequest('x'), State: 'ASLEEP' }]],
    ['workspaces.pools[0].ProvisioningRatePerMinute', [{ ...poolRequest('x'), ProvisioningRatePerMinute: 0 }]],
    ['workspaces.pools[0].CreatingSecnds', [{ ...poolRequest('x'), CreatingSecnds: 5 }]],
    ['workspaces.pools[1]', [poolRequest('twin'), poolRequest('twin')]],
  ])('refuses a seed with a bad %s, naming it', async (path, pools) => {
    await expect(local.admin.seed({ workspaces: { pools } })).rejects.toThrow(path);
  });
});
