import type { WorkSpaceApplication, WorkspaceProperties } from '@aws-sdk/client-workspaces';

/**
 * The pre-check before an install: can this WorkSpace take this application?
 *
 * Input: the WorkSpace's properties (DescribeWorkspaces `WorkspaceProperties`) and the application
 * (DescribeApplications). Output: compatible, or every reason it is not, each naming what does not
 * match. An incompatible application is recorded and reported, not deployed. Pure and total.
 *
 * Rules:
 * - the application must be AVAILABLE (PENDING is still being imported, ERROR is broken,
 *   UNINSTALL_ONLY may only be removed);
 * - the WorkSpace's OperatingSystemName must be one of SupportedOperatingSystemNames;
 * - the WorkSpace's ComputeTypeName must be one of SupportedComputeTypeNames.
 * When either side does not say (no OperatingSystemName on an older WorkSpace, no supported list),
 * the rule cannot be checked: it is listed in `unchecked` and the deployment itself decides (a
 * real mismatch then ends in ValidationError.*).
 *
 * Only installs are checked: an uninstall is never held back by compatibility.
 */

export type CompatibilityWorkspace = Pick<WorkspaceProperties, 'OperatingSystemName' | 'ComputeTypeName'>;
export type CompatibilityApplication = Pick<WorkSpaceApplication, 'SupportedOperatingSystemNames' | 'SupportedComputeTypeNames' | 'State'>;

export type Mismatch =
  | { field: 'State'; actual: string; expected: 'AVAILABLE' }
  | { field: 'OperatingSystemName'; actual: string; supported: string[] }
  | { field: 'ComputeTypeName'; actual: string; supported: string[] };

export type Unchecked = 'OperatingSystemName' | 'ComputeTypeName' | 'State';

export type Compatibility =
  | { compatible: true; unchecked: Unchecked[] }
  | { compatible: false; mismatches: Mismatch[]; /** One sentence naming what does not match. */ reason: string };

export function checkCompatibility(workspace: CompatibilityWorkspace, application: CompatibilityApplication): Compatibility {
  const mismatches: Mismatch[] = [];
  const unchecked: Unchecked[] = [];

  if (application.State === undefined) unchecked.push('State');
  else if (application.State !== 'AVAILABLE') mismatches.push({ field: 'State', actual: application.State, expected: 'AVAILABLE' });

  const os = workspace.OperatingSystemName;
  const supportedOs = application.SupportedOperatingSystemNames;
  if (os === undefined || supportedOs === undefined) unchecked.push('OperatingSystemName');
  else if (!supportedOs.includes(os)) mismatches.push({ field: 'OperatingSystemName', actual: os, supported: [...supportedOs] });

  const compute = workspace.ComputeTypeName;
  const supportedCompute = application.SupportedComputeTypeNames;
  if (compute === undefined || supportedCompute === undefined) unchecked.push('ComputeTypeName');
  else if (!supportedCompute.includes(compute)) mismatches.push({ field: 'ComputeTypeName', actual: compute, supported: [...supportedCompute] });

  if (mismatches.length === 0) return { compatible: true, unchecked };
  return { compatible: false, mismatches, reason: `${mismatches.map(describe).join('; ')}.` };
}

function describe(mismatch: Mismatch): string {
  switch (mismatch.field) {
    case 'State':
      return `the application is ${mismatch.actual}, not AVAILABLE`;
    case 'OperatingSystemName':
      return `the WorkSpace runs ${mismatch.actual}; the application supports ${list(mismatch.supported)}`;
    case 'ComputeTypeName':
      return `the WorkSpace's compute type is ${mismatch.actual}; the application supports ${list(mismatch.supported)}`;
  }
}

function list(values: string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}
