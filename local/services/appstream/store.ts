import type {
  ComputeCapacityStatus,
  CreateFleetRequest,
  Fleet,
  FleetState,
  FleetType,
  Stack,
} from '@aws-sdk/client-appstream';
import { arn } from '../../arn.ts';
import { compact, epochSeconds } from '../../protocol.ts';
import type { EmulatorDeps } from '../../service.ts';
import { runningAt, settle, type Provisioning, type Target } from './capacity.ts';
import { notFound } from './requests.ts';

/** How long StartFleet keeps a fleet STARTING before it is RUNNING (AWS takes about 10–15 minutes). */
export const FLEET_START_SECONDS = 600;
/** How long StopFleet keeps a fleet STOPPING before it is STOPPED. */
export const FLEET_STOP_SECONDS = 300;
/** Instances a fleet adds per minute while below its desired capacity; seeds may set their own. */
export const DEFAULT_PROVISIONING_RATE_PER_MINUTE = 2;

/** A resource as the wire carries it: timestamps are epoch seconds. */
export type Wire<T> = { [K in keyof T]: T[K] extends Date | undefined ? number | undefined : T[K] };

/** What a fleet was configured with: CreateFleet's members with AWS's defaults filled in. */
export type FleetSpec = Omit<CreateFleetRequest, 'Name' | 'InstanceType' | 'FleetType' | 'Tags'> & {
  Name: string;
  InstanceType: string;
  FleetType: FleetType;
};

/** What a stack was configured with: the Stack members a caller sets. */
export type StackSpec = Omit<Wire<Stack>, 'Arn' | 'CreatedTime' | 'StackErrors'> & { Name: string };

export interface FleetRecord {
  readonly arn: string;
  readonly createdAt: number;
  spec: FleetSpec;
  tags: Record<string, string>;
  /** The state last entered and when; STARTING and STOPPING end by themselves (see `stateAt`). */
  phase: FleetState;
  since: number;
  provisioning: Provisioning;
  readonly ratePerMinute: number;
}

export interface StackRecord {
  readonly arn: string;
  readonly createdAt: number;
  spec: StackSpec;
  tags: Record<string, string>;
  /** AppStream streams a stack from one fleet at a time. */
  fleet?: string | undefined;
}

export function stateAt(fleet: FleetRecord, now: number): FleetState {
  if (fleet.phase === 'STARTING' && now >= fleet.since + FLEET_START_SECONDS * 1000) return 'RUNNING';
  if (fleet.phase === 'STOPPING' && now >= fleet.since + FLEET_STOP_SECONDS * 1000) return 'STOPPED';
  return fleet.phase;
}

/** Enters a state. A fleet entered as RUNNING (seeds only) has its desired capacity at once. */
export function enter(fleet: FleetRecord, phase: FleetState, now: number): void {
  fleet.phase = phase;
  fleet.since = now;
  fleet.provisioning = { at: now, running: phase === 'RUNNING' ? desiredInstances(fleet.spec) : 0 };
}

/** Multi-session fleets host MaxSessionsPerInstance sessions per instance; others one. */
export function sessionsPerInstance(spec: FleetSpec): number {
  return spec.MaxSessionsPerInstance ?? 1;
}

export function desiredInstances(spec: FleetSpec): number {
  const capacity = spec.ComputeCapacity;
  if (capacity?.DesiredSessions !== undefined) return Math.ceil(capacity.DesiredSessions / sessionsPerInstance(spec));
  return capacity?.DesiredInstances ?? 0;
}

/** Views of one fleet at one moment, given the users' demand on it then. */
export class FleetAt {
  readonly state: FleetState;

  constructor(
    readonly fleet: FleetRecord,
    private readonly demand: number,
    readonly now: number,
  ) {
    this.state = stateAt(fleet, now);
  }

  /** Instances provisioned: they count up from StartFleet on; STOPPING and STOPPED fleets have none. */
  get running(): number {
    if (this.state !== 'STARTING' && this.state !== 'RUNNING') return 0;
    return runningAt(this.fleet.provisioning, this.target, this.state === 'RUNNING' ? this.demand : 0, this.now);
  }

  /** Streaming sessions: users get them only on a RUNNING fleet, and only as many as it has room for. */
  get activeSessions(): number {
    if (this.state !== 'RUNNING') return 0;
    if (this.fleet.spec.FleetType === 'ELASTIC')
      return Math.min(this.demand, this.fleet.spec.MaxConcurrentSessions ?? 0);
    return Math.min(this.demand, this.running * sessionsPerInstance(this.fleet.spec));
  }

  get capacityStatus(): ComputeCapacityStatus {
    const active = this.activeSessions;
    // Elastic fleets own no instances to size: AppStream draws one from its pool per session.
    if (this.fleet.spec.FleetType === 'ELASTIC')
      return { Desired: active, Running: active, InUse: active, Available: 0 };
    const perInstance = sessionsPerInstance(this.fleet.spec);
    const running = this.running;
    const desired = desiredInstances(this.fleet.spec);
    const inUse = Math.ceil(active / perInstance);
    const status = { Desired: desired, Running: running, InUse: inUse, Available: running - inUse };
    if (this.fleet.spec.MaxSessionsPerInstance === undefined) return status;
    return {
      ...status,
      DesiredUserSessions: desired * perInstance,
      ActualUserSessions: running * perInstance,
      ActiveUserSessions: active,
      AvailableUserSessions: running * perInstance - active,
    };
  }

  get wire(): Wire<Fleet> {
    const { ComputeCapacity: _configured, ...attributes } = this.fleet.spec;
    return compact({
      Arn: this.fleet.arn,
      ...attributes,
      State: this.state,
      ComputeCapacityStatus: this.capacityStatus,
      CreatedTime: epochSeconds(this.fleet.createdAt),
    });
  }

  /** Pins the instance count now and gives the fleet a new configuration from here on. */
  reconfigure(spec: FleetSpec): void {
    if (this.state === 'RUNNING')
      this.fleet.provisioning = settle(this.fleet.provisioning, this.target, this.demand, this.now);
    this.fleet.spec = spec;
  }

  private get target(): Target {
    return {
      desired: desiredInstances(this.fleet.spec),
      ratePerMinute: this.fleet.ratePerMinute,
      sessionsPerInstance: sessionsPerInstance(this.fleet.spec),
    };
  }
}

export function stackWire(stack: StackRecord): Wire<Stack> {
  return compact({ Arn: stack.arn, ...stack.spec, CreatedTime: epochSeconds(stack.createdAt) });
}

/** All AppStream resources of one local cloud. */
export class AppStreamStore {
  readonly fleets = new Map<string, FleetRecord>();
  readonly stacks = new Map<string, StackRecord>();

  constructor(private readonly deps: EmulatorDeps) {}

  arn(kind: 'fleet' | 'stack', name: string): string {
    return arn('appstream', this.deps.region, this.deps.accountId, `${kind}/${name}`);
  }

  fleet(name: string): FleetRecord {
    const fleet = this.fleets.get(name);
    if (!fleet) throw notFound(`Fleet ${name} does not exist.`);
    return fleet;
  }

  stack(name: string): StackRecord {
    const stack = this.stacks.get(name);
    if (!stack) throw notFound(`Stack ${name} does not exist.`);
    return stack;
  }

  /** A fleet or stack by ARN, for tagging. */
  tagged(arn: string): FleetRecord | StackRecord {
    const [, kind, name = ''] = /:(fleet|stack)\/(.+)$/.exec(arn) ?? [];
    const resource = kind === 'fleet' ? this.fleets.get(name) : kind === 'stack' ? this.stacks.get(name) : undefined;
    if (!resource || resource.arn !== arn) throw notFound(`Resource ${arn} does not exist.`);
    return resource;
  }

  at(fleet: FleetRecord, now: number): FleetAt {
    return new FleetAt(fleet, this.deps.usage.demand('fleet', fleet.spec.Name, now), now);
  }

  newFleet(
    spec: FleetSpec,
    tags: Record<string, string>,
    now: number,
    ratePerMinute = DEFAULT_PROVISIONING_RATE_PER_MINUTE,
  ) {
    const fleet: FleetRecord = {
      arn: this.arn('fleet', spec.Name),
      createdAt: now,
      spec,
      tags,
      phase: 'STOPPED',
      since: now,
      provisioning: { at: now, running: 0 },
      ratePerMinute,
    };
    this.fleets.set(spec.Name, fleet);
    return fleet;
  }

  newStack(spec: StackSpec, tags: Record<string, string>, now: number): StackRecord {
    const stack: StackRecord = { arn: this.arn('stack', spec.Name), createdAt: now, spec, tags };
    this.stacks.set(spec.Name, stack);
    return stack;
  }

  /** Names of the stacks a fleet streams, in name order. */
  stacksOf(fleetName: string): string[] {
    return [...this.stacks.values()]
      .filter((stack) => stack.fleet === fleetName)
      .map((stack) => stack.spec.Name)
      .sort();
  }
}
