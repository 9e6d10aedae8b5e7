import type { FleetState, FleetType } from '@aws-sdk/client-appstream';
import type { PoolsRunningMode, WorkspacesPoolState } from '@aws-sdk/client-workspaces';

/**
 * A pool or fleet euc-autopilot manages, as observed at one moment, with its capacity in the unit
 * its API sets it in:
 *
 * | target                                   | unit      | set through                        | desired / actual / active / available |
 * | ---------------------------------------- | --------- | ---------------------------------- | ------------------------------------- |
 * | WorkSpaces pool                          | sessions  | Capacity.DesiredUserSessions       | CapacityStatus.Desired/Actual/Active/AvailableUserSessions |
 * | single-session fleet (ALWAYS_ON, ON_DEMAND) | instances | ComputeCapacity.DesiredInstances | ComputeCapacityStatus.Desired/Running/InUse/Available |
 * | multi-session fleet (MaxSessionsPerInstance > 1) | sessions | ComputeCapacity.DesiredSessions | ComputeCapacityStatus.Desired/Actual/Active/AvailableUserSessions |
 * | ELASTIC fleet                            | sessions  | MaxConcurrentSessions              | MaxConcurrentSessions / the same / ActiveUserSessions or InUse / the rest |
 *
 * An ELASTIC fleet provisions nothing ahead: its capacity is a ceiling on concurrent sessions,
 * there as soon as it is set, so `actual` equals `desired`.
 */
export type TargetKind = 'pool' | 'fleet';
export type CapacityUnit = 'sessions' | 'instances';

/** How a target's capacity is counted and changed (the rows of the table above). */
export type CapacityModel = 'pool-sessions' | 'fleet-instances' | 'fleet-sessions' | 'fleet-elastic';

interface TargetBase {
  /** Pool id (`wspool-…`) or fleet name: what the APIs address it by. */
  id: string;
  name: string;
  arn: string;
  capacityModel: CapacityModel;
  unit: CapacityUnit;
  desired: number;
  actual: number;
  active: number;
  available: number;
  /** Tags, present only when a tag selector made them worth fetching. */
  tags?: Readonly<Record<string, string>>;
  /** Indices of the selectors (as passed to listTargets) this target matched. */
  matchedSelectors: readonly number[];
}

export interface PoolTarget extends TargetBase {
  kind: 'pool';
  state: WorkspacesPoolState;
  /** Off-hours stop applies to AUTO_STOP pools only. */
  runningMode: PoolsRunningMode | undefined;
}

export interface FleetTarget extends TargetBase {
  kind: 'fleet';
  state: FleetState;
  fleetType: FleetType | undefined;
  /** Sessions one instance hosts: 1 unless multi-session. */
  sessionsPerInstance: number;
}

export type ManagedTarget = PoolTarget | FleetTarget;

/** What setCapacity/start/stop need of a target: its kind, id and how its capacity is set. */
export type TargetRef = Pick<ManagedTarget, 'kind' | 'id' | 'capacityModel'>;
