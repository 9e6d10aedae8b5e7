import {
  AssociateWorkspaceApplicationCommand,
  DescribeApplicationAssociationsCommand,
  DescribeApplicationsCommand,
  DescribeBundleAssociationsCommand,
  DescribeImageAssociationsCommand,
  DescribeWorkspaceAssociationsCommand,
  DisassociateWorkspaceApplicationCommand,
  type DescribeApplicationsCommandInput,
} from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { useLocalCloud } from '#test/support/cloud.ts';

const START = new Date('2026-11-23T06:00:00Z');
const ACCOUNT = '123456789012';
const WINDOWS = ['WINDOWS_10', 'WINDOWS_11', 'WINDOWS_SERVER_2022'];

const OFFICE = 'wsa-office2021';
const OFFICE_2019 = 'wsa-office2019';
const VISIO = 'wsa-visio2021';
const FIREFOX = 'wsa-firefoxlnx';
const AUTOCAD = 'wsa-autocad2024';
const PROJECT = 'wsa-project2016';

/** A catalog with one application per filter case, and WorkSpaces to associate them with. */
const SEED = {
  workspaces: {
    applications: [
      {
        ApplicationId: OFFICE,
        Name: 'Microsoft Office Professional Plus 2021',
        SupportedOperatingSystemNames: WINDOWS,
        SupportedComputeTypeNames: ['STANDARD', 'PERFORMANCE', 'POWER'],
        ConflictsWith: ['Microsoft Office Professional Plus 2019'],
      },
      {
        ApplicationId: OFFICE_2019,
        Name: 'Microsoft Office Professional Plus 2019',
        SupportedOperatingSystemNames: WINDOWS,
        SupportedComputeTypeNames: ['STANDARD', 'PERFORMANCE', 'POWER'],
      },
      {
        ApplicationId: VISIO,
        Name: 'Microsoft Visio Professional 2021',
        Description: 'Diagrams',
        SupportedOperatingSystemNames: ['WINDOWS_11'],
        SupportedComputeTypeNames: ['STANDARD'],
        Created: '2024-05-01T00:00:00Z',
      },
      {
        ApplicationId: FIREFOX,
        Name: 'Firefox',
        Owner: ACCOUNT,
        LicenseType: 'UNLICENSED',
        SupportedOperatingSystemNames: ['AMAZON_LINUX_2', 'UBUNTU_22_04'],
        SupportedComputeTypeNames: ['VALUE', 'STANDARD'],
      },
      {
        ApplicationId: AUTOCAD,
        Name: 'AutoCAD 2024',
        Owner: ACCOUNT,
        LicenseType: 'UNLICENSED',
        SupportedOperatingSystemNames: WINDOWS,
        SupportedComputeTypeNames: ['GRAPHICS_G4DN', 'GRAPHICSPRO_G4DN'],
      },
      {
        ApplicationId: PROJECT,
        Name: 'Microsoft Project Professional 2016',
        State: 'UNINSTALL_ONLY',
        SupportedOperatingSystemNames: WINDOWS,
        SupportedComputeTypeNames: ['STANDARD'],
      },
    ],
    workspaces: ['ws-assoc0001', 'ws-assoc0002', 'ws-assoc0003', 'ws-assoc0004', 'ws-trail0001'].map(
      (WorkspaceId, index) => ({
        WorkspaceId,
        DirectoryId: 'd-9067000010',
        UserName: `user${index}`,
        BundleId: 'wsb-office21b1',
        WorkspaceProperties: { OperatingSystemName: 'WINDOWS_10', ComputeTypeName: 'STANDARD' },
      }),
    ),
    associations: [
      { ApplicationId: OFFICE, BundleId: 'wsb-office21b1' },
      { ApplicationId: OFFICE, ImageId: 'wsi-office21i1' },
      {
        ApplicationId: OFFICE,
        WorkspaceId: 'ws-assoc0004',
        State: 'ERROR',
        StateReason: { ErrorCode: 'ValidationError.InsufficientDiskSpace', ErrorMessage: 'C: is full' },
      },
    ],
  },
};

describe('WorkSpaces applications and associations in the local cloud', () => {
  // The emulator as it is: the product's CloudTrail reactor would deploy what these tests leave pending.
  const local = useLocalCloud({ seed: SEED, cloudTrailDelivery: false });
  const applicationIds = async (input: DescribeApplicationsCommandInput) =>
    (await local.clients.workspaces.send(new DescribeApplicationsCommand(input))).Applications?.map(
      (a) => a.ApplicationId,
    );

  describe('DescribeApplications', () => {
    it('lists the catalog with each application as seeded', async () => {
      const { Applications } = await local.clients.workspaces.send(
        new DescribeApplicationsCommand({ ApplicationIds: [VISIO] }),
      );

      expect(Applications).toEqual([
        {
          ApplicationId: VISIO,
          Name: 'Microsoft Visio Professional 2021',
          Description: 'Diagrams',
          Owner: 'AMAZON',
          LicenseType: 'LICENSED',
          State: 'AVAILABLE',
          SupportedOperatingSystemNames: ['WINDOWS_11'],
          SupportedComputeTypeNames: ['STANDARD'],
          Created: new Date('2024-05-01T00:00:00Z'),
        },
      ]);
    });

    it.each<[string, DescribeApplicationsCommandInput, string[]]>([
      ['ApplicationIds', { ApplicationIds: [FIREFOX, VISIO, 'wsa-nothere01'] }, [VISIO, FIREFOX]],
      ['ComputeTypeNames (any of them)', { ComputeTypeNames: ['VALUE', 'GRAPHICS_G4DN'] }, [FIREFOX, AUTOCAD]],
      ['LicenseType', { LicenseType: 'UNLICENSED' }, [FIREFOX, AUTOCAD]],
      [
        'OperatingSystemNames (any of them)',
        { OperatingSystemNames: ['WINDOWS_11', 'UBUNTU_22_04'] },
        [OFFICE, OFFICE_2019, VISIO, FIREFOX, AUTOCAD, PROJECT],
      ],
      [
        'OperatingSystemNames and ComputeTypeNames together',
        { OperatingSystemNames: ['WINDOWS_11'], ComputeTypeNames: ['POWER'] },
        [OFFICE, OFFICE_2019],
      ],
      ['Owner AMAZON', { Owner: 'AMAZON' }, [OFFICE, OFFICE_2019, VISIO, PROJECT]],
      ['Owner account', { Owner: ACCOUNT }, [FIREFOX, AUTOCAD]],
    ])('filters applications by %s', async (_filter, input, expected) => {
      expect(await applicationIds(input)).toEqual(expected);
    });

    it('pages through applications with MaxResults and NextToken', async () => {
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await local.clients.workspaces.send(new DescribeApplicationsCommand({ MaxResults: 4, NextToken }));
        seen.push(...(page.Applications ?? []).map((a) => a.ApplicationId ?? ''));
        NextToken = page.NextToken;
        pages += 1;
      } while (NextToken);

      expect(pages).toBe(2);
      expect(seen).toEqual([OFFICE, OFFICE_2019, VISIO, FIREFOX, AUTOCAD, PROJECT]);
    });

    it.each<[string, DescribeApplicationsCommandInput, string]>([
      ['a MaxResults above 25', { MaxResults: 26 }, "'MaxResults'"],
      ['an unknown operating system', { OperatingSystemNames: ['WINDOWS_95' as never] }, "'OperatingSystemNames.1'"],
      ['an owner that is neither AMAZON nor an account', { Owner: 'someone' }, "'Owner'"],
      ['an application id of the wrong form', { ApplicationIds: ['office'] }, "'ApplicationIds.1'"],
    ])('rejects %s, naming the field', async (_case, input, field) => {
      await expect(local.clients.workspaces.send(new DescribeApplicationsCommand(input))).rejects.toMatchObject({
        name: 'InvalidParameterValuesException',
        message: expect.stringContaining(field),
      });
    });
  });

  describe('AssociateWorkspaceApplication and DisassociateWorkspaceApplication', () => {
    it('associates an application with a WorkSpace as PENDING_INSTALL', async () => {
      const { Association } = await local.clients.workspaces.send(
        new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-assoc0001', ApplicationId: OFFICE }),
      );
      const { Associations } = await local.clients.workspaces.send(
        new DescribeWorkspaceAssociationsCommand({
          WorkspaceId: 'ws-assoc0001',
          AssociatedResourceTypes: ['APPLICATION'],
        }),
      );

      const expected = {
        AssociatedResourceId: OFFICE,
        AssociatedResourceType: 'APPLICATION',
        WorkspaceId: 'ws-assoc0001',
        State: 'PENDING_INSTALL',
        Created: START,
        LastUpdatedTime: START,
      };
      expect(Association).toEqual(expected);
      expect(Associations).toEqual([expected]);
    });

    it('refuses to associate an application that is already associated', async () => {
      const call = local.clients.workspaces.send(
        new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-assoc0001', ApplicationId: OFFICE }),
      );

      await expect(call).rejects.toMatchObject({
        name: 'ResourceAlreadyExistsException',
        message: expect.stringContaining('PENDING_INSTALL'),
      });
    });

    it('refuses an application that cannot be installed next to one already associated', async () => {
      await local.clients.workspaces.send(
        new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-assoc0002', ApplicationId: OFFICE_2019 }),
      );

      const call = local.clients.workspaces.send(
        new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-assoc0002', ApplicationId: OFFICE }),
      );

      await expect(call).rejects.toMatchObject({
        name: 'IncompatibleApplicationsException',
        message: expect.stringContaining(OFFICE_2019),
      });
    });

    it.each([
      [
        'an application that does not exist',
        'ws-assoc0003',
        'wsa-nothere01',
        'ResourceNotFoundException',
        'wsa-nothere01',
      ],
      ['a WorkSpace that does not exist', 'ws-nothere01', OFFICE, 'ResourceNotFoundException', 'ws-nothere01'],
      [
        'an application for another operating system',
        'ws-assoc0003',
        FIREFOX,
        'OperatingSystemNotCompatibleException',
        'WINDOWS_10',
      ],
      ['an application for other compute types', 'ws-assoc0003', AUTOCAD, 'ComputeNotCompatibleException', 'STANDARD'],
      [
        'an application that can only be uninstalled',
        'ws-assoc0003',
        PROJECT,
        'ApplicationNotSupportedException',
        'UNINSTALL_ONLY',
      ],
      [
        'an application id of the wrong form',
        'ws-assoc0003',
        'office',
        'InvalidParameterValuesException',
        "'ApplicationId'",
      ],
      ['a WorkSpace id of the wrong form', 'workspace-1', OFFICE, 'InvalidParameterValuesException', "'WorkspaceId'"],
    ])('answers the documented error for %s', async (_case, WorkspaceId, ApplicationId, name, message) => {
      const call = local.clients.workspaces.send(
        new AssociateWorkspaceApplicationCommand({ WorkspaceId, ApplicationId }),
      );

      await expect(call).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
    });

    it('disassociates an application as PENDING_UNINSTALL, and a second time changes nothing', async () => {
      await local.clients.workspaces.send(
        new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-assoc0003', ApplicationId: OFFICE }),
      );
      await local.admin.advance(60);

      const first = await local.clients.workspaces.send(
        new DisassociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-assoc0003', ApplicationId: OFFICE }),
      );
      await local.admin.advance(60);
      const second = await local.clients.workspaces.send(
        new DisassociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-assoc0003', ApplicationId: OFFICE }),
      );

      expect(first.Association).toMatchObject({ State: 'PENDING_UNINSTALL', Created: expect.any(Date) });
      expect(second.Association).toEqual(first.Association);
    });

    it('refuses to associate an application again while its removal is pending', async () => {
      const call = local.clients.workspaces.send(
        new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-assoc0003', ApplicationId: OFFICE }),
      );

      await expect(call).rejects.toMatchObject({
        name: 'ResourceInUseException',
        message: expect.stringContaining('PENDING_UNINSTALL'),
      });
    });

    it('answers ResourceNotFoundException when disassociating an application that is not associated', async () => {
      const call = local.clients.workspaces.send(
        new DisassociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-assoc0003', ApplicationId: VISIO }),
      );

      await expect(call).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: expect.stringContaining('not associated'),
      });
    });
  });

  describe('describing associations', () => {
    it('shows a seeded failed association with its reason', async () => {
      const { Associations } = await local.clients.workspaces.send(
        new DescribeWorkspaceAssociationsCommand({
          WorkspaceId: 'ws-assoc0004',
          AssociatedResourceTypes: ['APPLICATION'],
        }),
      );

      expect(Associations).toMatchObject([
        {
          AssociatedResourceId: OFFICE,
          State: 'ERROR',
          StateReason: { ErrorCode: 'ValidationError.InsufficientDiskSpace', ErrorMessage: 'C: is full' },
        },
      ]);
    });

    it('describes the associations of a bundle and of an image', async () => {
      const bundle = await local.clients.workspaces.send(
        new DescribeBundleAssociationsCommand({ BundleId: 'wsb-office21b1', AssociatedResourceTypes: ['APPLICATION'] }),
      );
      const image = await local.clients.workspaces.send(
        new DescribeImageAssociationsCommand({ ImageId: 'wsi-office21i1', AssociatedResourceTypes: ['APPLICATION'] }),
      );
      const otherImage = await local.clients.workspaces.send(
        new DescribeImageAssociationsCommand({ ImageId: 'wsi-another001', AssociatedResourceTypes: ['APPLICATION'] }),
      );

      expect(bundle.Associations).toEqual([
        {
          AssociatedResourceId: OFFICE,
          AssociatedResourceType: 'APPLICATION',
          BundleId: 'wsb-office21b1',
          State: 'COMPLETED',
          Created: START,
          LastUpdatedTime: START,
        },
      ]);
      expect(image.Associations).toEqual([
        {
          AssociatedResourceId: OFFICE,
          AssociatedResourceType: 'APPLICATION',
          ImageId: 'wsi-office21i1',
          State: 'COMPLETED',
          Created: START,
          LastUpdatedTime: START,
        },
      ]);
      expect(otherImage.Associations).toEqual([]);
    });

    it('describes the associations of an application by resource type, page by page', async () => {
      const all = await local.clients.workspaces.send(
        new DescribeApplicationAssociationsCommand({
          ApplicationId: OFFICE,
          AssociatedResourceTypes: ['WORKSPACE', 'BUNDLE', 'IMAGE'],
        }),
      );
      const first = await local.clients.workspaces.send(
        new DescribeApplicationAssociationsCommand({
          ApplicationId: OFFICE,
          AssociatedResourceTypes: ['BUNDLE', 'IMAGE'],
          MaxResults: 1,
        }),
      );
      const second = await local.clients.workspaces.send(
        new DescribeApplicationAssociationsCommand({
          ApplicationId: OFFICE,
          AssociatedResourceTypes: ['BUNDLE', 'IMAGE'],
          MaxResults: 1,
          NextToken: first.NextToken,
        }),
      );

      expect(all.Associations?.map((a) => `${a.AssociatedResourceType} ${a.AssociatedResourceId}`)).toEqual([
        'BUNDLE wsb-office21b1',
        'IMAGE wsi-office21i1',
        'WORKSPACE ws-assoc0004',
        'WORKSPACE ws-assoc0001',
        'WORKSPACE ws-assoc0003',
      ]);
      expect(first.Associations).toEqual([
        {
          ApplicationId: OFFICE,
          AssociatedResourceId: 'wsb-office21b1',
          AssociatedResourceType: 'BUNDLE',
          State: 'COMPLETED',
          Created: START,
          LastUpdatedTime: START,
        },
      ]);
      expect(second.Associations?.map((a) => a.AssociatedResourceId)).toEqual(['wsi-office21i1']);
      expect(second.NextToken).toBeUndefined();
    });

    it.each([
      [
        'the associations of a WorkSpace that does not exist',
        () =>
          local.clients.workspaces.send(
            new DescribeWorkspaceAssociationsCommand({
              WorkspaceId: 'ws-nothere01',
              AssociatedResourceTypes: ['APPLICATION'],
            }),
          ),
        'ResourceNotFoundException',
        'ws-nothere01',
      ],
      [
        'the associations of an application that does not exist',
        () =>
          local.clients.workspaces.send(
            new DescribeApplicationAssociationsCommand({
              ApplicationId: 'wsa-nothere01',
              AssociatedResourceTypes: ['WORKSPACE'],
            }),
          ),
        'ResourceNotFoundException',
        'wsa-nothere01',
      ],
      [
        'associations without AssociatedResourceTypes',
        () =>
          local.clients.workspaces.send(
            new DescribeWorkspaceAssociationsCommand({ WorkspaceId: 'ws-assoc0001' } as never),
          ),
        'InvalidParameterValuesException',
        "'AssociatedResourceTypes'",
      ],
      [
        'associations of an unknown resource type',
        () =>
          local.clients.workspaces.send(
            new DescribeApplicationAssociationsCommand({
              ApplicationId: OFFICE,
              AssociatedResourceTypes: ['FLEET' as never],
            }),
          ),
        'InvalidParameterValuesException',
        "'AssociatedResourceTypes.1'",
      ],
      [
        'bundle associations for a bundle id of the wrong form',
        () =>
          local.clients.workspaces.send(
            new DescribeBundleAssociationsCommand({ BundleId: 'bundle', AssociatedResourceTypes: ['APPLICATION'] }),
          ),
        'InvalidParameterValuesException',
        "'BundleId'",
      ],
    ])('answers the documented error when asked for %s', async (_case, call, name, message) => {
      await expect(call()).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
    });
  });

  describe('seeding and CloudTrail', () => {
    it.each([
      [
        {
          applications: [
            SEED.workspaces.applications[0],
            { Name: 'Paint', SupportedOperatingSystemNames: ['DOS'], SupportedComputeTypeNames: ['VALUE'] },
          ],
        },
        'workspaces.applications[1].SupportedOperatingSystemNames.1',
      ],
      [
        { applications: [{ Name: 'Paint', SupportedComputeTypeNames: ['VALUE'] }] },
        'workspaces.applications[0].SupportedOperatingSystemNames',
      ],
      [
        { applications: [{ ...SEED.workspaces.applications[0], Created: 'last spring' }] },
        'workspaces.applications[0].Created must be an ISO 8601 time',
      ],
      [
        { associations: [{ ApplicationId: 'wsa-nothere01', WorkspaceId: 'ws-assoc0001' }] },
        'workspaces.associations[0].ApplicationId',
      ],
      [
        { associations: [{ ApplicationId: OFFICE, WorkspaceId: 'ws-assoc0001', BundleId: 'wsb-office21b1' }] },
        'Exactly one of WorkspaceId, BundleId and ImageId',
      ],
      [
        { deploymentFailures: [{ ApplicationId: OFFICE, WorkspaceId: 'ws-assoc0001', ErrorCode: 'Oops' }] },
        'workspaces.deploymentFailures[0].ErrorCode',
      ],
    ])('rejects a bad seed, naming where the mistake is (%#)', async (section, where) => {
      await expect(local.admin.seed({ workspaces: section })).rejects.toThrow(where);
    });

    it('records CloudTrail events for association calls, failed ones with their error code', async () => {
      await local.admin.clearCloudTrail();
      await local.clients.workspaces.send(
        new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-trail0001', ApplicationId: OFFICE }),
      );
      await local.clients.workspaces
        .send(new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-trail0001', ApplicationId: FIREFOX }))
        .catch(() => undefined);
      await local.clients.workspaces.send(
        new DisassociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-trail0001', ApplicationId: OFFICE }),
      );
      await local.clients.workspaces.send(new DescribeApplicationsCommand({}));

      const events = (await local.admin.cloudTrail()).map((event) => event.detail);

      expect(events).toMatchObject([
        {
          eventName: 'AssociateWorkspaceApplication',
          eventSource: 'workspaces.amazonaws.com',
          requestParameters: { workspaceId: 'ws-trail0001', applicationId: OFFICE },
        },
        {
          eventName: 'AssociateWorkspaceApplication',
          requestParameters: { applicationId: FIREFOX },
          errorCode: 'OperatingSystemNotCompatibleException',
        },
        {
          eventName: 'DisassociateWorkspaceApplication',
          requestParameters: { workspaceId: 'ws-trail0001', applicationId: OFFICE },
        },
      ]);
      expect(events[0]).not.toHaveProperty('errorCode');
    });
  });
});
