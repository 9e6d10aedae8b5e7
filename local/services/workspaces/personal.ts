import type { WorkspaceState } from '@aws-sdk/client-workspaces';
import { AwsError, compact } from '../../protocol.ts';
import type { Emulator, Operation } from '../../service.ts';
import { Params, type Input } from '../../validation.ts';
import {
  BUNDLE_ID,
  COMPUTE_TYPES,
  DIRECTORY_ID,
  ERROR_TYPE,
  MAX_PAGE,
  OPERATING_SYSTEMS,
  PROTOCOLS,
  RUNNING_MODES,
  WORKSPACE_ID,
  WORKSPACE_NAME,
  WORKSPACE_STATES,
  newId,
  pageOf,
  seedItems,
} from './shapes.ts';
import { enter, settle, type Desktop, type Properties, type Settling, type World } from './state.ts';

/**
 * Personal WorkSpaces: CreateWorkspaces, DescribeWorkspaces, ModifyWorkspaceProperties,
 * StartWorkspaces and StopWorkspaces, with the PENDING → AVAILABLE and STOPPED ⇄ AVAILABLE
 * lifecycles on the local clock.
 */
export function createPersonalEmulator(world: World): Emulator {
  return {
    targetPrefix: 'WorkspacesService',
    eventSource: 'workspaces.amazonaws.com',
    operations: {
      CreateWorkspaces: (input, ctx) => {
        const p = Params.of(input, ERROR_TYPE);
        // Every request is checked before any is acted on: a malformed one fails the whole call.
        const items = p.objects('Workspaces', { required: true, min: 1, max: MAX_PAGE });
        const requests = items.map(parseRequest);
        const raw = p.raw('Workspaces') as unknown[];
        const PendingRequests: unknown[] = [];
        const FailedRequests: unknown[] = [];
        requests.forEach((request, index) => {
          const taken = all(world, ctx.now).find((d) => sameUser(d, request));
          if (taken) {
            FailedRequests.push({
              WorkspaceRequest: raw[index],
              ErrorCode: 'ResourceAlreadyExistsException',
              ErrorMessage: `User ${request.UserName} already has WorkSpace ${taken.WorkspaceId} in directory ${request.DirectoryId}.`,
            });
            return;
          }
          PendingRequests.push(view(addDesktop(world, request, 'PENDING', ctx.now)));
        });
        return { FailedRequests, PendingRequests };
      },

      DescribeWorkspaces: (input, ctx) => {
        const p = Params.of(input, ERROR_TYPE);
        const filter = {
          WorkspaceIds: p.strings('WorkspaceIds', { min: 1, max: MAX_PAGE, item: { pattern: WORKSPACE_ID } }),
          DirectoryId: p.string('DirectoryId', { pattern: DIRECTORY_ID }),
          UserName: p.string('UserName', { min: 1, max: 63 }),
          BundleId: p.string('BundleId', { pattern: BUNDLE_ID }),
          WorkspaceName: p.string('WorkspaceName', { pattern: WORKSPACE_NAME }),
        };
        // "You can specify only one filter at a time"; UserName narrows DirectoryId only.
        const given = (['WorkspaceIds', 'DirectoryId', 'BundleId', 'WorkspaceName'] as const).filter(
          (name) => filter[name] !== undefined,
        );
        if (given.length > 1)
          throw new AwsError(ERROR_TYPE, `Only one filter can be given at a time, got ${given.join(' and ')}.`);
        if (filter.UserName !== undefined && filter.DirectoryId === undefined)
          throw new AwsError(ERROR_TYPE, 'UserName can be given only together with DirectoryId.');
        const found = all(world, ctx.now).filter(
          (d) =>
            (filter.WorkspaceIds?.includes(d.WorkspaceId) ?? true) &&
            wanted(filter.DirectoryId, d.DirectoryId) &&
            wanted(filter.UserName?.toLowerCase(), d.UserName.toLowerCase()) &&
            wanted(filter.BundleId, d.BundleId) &&
            wanted(filter.WorkspaceName, d.WorkspaceName),
        );
        const { page, nextToken } = pageOf(p, found, filter, 'Limit');
        return compact({ Workspaces: page.map(view), NextToken: nextToken });
      },

      ModifyWorkspaceProperties: (input, ctx) => {
        const p = Params.of(input, ERROR_TYPE);
        const id = p.string('WorkspaceId', { required: true, pattern: WORKSPACE_ID });
        const changes = parseProperties(p.object('WorkspaceProperties'));
        const desktop = findDesktop(world, id, ctx.now);
        // Modify a WorkSpace (admin guide): properties change only while the WorkSpace is AVAILABLE or STOPPED.
        if (desktop.state !== 'AVAILABLE' && desktop.state !== 'STOPPED')
          throw new AwsError(
            'InvalidResourceStateException',
            `WorkSpace ${id} is ${desktop.state}; its properties can be modified only when it is AVAILABLE or STOPPED.`,
          );
        desktop.properties = { ...desktop.properties, ...changes };
        return {};
      },

      // "You cannot start a WorkSpace unless it has a running mode of AutoStop or Manual and a state of STOPPED."
      StartWorkspaces: changeRunState(world, 'StartWorkspaceRequests', ['STOPPED'], 'STARTING'),
      // "You cannot stop a WorkSpace unless it has a running mode of AutoStop or Manual and a state of
      // AVAILABLE, IMPAIRED, UNHEALTHY, or ERROR."
      StopWorkspaces: changeRunState(
        world,
        'StopWorkspaceRequests',
        ['AVAILABLE', 'IMPAIRED', 'UNHEALTHY', 'ERROR'],
        'STOPPING',
      ),
    },
  };
}

/** The WorkSpace with this id, brought up to `now`; ResourceNotFoundException when there is none. */
export function findDesktop(world: World, id: string, now: number): Desktop {
  const desktop = world.desktops.get(id);
  if (!desktop) throw new AwsError('ResourceNotFoundException', `The WorkSpace ${id} could not be found.`);
  settle(desktop, now);
  return desktop;
}

/** Seeds `workspaces.workspaces`: WorkspaceRequest members plus an optional WorkspaceId and State. */
export function seedDesktops(world: World, section: Input, now: number): void {
  for (const p of seedItems(section, 'workspaces')) {
    const WorkspaceId = p.string('WorkspaceId', { pattern: WORKSPACE_ID });
    const state = p.enum('State', WORKSPACE_STATES) ?? 'AVAILABLE';
    addDesktop(world, parseRequest(p), state, now, WorkspaceId);
  }
}

/**
 * What a WorkSpace gets for properties its request leaves out. AWS takes them from the bundle; the
 * emulator has no bundle catalog and assumes the public "Standard with Windows 10 (Server 2022
 * based)" bundle, whose operating system reports as WINDOWS_SERVER_2022.
 */
export const DEFAULT_PROPERTIES: Properties = {
  RunningMode: 'AUTO_STOP',
  RunningModeAutoStopTimeoutInMinutes: 60,
  RootVolumeSizeGib: 80,
  UserVolumeSizeGib: 50,
  ComputeTypeName: 'STANDARD',
  Protocols: ['WSP'],
  OperatingSystemName: 'WINDOWS_SERVER_2022',
};

const SETTLING: Settling<WorkspaceState> = {
  PENDING: { to: 'AVAILABLE', after: 'provisionSeconds' },
  STARTING: { to: 'AVAILABLE', after: 'startSeconds' },
  STOPPING: { to: 'STOPPED', after: 'stopSeconds' },
};

type WorkspaceRequest = ReturnType<typeof parseRequest>;

function parseRequest(p: Params) {
  // Tags are checked but not kept: tagging belongs to the pools emulator's Create/DescribeTags.
  p.objects('Tags', { max: 50 })?.forEach((tag) => {
    tag.string('Key', { required: true, min: 1, max: 127 });
    tag.string('Value', { max: 255 });
  });
  return {
    DirectoryId: p.string('DirectoryId', { required: true, min: 10, max: 65, pattern: DIRECTORY_ID }),
    UserName: p.string('UserName', { required: true, min: 1, max: 63 }),
    BundleId: p.string('BundleId', { required: true, pattern: BUNDLE_ID }),
    WorkspaceName: p.string('WorkspaceName', { pattern: WORKSPACE_NAME }),
    VolumeEncryptionKey: p.string('VolumeEncryptionKey'),
    UserVolumeEncryptionEnabled: p.bool('UserVolumeEncryptionEnabled'),
    RootVolumeEncryptionEnabled: p.bool('RootVolumeEncryptionEnabled'),
    properties: parseProperties(p.object('WorkspaceProperties')),
  };
}

/** The properties a request sets (absent members are left out, so they merge over current ones). */
function parseProperties(p: Params | undefined): Partial<Properties> {
  if (!p) return {};
  const autoStop = p.int('RunningModeAutoStopTimeoutInMinutes', { min: 60 });
  // "Configured in 60-minute intervals."
  if (autoStop !== undefined && autoStop % 60 !== 0)
    p.fail('RunningModeAutoStopTimeoutInMinutes', 'Member must be a multiple of 60', autoStop);
  return compact({
    RunningMode: p.enum('RunningMode', RUNNING_MODES),
    RunningModeAutoStopTimeoutInMinutes: autoStop,
    RootVolumeSizeGib: p.int('RootVolumeSizeGib', { min: 1 }),
    UserVolumeSizeGib: p.int('UserVolumeSizeGib', { min: 1 }),
    ComputeTypeName: p.enum('ComputeTypeName', COMPUTE_TYPES),
    Protocols: p.enums('Protocols', PROTOCOLS),
    OperatingSystemName: p.enum('OperatingSystemName', OPERATING_SYSTEMS),
  });
}

function addDesktop(
  world: World,
  request: WorkspaceRequest,
  state: WorkspaceState,
  now: number,
  id = newId('ws'),
): Desktop {
  const { properties, ...members } = request;
  const number = world.desktops.size + 1;
  const desktop: Desktop = {
    ...compact(members),
    WorkspaceId: id,
    IpAddress: `10.0.${(number >> 8) & 255}.${number & 255}`,
    ComputerName: `WSAMZN-${id.slice(3, 11).toUpperCase()}`,
    properties: { ...DEFAULT_PROPERTIES, ...properties },
    state,
    updated: now,
  };
  enter(desktop, state, now, SETTLING, world.durations);
  world.desktops.set(id, desktop);
  return desktop;
}

function changeRunState(world: World, list: string, from: WorkspaceState[], via: WorkspaceState): Operation {
  return (input, ctx) => {
    const p = Params.of(input, ERROR_TYPE);
    const ids = p
      .objects(list, { required: true, min: 1, max: MAX_PAGE })
      .map((request) => request.string('WorkspaceId', { required: true, pattern: WORKSPACE_ID }));
    const FailedRequests: unknown[] = [];
    for (const WorkspaceId of ids) {
      const fail = (ErrorCode: string, ErrorMessage: string) =>
        FailedRequests.push({ WorkspaceId, ErrorCode, ErrorMessage });
      const desktop = world.desktops.get(WorkspaceId);
      if (!desktop) {
        fail('ResourceNotFoundException', `The WorkSpace ${WorkspaceId} could not be found.`);
        continue;
      }
      settle(desktop, ctx.now);
      if (desktop.properties.RunningMode === 'ALWAYS_ON') {
        fail(
          'InvalidResourceStateException',
          `WorkSpace ${WorkspaceId} runs ALWAYS_ON; only AUTO_STOP and MANUAL WorkSpaces can be started or stopped.`,
        );
      } else if (!from.includes(desktop.state)) {
        fail(
          'InvalidResourceStateException',
          `WorkSpace ${WorkspaceId} is ${desktop.state}; expected ${from.join(' or ')}.`,
        );
      } else {
        enter(desktop, via, ctx.now, SETTLING, world.durations);
      }
    }
    return { FailedRequests };
  };
}

function all(world: World, now: number): Desktop[] {
  const desktops = [...world.desktops.values()];
  for (const desktop of desktops) settle(desktop, now);
  return desktops;
}

/** Directory user names are case-insensitive, as in Active Directory. */
function sameUser(desktop: Desktop, request: WorkspaceRequest): boolean {
  return (
    desktop.state !== 'TERMINATED' &&
    desktop.DirectoryId === request.DirectoryId &&
    desktop.UserName.toLowerCase() === request.UserName.toLowerCase()
  );
}

function wanted(filter: string | undefined, actual: string | undefined): boolean {
  return filter === undefined || filter === actual;
}

function view(desktop: Desktop) {
  const { properties } = desktop;
  return compact({
    WorkspaceId: desktop.WorkspaceId,
    DirectoryId: desktop.DirectoryId,
    UserName: desktop.UserName,
    IpAddress: desktop.IpAddress,
    State: desktop.state,
    BundleId: desktop.BundleId,
    ComputerName: desktop.ComputerName,
    VolumeEncryptionKey: desktop.VolumeEncryptionKey,
    UserVolumeEncryptionEnabled: desktop.UserVolumeEncryptionEnabled,
    RootVolumeEncryptionEnabled: desktop.RootVolumeEncryptionEnabled,
    WorkspaceName: desktop.WorkspaceName,
    WorkspaceProperties: compact({
      ...properties,
      // The timeout applies to AutoStop WorkSpaces only, so it is reported for them only.
      RunningModeAutoStopTimeoutInMinutes:
        properties.RunningMode === 'AUTO_STOP' ? properties.RunningModeAutoStopTimeoutInMinutes : undefined,
    }),
  });
}
