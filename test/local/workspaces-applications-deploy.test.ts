import {
  AssociateWorkspaceApplicationCommand,
  DeployWorkspaceApplicationsCommand,
  DescribeWorkspaceAssociationsCommand,
  DisassociateWorkspaceApplicationCommand,
  ModifyWorkspacePropertiesCommand,
  StartWorkspacesCommand,
  type WorkspaceResourceAssociation,
} from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DURATIONS } from '#local/services/workspaces/state.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

/** Install and uninstall times this file seeds in place of the defaults. */
const INSTALL_SECONDS = 300;
const UNINSTALL_SECONDS = 120;

const OFFICE = 'wsa-office2021';
const NOTEPAD = 'wsa-notepadpp8';
const FIREFOX = 'wsa-firefoxlnx';

const workspace = (WorkspaceId: string, extra: Record<string, unknown> = {}) => ({
  WorkspaceId,
  DirectoryId: 'd-9067000020',
  UserName: WorkspaceId,
  BundleId: 'wsb-0123abcd9',
  WorkspaceProperties: { OperatingSystemName: 'WINDOWS_10', ComputeTypeName: 'STANDARD' },
  ...extra,
});

const SEED = {
  workspaces: {
    durations: { installSeconds: INSTALL_SECONDS, uninstallSeconds: UNINSTALL_SECONDS },
    applications: [
      {
        ApplicationId: OFFICE,
        Name: 'Microsoft Office Professional Plus 2021',
        SupportedOperatingSystemNames: ['WINDOWS_10', 'WINDOWS_11'],
        SupportedComputeTypeNames: ['STANDARD', 'PERFORMANCE'],
      },
      {
        ApplicationId: NOTEPAD,
        Name: 'Notepad++',
        LicenseType: 'UNLICENSED',
        SupportedOperatingSystemNames: ['WINDOWS_10', 'WINDOWS_11'],
        SupportedComputeTypeNames: ['VALUE', 'STANDARD', 'PERFORMANCE'],
      },
      {
        ApplicationId: FIREFOX,
        Name: 'Firefox for Linux',
        SupportedOperatingSystemNames: ['AMAZON_LINUX_2'],
        SupportedComputeTypeNames: ['STANDARD'],
      },
    ],
    workspaces: [
      workspace('ws-install001'),
      workspace('ws-remove001'),
      workspace('ws-wrongos01'),
      workspace('ws-compute01'),
      workspace('ws-retry0001'),
      workspace('ws-stopped01', { State: 'STOPPED' }),
      workspace('ws-busy00001'),
    ],
    associations: [
      { ApplicationId: OFFICE, WorkspaceId: 'ws-remove001', State: 'COMPLETED' },
      // Seeds skip the checks of AssociateWorkspaceApplication, so a deployment can meet the mismatch.
      { ApplicationId: FIREFOX, WorkspaceId: 'ws-wrongos01', State: 'PENDING_INSTALL' },
      { ApplicationId: OFFICE, WorkspaceId: 'ws-stopped01', State: 'PENDING_INSTALL' },
    ],
    deploymentFailures: [
      {
        ApplicationId: OFFICE,
        WorkspaceId: 'ws-retry0001',
        ErrorCode: 'DeploymentError.WorkspaceUnreachable',
        Count: 1,
      },
    ],
  },
};

describe('deploying applications to WorkSpaces in the local cloud', () => {
  // The emulator as it is: the product's CloudTrail reactor would deploy what these tests leave pending.
  const local = useLocalCloud({ seed: SEED, cloudTrailDelivery: false });

  const associate = (WorkspaceId: string, ApplicationId: string) =>
    local.clients.workspaces.send(new AssociateWorkspaceApplicationCommand({ WorkspaceId, ApplicationId }));
  const disassociate = (WorkspaceId: string, ApplicationId: string) =>
    local.clients.workspaces.send(new DisassociateWorkspaceApplicationCommand({ WorkspaceId, ApplicationId }));
  const deploy = async (WorkspaceId: string, Force?: boolean) =>
    (await local.clients.workspaces.send(new DeployWorkspaceApplicationsCommand({ WorkspaceId, Force }))).Deployment
      ?.Associations ?? [];
  const associations = async (WorkspaceId: string): Promise<WorkspaceResourceAssociation[]> =>
    (
      await local.clients.workspaces.send(
        new DescribeWorkspaceAssociationsCommand({ WorkspaceId, AssociatedResourceTypes: ['APPLICATION'] }),
      )
    ).Associations ?? [];
  const statesOf = async (WorkspaceId: string) =>
    (await associations(WorkspaceId)).map((a) => `${a.AssociatedResourceId} ${a.State}`);
  const now = async () => new Date((await local.admin.clock()).epochMs);

  it('installs associated applications: INSTALLING on deploy, COMPLETED once the install time has passed', async () => {
    await associate('ws-install001', OFFICE);
    await associate('ws-install001', NOTEPAD);
    const deployedAt = await now();

    const deployed = await deploy('ws-install001');
    await local.admin.advance(INSTALL_SECONDS - 1);
    const almost = await statesOf('ws-install001');
    await local.admin.advance(1);
    const done = await associations('ws-install001');

    expect(deployed.map((a) => `${a.AssociatedResourceId} ${a.State}`)).toEqual([
      `${OFFICE} INSTALLING`,
      `${NOTEPAD} INSTALLING`,
    ]);
    expect(deployed[0]).toMatchObject({
      WorkspaceId: 'ws-install001',
      AssociatedResourceType: 'APPLICATION',
      LastUpdatedTime: deployedAt,
    });
    expect(almost).toEqual([`${OFFICE} INSTALLING`, `${NOTEPAD} INSTALLING`]);
    expect(done).toMatchObject([
      {
        AssociatedResourceId: OFFICE,
        State: 'COMPLETED',
        LastUpdatedTime: new Date(deployedAt.getTime() + INSTALL_SECONDS * 1000),
      },
      { AssociatedResourceId: NOTEPAD, State: 'COMPLETED' },
    ]);
    expect(done[0]).not.toHaveProperty('StateReason');
  });

  it('removes a disassociated application: UNINSTALLING on deploy, REMOVED after the uninstall time, and it can be associated again', async () => {
    await disassociate('ws-remove001', OFFICE);

    const deployed = await deploy('ws-remove001');
    await local.admin.advance(UNINSTALL_SECONDS);
    const removed = await statesOf('ws-remove001');
    const again = await associate('ws-remove001', OFFICE);

    expect(deployed.map((a) => a.State)).toEqual(['UNINSTALLING']);
    expect(removed).toEqual([`${OFFICE} REMOVED`]);
    expect(again.Association).toMatchObject({ State: 'PENDING_INSTALL', Created: await now() });
  });

  it('ends in ERROR with UnsupportedOperatingSystem when the application does not support the WorkSpace operating system', async () => {
    await deploy('ws-wrongos01');
    await local.admin.advance(INSTALL_SECONDS);

    const [association] = await associations('ws-wrongos01');

    expect(association).toMatchObject({
      AssociatedResourceId: FIREFOX,
      State: 'ERROR',
      StateReason: {
        ErrorCode: 'ValidationError.UnsupportedOperatingSystem',
        ErrorMessage: expect.stringContaining('WINDOWS_10'),
      },
    });
  });

  it('ends in ERROR with InsufficientMemory when the WorkSpace moved to a compute type the application does not support', async () => {
    await associate('ws-compute01', OFFICE);
    await local.clients.workspaces.send(
      new ModifyWorkspacePropertiesCommand({
        WorkspaceId: 'ws-compute01',
        WorkspaceProperties: { ComputeTypeName: 'VALUE' },
      }),
    );

    await deploy('ws-compute01');
    await local.admin.advance(INSTALL_SECONDS);
    const [association] = await associations('ws-compute01');

    expect(association).toMatchObject({
      State: 'ERROR',
      StateReason: {
        ErrorCode: 'ValidationError.InsufficientMemory',
        ErrorMessage: expect.stringContaining('compute type VALUE'),
      },
    });
  });

  it('retries a scripted deployment failure only when forced, and then installs', async () => {
    await associate('ws-retry0001', OFFICE);
    await deploy('ws-retry0001');
    await local.admin.advance(INSTALL_SECONDS);
    const [failed] = await associations('ws-retry0001');

    const unforced = await deploy('ws-retry0001');
    const forced = await deploy('ws-retry0001', true);
    await local.admin.advance(INSTALL_SECONDS);
    const [retried] = await associations('ws-retry0001');

    expect(failed).toMatchObject({
      State: 'ERROR',
      StateReason: {
        ErrorCode: 'DeploymentError.WorkspaceUnreachable',
        ErrorMessage: expect.stringContaining('could not be reached'),
      },
    });
    expect(unforced).toEqual([]);
    expect(forced.map((a) => a.State)).toEqual(['INSTALLING']);
    expect(retried?.State).toBe('COMPLETED');
    expect(retried).not.toHaveProperty('StateReason');
  });

  it('refuses to deploy to a STOPPED WorkSpace, and deploys once it has been started', async () => {
    const whileStopped = deploy('ws-stopped01');
    await expect(whileStopped).rejects.toMatchObject({
      name: 'OperationNotSupportedException',
      message: expect.stringContaining('STOPPED'),
    });

    await local.clients.workspaces.send(
      new StartWorkspacesCommand({ StartWorkspaceRequests: [{ WorkspaceId: 'ws-stopped01' }] }),
    );
    await local.admin.advance(DEFAULT_DURATIONS.startSeconds);
    const deployed = await deploy('ws-stopped01');

    expect(deployed.map((a) => `${a.AssociatedResourceId} ${a.State}`)).toEqual([`${OFFICE} INSTALLING`]);
  });

  it('refuses another deployment, and a disassociation, while applications are installing', async () => {
    await associate('ws-busy00001', OFFICE);
    await deploy('ws-busy00001');

    const secondDeployment = deploy('ws-busy00001', true);
    const removal = disassociate('ws-busy00001', OFFICE);

    await expect(secondDeployment).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: expect.stringContaining('INSTALLING'),
    });
    await expect(removal).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: expect.stringContaining('INSTALLING'),
    });
  });

  it.each([
    ['a WorkSpace that does not exist', 'ws-nothere01', 'ResourceNotFoundException', 'ws-nothere01'],
    ['a WorkSpace id of the wrong form', 'desk-1', 'InvalidParameterValuesException', "'WorkspaceId'"],
  ])('answers the documented error for a deployment to %s', async (_case, WorkspaceId, name, message) => {
    await expect(deploy(WorkspaceId)).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
  });

  it('records CloudTrail events for deployments, failed ones with their error code', async () => {
    await local.admin.clearCloudTrail();
    await deploy('ws-install001', true);
    await deploy('ws-nothere01').catch(() => undefined);

    const events = (await local.admin.cloudTrail()).map((event) => event.detail);

    expect(events).toMatchObject([
      {
        eventName: 'DeployWorkspaceApplications',
        requestParameters: { workspaceId: 'ws-install001', force: true },
        responseElements: null,
      },
      {
        eventName: 'DeployWorkspaceApplications',
        requestParameters: { workspaceId: 'ws-nothere01' },
        errorCode: 'ResourceNotFoundException',
      },
    ]);
  });
});
