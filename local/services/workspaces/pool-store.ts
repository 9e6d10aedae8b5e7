import type { WorkspacesPool, WorkspacesPoolSession } from '@aws-sdk/client-workspaces';
import { arn } from '../../arn.ts';
import { sha256Hex } from '../../ids.ts';
import { AwsError, compact, epochSeconds } from '../../protocol.ts';
import type { EmulatorDeps } from '../../service.ts';
import {
  actualSessions,
  usableSessions,
  defaultTimings,
  enter,
  hasInstances,
  sessionIdentity,
  settle,
  type Lifecycle,
  type PoolState,
  type PoolTimings,
} from './pool-lifecycle.ts';
import {
  MAX_TAGS,
  type ApplicationSettings,
  type NewPool,
  type PoolSettings,
  type RunningMode,
  type TimeoutSettings,
} from './pool-params.ts';

/**
 * Pools per account and Region before CreateWorkspacesPool is refused: the emulator's own default
 * quota. A seed's `workspaces.poolQuota` raises it, as a Service Quotas increase would.
 */
export const MAX_POOLS = 50;
/** Running mode of a pool created without one; the API reference documents no default. */
export const DEFAULT_RUNNING_MODE: RunningMode = 'ALWAYS_ON';
/** Timeouts of a pool created without them: AppStream's defaults (pools stream on the same platform). */
const DEFAULT_TIMEOUTS: Required<TimeoutSettings> = {
  DisconnectTimeoutInSeconds: 900,
  IdleDisconnectTimeoutInSeconds: 900,
  MaxUserDurationInSeconds: 57_600,
};

export interface Pool extends Lifecycle {
  readonly arn: string;
  readonly createdAt: number;
  readonly name: string;
  description: string;
  bundleId: string;
  directoryId: string;
  runningMode: RunningMode;
  applicationSettings: ApplicationSettings;
  timeoutSettings: Required<TimeoutSettings>;
  tags: Map<string, string | undefined>;
}

/** How a seed places a pool: its own id, a state other than CREATING, other timings. */
export interface Placement {
  id?: string | undefined;
  state?: PoolState | undefined;
  timings?: PoolTimings | undefined;
}

/** Timestamps travel as epoch seconds on the AWS JSON wire. */
type OnTheWire<T, Time extends keyof T> = Omit<T, Time> & { [K in Time]?: number };
export type WirePool = OnTheWire<WorkspacesPool, 'CreatedAt'>;
export type WirePoolSession = OnTheWire<WorkspacesPoolSession, 'StartTime' | 'ExpirationTime'>;

/**
 * The pools of one account and Region, each brought up to date with the local clock whenever it
 * is looked up, so callers only ever see a pool as it is now.
 */
export class PoolStore {
  private readonly pools = new Map<string, Pool>();
  private created = 0;
  /** Pools the account may hold (MAX_POOLS unless a seed raised it). */
  quota = MAX_POOLS;

  constructor(private readonly deps: EmulatorDeps) {}

  /** Every pool as of `now`, oldest first. */
  list(now: number): Pool[] {
    return [...this.pools.keys()].flatMap((id) => this.find(id, now) ?? []);
  }

  find(id: string, now: number): Pool | undefined {
    const pool = this.pools.get(id);
    if (pool && !settle(pool, now, (at) => this.deps.usage.demand('pool', id, at))) this.pools.delete(id);
    return this.pools.get(id);
  }

  get(id: string, now: number): Pool {
    const pool = this.find(id, now);
    if (!pool) throw new AwsError('ResourceNotFoundException', `The pool ${id} could not be found.`);
    return pool;
  }

  /** Adds a pool in CREATING (or where `placement` puts it), refusing a taken name or one pool too many. */
  create(spec: NewPool, now: number, placement: Placement = {}): Pool {
    const others = this.list(now).filter((pool) => pool.id !== placement.id);
    if (others.some((pool) => pool.name === spec.PoolName)) {
      throw new AwsError('ResourceAlreadyExistsException', `A pool named ${spec.PoolName} already exists.`);
    }
    if (others.length >= this.quota) {
      throw new AwsError('ResourceLimitExceededException', `This account already has ${this.quota} pools, its limit.`);
    }
    const id = placement.id ?? this.newId();
    const pool: Pool = {
      id,
      arn: arn('workspaces', this.deps.region, this.deps.accountId, `workspacespool/${id}`),
      createdAt: now,
      name: spec.PoolName,
      description: spec.Description,
      bundleId: spec.BundleId,
      directoryId: spec.DirectoryId,
      runningMode: spec.RunningMode ?? DEFAULT_RUNNING_MODE,
      applicationSettings: spec.ApplicationSettings ?? { Status: 'DISABLED' },
      timeoutSettings: { ...DEFAULT_TIMEOUTS, ...compact(spec.TimeoutSettings ?? {}) },
      tags: new Map(),
      desired: spec.DesiredUserSessions,
      actual: 0,
      state: 'CREATING',
      sessions: [],
      sessionsStarted: 0,
      settledAt: now,
      timings: placement.timings ?? defaultTimings(),
    };
    setTags(pool, spec.Tags);
    enter(pool, placement.state ?? 'CREATING', now);
    // A pool placed directly in a serving state has its capacity already.
    if (hasInstances(pool.state)) pool.actual = pool.desired;
    this.pools.set(id, pool);
    return pool;
  }

  /** Deterministic ids (`wspool-` and 9 base-36 characters) so runs of a scenario are alike. */
  private newId(): string {
    for (;;) {
      const seed = `${this.deps.accountId}/${this.deps.region}/${++this.created}`;
      const id = `wspool-${BigInt(`0x${sha256Hex(seed)}`).toString(36).slice(-9)}`;
      if (!this.pools.has(id)) return id;
    }
  }
}

export function applySettings(pool: Pool, settings: PoolSettings): void {
  pool.description = settings.Description ?? pool.description;
  pool.bundleId = settings.BundleId ?? pool.bundleId;
  pool.directoryId = settings.DirectoryId ?? pool.directoryId;
  pool.desired = settings.DesiredUserSessions ?? pool.desired;
  pool.runningMode = settings.RunningMode ?? pool.runningMode;
  pool.applicationSettings = settings.ApplicationSettings ?? pool.applicationSettings;
  pool.timeoutSettings = { ...pool.timeoutSettings, ...compact(settings.TimeoutSettings ?? {}) };
}

/** Adds or overwrites tags, refusing more than a resource may carry. */
export function setTags(pool: Pool, tags: ReadonlyArray<[string, string | undefined]>): void {
  const merged = new Map([...pool.tags, ...tags]);
  if (merged.size > MAX_TAGS) {
    throw new AwsError(
      'ResourceLimitExceededException',
      `A pool can have at most ${MAX_TAGS} tags; this would make ${merged.size}.`,
    );
  }
  pool.tags = merged;
}

export function poolView(pool: Pool, region: string, accountId: string): WirePool {
  const actual = actualSessions(pool);
  const active = pool.sessions.length;
  const { Status, SettingsGroup } = pool.applicationSettings;
  return {
    PoolId: pool.id,
    PoolArn: pool.arn,
    CapacityStatus: {
      // A slot being drained still counts in ActualUserSessions but takes no new session.
      AvailableUserSessions: Math.max(0, usableSessions(pool) - active),
      DesiredUserSessions: pool.desired,
      ActualUserSessions: actual,
      ActiveUserSessions: active,
    },
    PoolName: pool.name,
    Description: pool.description,
    State: pool.state,
    CreatedAt: epochSeconds(pool.createdAt),
    BundleId: pool.bundleId,
    DirectoryId: pool.directoryId,
    ApplicationSettings: compact({
      Status,
      SettingsGroup,
      // Enabling persistent settings creates one bucket per account and Region.
      S3BucketName: Status === 'ENABLED' ? `wspool-app-settings-${region}-${accountId}` : undefined,
    }),
    TimeoutSettings: pool.timeoutSettings,
    RunningMode: pool.runningMode,
  };
}

export function sessionViews(pool: Pool): WirePoolSession[] {
  return pool.sessions.map((session) => {
    const { EniId, EniPrivateIpAddress, ...identity } = sessionIdentity(pool.id, session);
    return {
      ...identity,
      PoolId: pool.id,
      AuthenticationType: 'SAML',
      ConnectionState: 'CONNECTED',
      StartTime: epochSeconds(session.startedAt),
      NetworkAccessConfiguration: { EniId, EniPrivateIpAddress },
    };
  });
}
