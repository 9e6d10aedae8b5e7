import type {
  AssociationErrorCode,
  AssociationState,
  ApplicationAssociatedResourceType,
  Compute,
  OperatingSystemName,
  Protocol,
  RunningMode,
  WorkSpaceApplicationLicenseType,
  WorkSpaceApplicationState,
  WorkspaceState,
} from '@aws-sdk/client-workspaces';

/**
 * What the personal WorkSpaces and applications emulators share: the WorkSpaces, the application
 * catalog, the associations between them, and how long things take.
 *
 * Every lifecycle is computed lazily on the local clock: a record keeps its state and, while a
 * transition is under way, the state it reaches and when. `settle` applies a transition whose time
 * has come whenever the record is read or changed, so no timer runs and `advance` is all it takes.
 */
export interface Lifecycle<S extends string> {
  state: S;
  /** When `state` was entered, ms on the local clock. */
  updated: number;
  next?: { state: S; at: number };
}

export function settle<S extends string>(item: Lifecycle<S>, now: number): void {
  if (item.next && item.next.at <= now) {
    item.updated = item.next.at;
    item.state = item.next.state;
    item.next = undefined;
  }
}

/** Transitional states: the state each leads to by itself, and after which duration. */
export type Settling<S extends string> = Partial<Record<S, { to: S; after: keyof Durations }>>;

/**
 * Enters `state` now. A transitional state (per `settling`) reaches its successor after its
 * duration — or `outcome` instead, as a deployment that is going to fail reaches ERROR.
 */
export function enter<S extends string>(
  item: Lifecycle<S>,
  state: S,
  now: number,
  settling: Settling<S>,
  durations: Durations,
  outcome?: S,
): void {
  item.state = state;
  item.updated = now;
  const rule = settling[state];
  item.next = rule && { state: outcome ?? rule.to, at: now + durations[rule.after] * 1000 };
}

/**
 * How long things take, in seconds of local-cloud time. AWS publishes no figures; these are the
 * order of magnitude seen in practice, so a workflow's waits and timeouts meet realistic delays.
 * A seed may change any of them (`workspaces.durations`).
 */
export const DEFAULT_DURATIONS = {
  /** PENDING → AVAILABLE after CreateWorkspaces: a new WorkSpace is usually ready in about 20 minutes. */
  provisionSeconds: 20 * 60,
  /** STARTING → AVAILABLE: an AutoStop WorkSpace without hibernation boots in a couple of minutes. */
  startSeconds: 2 * 60,
  /** STOPPING → STOPPED. */
  stopSeconds: 2 * 60,
  /** INSTALLING → COMPLETED (or ERROR): an Office-sized installer runs for several minutes. */
  installSeconds: 10 * 60,
  /** UNINSTALLING → REMOVED (or ERROR). */
  uninstallSeconds: 5 * 60,
};
export type Durations = typeof DEFAULT_DURATIONS;

export interface Properties {
  RunningMode: RunningMode;
  RunningModeAutoStopTimeoutInMinutes: number;
  RootVolumeSizeGib: number;
  UserVolumeSizeGib: number;
  ComputeTypeName: Compute;
  Protocols: Protocol[];
  OperatingSystemName: OperatingSystemName;
}

/** A personal WorkSpace. */
export interface Desktop extends Lifecycle<WorkspaceState> {
  WorkspaceId: string;
  DirectoryId: string;
  UserName: string;
  BundleId: string;
  WorkspaceName?: string;
  VolumeEncryptionKey?: string;
  UserVolumeEncryptionEnabled?: boolean;
  RootVolumeEncryptionEnabled?: boolean;
  IpAddress: string;
  ComputerName: string;
  properties: Properties;
}

export interface Application {
  ApplicationId: string;
  Name: string;
  Description?: string;
  Owner: string;
  LicenseType: WorkSpaceApplicationLicenseType;
  State: WorkSpaceApplicationState;
  SupportedOperatingSystemNames: OperatingSystemName[];
  SupportedComputeTypeNames: Compute[];
  created: number;
  /**
   * Emulator-only (seeded): ids or names of applications that cannot be installed next to this one,
   * as two editions of Microsoft Office cannot. Drives IncompatibleApplicationsException.
   */
  conflictsWith: string[];
}

export interface StateReason {
  ErrorCode: AssociationErrorCode;
  ErrorMessage: string;
}

export interface Association extends Lifecycle<AssociationState> {
  ApplicationId: string;
  resourceType: ApplicationAssociatedResourceType;
  resourceId: string;
  created: number;
  /** What the association is heading for, so a forced redeploy after ERROR retries the same way. */
  intent: 'install' | 'uninstall';
  /** Why the current (or coming) ERROR happened; shown only while the state is ERROR. */
  reason?: StateReason;
}

/** "The next `remaining` deployments of this application on this WorkSpace end in ERROR." */
export interface ScriptedFailure {
  ApplicationId: string;
  WorkspaceId: string;
  reason: StateReason;
  remaining: number;
}

export interface World {
  durations: Durations;
  desktops: Map<string, Desktop>;
  applications: Map<string, Application>;
  /** In creation order; one record per (resource, application), reused after REMOVED. */
  associations: Association[];
  failures: ScriptedFailure[];
}

export function createWorld(): World {
  return {
    durations: { ...DEFAULT_DURATIONS },
    desktops: new Map(),
    applications: new Map(),
    associations: [],
    failures: [],
  };
}
