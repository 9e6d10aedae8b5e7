import { describe, expect, it } from 'vitest';
import { checkCompatibility, type CompatibilityApplication, type CompatibilityWorkspace } from '#lib/apps/compatibility.ts';

const windows: CompatibilityWorkspace = { OperatingSystemName: 'WINDOWS_SERVER_2022', ComputeTypeName: 'STANDARD' };
const office: CompatibilityApplication = {
  State: 'AVAILABLE',
  SupportedOperatingSystemNames: ['WINDOWS_SERVER_2019', 'WINDOWS_SERVER_2022'],
  SupportedComputeTypeNames: ['STANDARD', 'PERFORMANCE', 'POWER'],
};

describe('checkCompatibility: can the WorkSpace take the application', () => {
  it('a supported operating system and compute type on an AVAILABLE application are compatible', () => {
    expect(checkCompatibility(windows, office)).toEqual({ compatible: true, unchecked: [] });
  });

  it.each([
    {
      name: 'an unsupported operating system is not compatible, naming it and what is supported',
      workspace: { ...windows, OperatingSystemName: 'AMAZON_LINUX_2' },
      application: office,
      reason: 'the WorkSpace runs AMAZON_LINUX_2; the application supports WINDOWS_SERVER_2019, WINDOWS_SERVER_2022.',
    },
    {
      name: 'an unsupported compute type is not compatible, naming it and what is supported',
      workspace: { ...windows, ComputeTypeName: 'VALUE' },
      application: office,
      reason: "the WorkSpace's compute type is VALUE; the application supports STANDARD, PERFORMANCE, POWER.",
    },
    {
      name: 'an application that may only be uninstalled is not compatible for an install',
      workspace: windows,
      application: { ...office, State: 'UNINSTALL_ONLY' },
      reason: 'the application is UNINSTALL_ONLY, not AVAILABLE.',
    },
    {
      name: 'an application still being imported is not compatible yet',
      workspace: windows,
      application: { ...office, State: 'PENDING' },
      reason: 'the application is PENDING, not AVAILABLE.',
    },
    {
      name: 'an application that supports no compute type says so',
      workspace: windows,
      application: { ...office, SupportedComputeTypeNames: [] },
      reason: "the WorkSpace's compute type is STANDARD; the application supports none.",
    },
    {
      name: 'several mismatches are all named, in one sentence',
      workspace: { OperatingSystemName: 'UBUNTU_22_04', ComputeTypeName: 'VALUE' },
      application: { ...office, State: 'ERROR' },
      reason:
        "the application is ERROR, not AVAILABLE; the WorkSpace runs UBUNTU_22_04; the application supports WINDOWS_SERVER_2019, WINDOWS_SERVER_2022; the WorkSpace's compute type is VALUE; the application supports STANDARD, PERFORMANCE, POWER.",
    },
  ] satisfies Array<{ name: string; workspace: CompatibilityWorkspace; application: CompatibilityApplication; reason: string }>)(
    '$name',
    ({ workspace, application, reason }) => {
      const result = checkCompatibility(workspace, application);
      expect(result.compatible).toBe(false);
      expect(!result.compatible && result.reason).toBe(reason);
    },
  );

  it('lists the mismatches as data, for the audit entry', () => {
    const result = checkCompatibility({ ...windows, OperatingSystemName: 'AMAZON_LINUX_2' }, office);
    expect(!result.compatible && result.mismatches).toEqual([
      { field: 'OperatingSystemName', actual: 'AMAZON_LINUX_2', supported: ['WINDOWS_SERVER_2019', 'WINDOWS_SERVER_2022'] },
    ]);
  });

  it('leaves to the deployment what it cannot check, and says what that was', () => {
    const result = checkCompatibility({ ComputeTypeName: 'STANDARD' }, { SupportedComputeTypeNames: ['STANDARD'] });
    expect(result).toEqual({ compatible: true, unchecked: ['State', 'OperatingSystemName'] });
  });
});
