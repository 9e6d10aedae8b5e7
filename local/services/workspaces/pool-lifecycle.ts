import { sha256Hex, stableUuid } from '../../ids.ts';

/**
 * The life of one emulated WorkSpaces pool, measured on the local clock and computed lazily: a pool
 * stores when it last was brought up to date (`settledAt`) and `settle` replays the time since then
 * whenever the pool is read or changed. No wall-clock timers are involved, so `advance` on the
 * local clock is all it takes to move a pool through its states.
 */
export type PoolState = 'CREATING' | 'DELETING' | 'RUNNING' | 'STARTING' | 'STOPPED' | 'STOPPING' | 'UPDATING';
export const POOL_STATES: readonly PoolState[] = [
  'CREATING',
  'DELETING',
  'RUNNING',
  'STARTING',
  'STOPPED',
  'STOPPING',
  'UPDATING',
];

/** States that end by themselves after a while, and what follows each (`GONE`: the pool is deleted). */
export type TransitionalState = 'CREATING' | 'UPDATING' | 'STARTING' | 'STOPPING' | 'DELETING';
const NEXT_STATE: Record<TransitionalState, PoolState | 'GONE'> = {
  CREATING: 'RUNNING',
  UPDATING: 'RUNNING',
  STARTING: 'RUNNING',
  STOPPING: 'STOPPED',
  DELETING: 'GONE',
};

const MINUTE = 60_000;

/** CREATING → RUNNING. Pools run on AppStream-style streaming instances, which take minutes to come up. */
export const CREATING_MS = 10 * MINUTE;
/** UPDATING → RUNNING after an UpdateWorkspacesPool on a running pool; updates are refused meanwhile. */
export const UPDATING_MS = 2 * MINUTE;
/** STARTING → RUNNING after StartWorkspacesPool. */
export const STARTING_MS = 5 * MINUTE;
/** STOPPING → STOPPED after StopWorkspacesPool. */
export const STOPPING_MS = 5 * MINUTE;
/** DELETING → gone after TerminateWorkspacesPool. */
export const DELETING_MS = 5 * MINUTE;
/**
 * Session slots a pool brings up (or drains) per minute while ActualUserSessions converges to
 * DesiredUserSessions: 100 sessions take 10 minutes, the order of an instance launch.
 */
export const PROVISIONING_RATE_PER_MINUTE = 10;
/**
 * Demand is sampled once per simulated minute (on whole minutes of the epoch) while a pool is
 * replayed; a change in a usage curve is seen at most a minute late, as a real scaler's metrics are.
 */
const STEP_MS = MINUTE;
/** Tolerance for the fractional slot counts that provisioning at a rate produces. */
const EPSILON = 1e-9;

export interface PoolTimings {
  /** How long each transitional state lasts, in ms. */
  durations: Record<TransitionalState, number>;
  provisioningRatePerMinute: number;
}

export function defaultTimings(): PoolTimings {
  return {
    durations: {
      CREATING: CREATING_MS,
      UPDATING: UPDATING_MS,
      STARTING: STARTING_MS,
      STOPPING: STOPPING_MS,
      DELETING: DELETING_MS,
    },
    provisioningRatePerMinute: PROVISIONING_RATE_PER_MINUTE,
  };
}

/** A session in use; `seq` numbers the sessions a pool ever had, so ids never repeat. */
export interface PoolSession {
  seq: number;
  startedAt: number;
}

/** What a pool's lifecycle reads and changes; the API-facing settings live beside it (see pool-store.ts). */
export interface Lifecycle {
  readonly id: string;
  state: PoolState;
  /** When the current transitional state ends; unset in RUNNING and STOPPED. */
  stateEndsAt?: number | undefined;
  desired: number;
  /** Session slots provisioned as of `settledAt`; fractional while a slot is being brought up. */
  actual: number;
  /** Sessions in use as of `settledAt`, oldest first; the newest end first when demand falls. */
  sessions: PoolSession[];
  sessionsStarted: number;
  settledAt: number;
  readonly timings: PoolTimings;
}

/** Sessions users want on the pool at a moment (the local cloud's simulated users). */
export type Demand = (at: number) => number;

/** Only a pool in these states has instances; in every other state its capacity is 0. */
export function hasInstances(state: PoolState): boolean {
  return state === 'RUNNING' || state === 'UPDATING';
}

/** Enters `state`, timing it if it is transitional. */
export function enter(pool: Lifecycle, state: PoolState, now: number): void {
  pool.state = state;
  pool.stateEndsAt = state in NEXT_STATE ? now + pool.timings.durations[state as TransitionalState] : undefined;
  if (!hasInstances(state)) {
    pool.actual = 0;
    pool.sessions = [];
  }
}

/**
 * Replays the pool from `settledAt` to `now`: capacity converges step by step, sessions follow
 * demand, transitional states end when their time is up. Answers false once the pool is gone.
 */
export function settle(pool: Lifecycle, now: number, demand: Demand): boolean {
  for (;;) {
    const ends = pool.stateEndsAt ?? Number.POSITIVE_INFINITY;
    if (pool.settledAt >= now && ends > now) break;
    const until = Math.min(now, ends, (Math.floor(pool.settledAt / STEP_MS) + 1) * STEP_MS);
    provision(pool, until);
    pool.settledAt = Math.max(pool.settledAt, until);
    if (ends <= until) {
      const next = NEXT_STATE[pool.state as TransitionalState];
      if (next === 'GONE') return false;
      enter(pool, next, ends);
    }
    followDemand(pool, demand(pool.settledAt), pool.settledAt);
  }
  followDemand(pool, demand(now), pool.settledAt);
  return true;
}

/** Moves `actual` towards `desired` at the provisioning rate; scale-in never frees a slot in use. */
function provision(pool: Lifecycle, until: number): void {
  if (!hasInstances(pool.state)) return;
  const step = (pool.timings.provisioningRatePerMinute * Math.max(0, until - pool.settledAt)) / MINUTE;
  pool.actual =
    pool.actual < pool.desired
      ? Math.min(pool.desired, pool.actual + step)
      : Math.max(pool.desired, pool.sessions.length, pool.actual - step);
}

/**
 * Starts or ends sessions so that as many are in use as users want and the pool can hold. Only
 * users end sessions: scale-in never goes below the sessions in use (see provision), and a new
 * session starts only on a fully provisioned slot, not on one still being built or drained.
 */
function followDemand(pool: Lifecycle, wanted: number, at: number): void {
  if (!hasInstances(pool.state) || pool.sessions.length > wanted) {
    pool.sessions.length = hasInstances(pool.state) ? wanted : 0;
    return;
  }
  const target = Math.max(pool.sessions.length, Math.min(wanted, usableSessions(pool)));
  while (pool.sessions.length < target) pool.sessions.push({ seq: ++pool.sessionsStarted, startedAt: at });
}

/** Slots a session can run on: the fully provisioned ones. */
export function usableSessions(pool: Lifecycle): number {
  return Math.floor(pool.actual + EPSILON);
}

/**
 * Slots reported as ActualUserSessions: a slot counts once fully provisioned while scaling out,
 * and until fully drained while scaling in, so the figure always lies between old and new desired.
 */
export function actualSessions(pool: Lifecycle): number {
  return pool.actual <= pool.desired ? Math.floor(pool.actual + EPSILON) : Math.ceil(pool.actual - EPSILON);
}

/** Identifiers of a session, derived from the pool id and session number so they are stable across reads. */
export function sessionIdentity(poolId: string, session: PoolSession) {
  const name = `${poolId}/session/${session.seq}`;
  const hex = sha256Hex(name);
  const byte = (at: number) => Number.parseInt(hex.slice(at, at + 2), 16);
  return {
    SessionId: stableUuid(name),
    InstanceId: `i-${hex.slice(32, 49)}`,
    EniId: `eni-${hex.slice(47, 64)}`,
    EniPrivateIpAddress: `10.${byte(0)}.${byte(2)}.${byte(4)}`,
    UserId: `user-${String(session.seq).padStart(4, '0')}`,
  };
}
