import {
  CreateWorkspacesCommand,
  DescribeWorkspacesCommand,
  ModifyWorkspacePropertiesCommand,
  StartWorkspacesCommand,
  StopWorkspacesCommand,
  type DescribeWorkspacesCommandInput,
  type Workspace,
  type WorkspaceRequest,
} from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROPERTIES } from '#local/services/workspaces/personal.ts';
import { DEFAULT_DURATIONS } from '#local/services/workspaces/state.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

const BUNDLE = 'wsb-0123abcd9';
const OTHER_BUNDLE = 'wsb-9876zyxw1';

/** A WorkSpace request for a user of a directory; each test uses its own directory. */
function request(directory: string, user: string, extra: Partial<WorkspaceRequest> = {}): WorkspaceRequest {
  return { DirectoryId: directory, UserName: user, BundleId: BUNDLE, ...extra };
}

describe('personal WorkSpaces in the local cloud', () => {
  const local = useLocalCloud({
    // The emulator as it is, without the product reacting to its CloudTrail events.
    cloudTrailDelivery: false,
    seed: {
      workspaces: {
        workspaces: [
          { WorkspaceId: 'ws-stopped01', ...request('d-9067000009', 'nadia'), State: 'STOPPED' },
          {
            WorkspaceId: 'ws-alwayson1',
            ...request('d-9067000009', 'omar'),
            WorkspaceProperties: { RunningMode: 'ALWAYS_ON' },
          },
        ],
      },
    },
  });

  const create = (...requests: WorkspaceRequest[]) =>
    local.clients.workspaces.send(new CreateWorkspacesCommand({ Workspaces: requests }));
  const describeOne = async (id: string): Promise<Workspace | undefined> => {
    const { Workspaces } = await local.clients.workspaces.send(new DescribeWorkspacesCommand({ WorkspaceIds: [id] }));
    return Workspaces?.[0];
  };
  const createAvailable = async (...requests: WorkspaceRequest[]): Promise<string[]> => {
    const { PendingRequests = [] } = await create(...requests);
    await local.admin.advance(DEFAULT_DURATIONS.provisionSeconds);
    return PendingRequests.map((w) => w.WorkspaceId ?? '');
  };

  it('creates a WorkSpace that is PENDING until provisioned, then AVAILABLE with its operating system and compute type', async () => {
    // Prepare
    const properties = {
      ComputeTypeName: 'POWER',
      OperatingSystemName: 'WINDOWS_11',
      RunningModeAutoStopTimeoutInMinutes: 120,
    } as const;

    // Act
    const created = await create(request('d-9067000001', 'alice', { WorkspaceProperties: properties }));
    const id = created.PendingRequests?.[0]?.WorkspaceId ?? '';
    const whilePending = await describeOne(id);
    await local.admin.advance(DEFAULT_DURATIONS.provisionSeconds);
    const provisioned = await describeOne(id);

    // Assess
    expect(created.FailedRequests).toEqual([]);
    expect(id).toMatch(/^ws-[0-9a-z]{9}$/);
    expect(whilePending?.State).toBe('PENDING');
    expect(provisioned).toMatchObject({
      WorkspaceId: id,
      DirectoryId: 'd-9067000001',
      UserName: 'alice',
      BundleId: BUNDLE,
      State: 'AVAILABLE',
      WorkspaceProperties: { ...properties, RunningMode: 'AUTO_STOP' },
    });
  });

  it('gives a WorkSpace the default bundle properties its request leaves out', async () => {
    const [id = ''] = await createAvailable(request('d-9067000002', 'bob'));

    const workspace = await describeOne(id);

    expect(workspace?.WorkspaceProperties).toEqual(DEFAULT_PROPERTIES);
  });

  it('reports a second WorkSpace for the same directory user as a failed request and creates the others', async () => {
    await create(request('d-9067000003', 'carol'));

    const result = await create(request('d-9067000003', 'CAROL'), request('d-9067000003', 'dave'));

    expect(result.PendingRequests?.map((w) => w.UserName)).toEqual(['dave']);
    expect(result.FailedRequests).toEqual([
      {
        WorkspaceRequest: request('d-9067000003', 'CAROL'),
        ErrorCode: 'ResourceAlreadyExistsException',
        ErrorMessage: expect.stringContaining('CAROL already has WorkSpace ws-'),
      },
    ]);
  });

  it.each([
    [
      'a bundle id of the wrong form',
      [request('d-9067000004', 'erin', { BundleId: 'bundle-1' })],
      'Workspaces.1.BundleId',
    ],
    [
      'an unknown compute type',
      [request('d-9067000004', 'erin', { WorkspaceProperties: { ComputeTypeName: 'HUGE' as never } })],
      'Workspaces.1.WorkspaceProperties.ComputeTypeName',
    ],
    [
      'an AutoStop timeout that is not whole hours',
      [request('d-9067000004', 'erin', { WorkspaceProperties: { RunningModeAutoStopTimeoutInMinutes: 90 } })],
      'RunningModeAutoStopTimeoutInMinutes',
    ],
    [
      'more than 25 WorkSpaces',
      Array.from({ length: 26 }, (_, i) => request('d-9067000004', `user${i}`)),
      "'Workspaces'",
    ],
  ])('rejects a CreateWorkspaces call with %s as a whole, naming the field', async (_case, requests, field) => {
    const call = create(...requests);

    await expect(call).rejects.toMatchObject({
      name: 'InvalidParameterValuesException',
      message: expect.stringContaining(field),
    });
    const { Workspaces } = await local.clients.workspaces.send(
      new DescribeWorkspacesCommand({ DirectoryId: 'd-9067000004' }),
    );
    expect(Workspaces).toEqual([]);
  });

  it('finds WorkSpaces by directory and user, by bundle, by name or by id', async () => {
    const [first = '', second = ''] = await createAvailable(
      request('d-9067000005', 'frank', { WorkspaceName: 'frank-desk' }),
      request('d-9067000005', 'grace', { BundleId: OTHER_BUNDLE }),
    );
    const ids = async (input: DescribeWorkspacesCommandInput) =>
      (await local.clients.workspaces.send(new DescribeWorkspacesCommand(input))).Workspaces?.map((w) => w.WorkspaceId);

    expect(await ids({ DirectoryId: 'd-9067000005' })).toEqual([first, second]);
    expect(await ids({ DirectoryId: 'd-9067000005', UserName: 'Grace' })).toEqual([second]);
    expect(await ids({ BundleId: OTHER_BUNDLE })).toEqual([second]);
    expect(await ids({ WorkspaceName: 'frank-desk' })).toEqual([first]);
    expect(await ids({ WorkspaceIds: [second, 'ws-missing01'] })).toEqual([second]);
  });

  it.each([
    ['two filters at once', { DirectoryId: 'd-9067000005', BundleId: BUNDLE }, 'Only one filter'],
    ['a UserName without its DirectoryId', { UserName: 'frank' }, 'UserName'],
    ['a Limit above 25', { Limit: 26 }, "'Limit'"],
    ['a WorkSpace id of the wrong form', { WorkspaceIds: ['ws-missing01', 'desk-2'] }, "'WorkspaceIds.2'"],
  ])('refuses DescribeWorkspaces with %s', async (_case, input, message) => {
    await expect(local.clients.workspaces.send(new DescribeWorkspacesCommand(input))).rejects.toMatchObject({
      name: 'InvalidParameterValuesException',
      message: expect.stringContaining(message),
    });
  });

  it('accepts WorkSpace ids of any length the id pattern allows', async () => {
    const { Workspaces } = await local.clients.workspaces.send(
      new DescribeWorkspacesCommand({ WorkspaceIds: [`ws-${'a'.repeat(63)}`] }),
    );

    expect(Workspaces).toEqual([]);
  });

  it('pages through WorkSpaces with Limit and NextToken and refuses a token from another query', async () => {
    const created = await createAvailable(
      request('d-9067000006', 'u1'),
      request('d-9067000006', 'u2'),
      request('d-9067000006', 'u3'),
    );

    const first = await local.clients.workspaces.send(
      new DescribeWorkspacesCommand({ DirectoryId: 'd-9067000006', Limit: 2 }),
    );
    const second = await local.clients.workspaces.send(
      new DescribeWorkspacesCommand({ DirectoryId: 'd-9067000006', Limit: 2, NextToken: first.NextToken }),
    );
    const foreign = local.clients.workspaces.send(
      new DescribeWorkspacesCommand({ BundleId: BUNDLE, NextToken: first.NextToken }),
    );

    expect([...(first.Workspaces ?? []), ...(second.Workspaces ?? [])].map((w) => w.WorkspaceId)).toEqual(created);
    expect(first.NextToken).toBeDefined();
    expect(second.NextToken).toBeUndefined();
    await expect(foreign).rejects.toMatchObject({ name: 'InvalidParameterValuesException' });
  });

  it('modifies the compute type and operating system of an AVAILABLE WorkSpace', async () => {
    const [id = ''] = await createAvailable(request('d-9067000007', 'heidi'));

    await local.clients.workspaces.send(
      new ModifyWorkspacePropertiesCommand({
        WorkspaceId: id,
        WorkspaceProperties: { ComputeTypeName: 'PERFORMANCE', OperatingSystemName: 'WINDOWS_11' },
      }),
    );

    expect((await describeOne(id))?.WorkspaceProperties).toEqual({
      ...DEFAULT_PROPERTIES,
      ComputeTypeName: 'PERFORMANCE',
      OperatingSystemName: 'WINDOWS_11',
    });
  });

  it('refuses to modify a WorkSpace that is still PENDING', async () => {
    const { PendingRequests = [] } = await create(request('d-9067000007', 'ivan'));

    const call = local.clients.workspaces.send(
      new ModifyWorkspacePropertiesCommand({
        WorkspaceId: PendingRequests[0]?.WorkspaceId,
        WorkspaceProperties: { UserVolumeSizeGib: 100 },
      }),
    );

    await expect(call).rejects.toMatchObject({
      name: 'InvalidResourceStateException',
      message: expect.stringContaining('PENDING'),
    });
  });

  it('answers ResourceNotFoundException when modifying a WorkSpace that does not exist', async () => {
    const call = local.clients.workspaces.send(
      new ModifyWorkspacePropertiesCommand({
        WorkspaceId: 'ws-missing01',
        WorkspaceProperties: { RunningMode: 'ALWAYS_ON' },
      }),
    );

    await expect(call).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringContaining('ws-missing01'),
    });
  });

  it('starts a STOPPED AutoStop WorkSpace through STARTING, and stops it again through STOPPING', async () => {
    const start = await local.clients.workspaces.send(
      new StartWorkspacesCommand({ StartWorkspaceRequests: [{ WorkspaceId: 'ws-stopped01' }] }),
    );
    const starting = (await describeOne('ws-stopped01'))?.State;
    await local.admin.advance(DEFAULT_DURATIONS.startSeconds);
    const started = (await describeOne('ws-stopped01'))?.State;
    await local.clients.workspaces.send(
      new StopWorkspacesCommand({ StopWorkspaceRequests: [{ WorkspaceId: 'ws-stopped01' }] }),
    );
    const stopping = (await describeOne('ws-stopped01'))?.State;
    await local.admin.advance(DEFAULT_DURATIONS.stopSeconds);
    const stopped = (await describeOne('ws-stopped01'))?.State;

    expect(start.FailedRequests).toEqual([]);
    expect([starting, started, stopping, stopped]).toEqual(['STARTING', 'AVAILABLE', 'STOPPING', 'STOPPED']);
  });

  it('reports WorkSpaces it cannot start or stop as failed requests', async () => {
    const started = await local.clients.workspaces.send(
      new StartWorkspacesCommand({
        StartWorkspaceRequests: [{ WorkspaceId: 'ws-alwayson1' }, { WorkspaceId: 'ws-missing01' }],
      }),
    );
    const stopped = await local.clients.workspaces.send(
      new StopWorkspacesCommand({ StopWorkspaceRequests: [{ WorkspaceId: 'ws-alwayson1' }] }),
    );

    expect(started.FailedRequests).toEqual([
      {
        WorkspaceId: 'ws-alwayson1',
        ErrorCode: 'InvalidResourceStateException',
        ErrorMessage: expect.stringContaining('ALWAYS_ON'),
      },
      {
        WorkspaceId: 'ws-missing01',
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage: expect.stringContaining('ws-missing01'),
      },
    ]);
    expect(stopped.FailedRequests).toEqual([
      {
        WorkspaceId: 'ws-alwayson1',
        ErrorCode: 'InvalidResourceStateException',
        ErrorMessage: expect.stringContaining('ALWAYS_ON'),
      },
    ]);
  });

  it('refuses to start a WorkSpace that is not STOPPED', async () => {
    const [id = ''] = await createAvailable(request('d-9067000008', 'judy'));

    const result = await local.clients.workspaces.send(
      new StartWorkspacesCommand({ StartWorkspaceRequests: [{ WorkspaceId: id }] }),
    );

    expect(result.FailedRequests).toEqual([
      {
        WorkspaceId: id,
        ErrorCode: 'InvalidResourceStateException',
        ErrorMessage: expect.stringContaining('is AVAILABLE; expected STOPPED'),
      },
    ]);
  });

  it('loads seeded WorkSpaces with their id, state and properties', async () => {
    await local.admin.seed({
      workspaces: {
        workspaces: [
          {
            WorkspaceId: 'ws-seeded001',
            ...request('d-90670000a1', 'kim'),
            State: 'STOPPED',
            WorkspaceProperties: { ComputeTypeName: 'VALUE' },
          },
        ],
      },
    });

    const workspace = await describeOne('ws-seeded001');

    expect(workspace).toMatchObject({
      State: 'STOPPED',
      UserName: 'kim',
      WorkspaceProperties: { ComputeTypeName: 'VALUE' },
    });
  });

  it.each([
    [
      { workspaces: [request('d-90670000a2', 'lee'), { ...request('d-90670000a2', 'max'), State: 'ASLEEP' }] },
      'workspaces.workspaces[1].State',
    ],
    [{ workspaces: [{ DirectoryId: 'd-90670000a2', BundleId: BUNDLE }] }, 'workspaces.workspaces[0].UserName'],
    [{ durations: { installMinutes: 5 } }, 'workspaces.durations.installMinutes'],
  ])('rejects a seed with a bad WorkSpace, naming where it is (%#)', async (section, where) => {
    await expect(local.admin.seed({ workspaces: section })).rejects.toThrow(where);
  });

  it('leaves everything as it was when a seed is rejected', async () => {
    const seed = local.admin.seed({
      workspaces: {
        workspaces: [{ WorkspaceId: 'ws-atomic001', ...request('d-90670000a3', 'olga') }, { State: 'AVAILABLE' }],
      },
    });

    await expect(seed).rejects.toThrow('workspaces.workspaces[1]');
    expect(await describeOne('ws-atomic001')).toBeUndefined();
  });

  it('records CloudTrail events for mutating calls, failed ones with their error code', async () => {
    await local.admin.clearCloudTrail();
    await create(request('d-90670000b1', 'nina'));
    await local.clients.workspaces
      .send(
        new ModifyWorkspacePropertiesCommand({
          WorkspaceId: 'ws-missing01',
          WorkspaceProperties: { RootVolumeSizeGib: 175 },
        }),
      )
      .catch(() => undefined);
    await local.clients.workspaces.send(new DescribeWorkspacesCommand({}));

    const events = (await local.admin.cloudTrail()).map((event) => event.detail);

    expect(events).toMatchObject([
      {
        eventSource: 'workspaces.amazonaws.com',
        eventName: 'CreateWorkspaces',
        requestParameters: { workspaces: [{ directoryId: 'd-90670000b1', userName: 'nina', bundleId: BUNDLE }] },
        responseElements: { pendingRequests: [{ userName: 'nina', state: 'PENDING' }] },
      },
      {
        eventName: 'ModifyWorkspaceProperties',
        requestParameters: { workspaceId: 'ws-missing01', workspaceProperties: { rootVolumeSizeGib: 175 } },
        errorCode: 'ResourceNotFoundException',
      },
    ]);
    expect(events).toHaveLength(2);
  });
});
