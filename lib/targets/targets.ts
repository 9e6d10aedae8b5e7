import { mapConcurrently } from '#lib/aws/concurrency.ts';
import type { TargetSelector } from '#lib/policy/schema.ts';
import type { TargetClients } from './clients.ts';
import { busyAware, throttleAware } from './errors.ts';
import { describeAllFleets, describeFleet, fleetTags, fleetTarget, setFleetCapacity, startFleet, stopFleet } from './fleets.ts';
import { describeAllPools, describePool, poolTags, poolTarget, setPoolCapacity, startPool, stopPool } from './pools.ts';
import { matchingSelectors, needsTags } from './select.ts';
import type { FleetTarget, ManagedTarget, PoolTarget, TargetRef } from './types.ts';

/**
 * One interface over WorkSpaces Pools and AppStream fleets for the capacity engine.
 *
 * listTargets — input: clients and the selectors of every policy; output: each pool and fleet that
 * any selector picks, observed now, in its capacity unit, with the indices of the selectors it
 * matched. Primary course: page through all pools (Limit 25) and all fleets (NextToken), only for
 * the kinds some selector asks for, then match. An unmatched selector is simply matched by nothing.
 *
 * Tags are not in the Describe answers: they cost one call per pool (DescribeTags) or fleet
 * (ListTagsForResource), so they are fetched only when a tag selector for that kind exists, at
 * most TAG_LOOKUPS_IN_FLIGHT at a time: one after the other, 1,000 fleets at 25 ms a call would
 * take the whole tick's minute; a few in flight keep the rate where throttling is rare.
 */
export const TAG_LOOKUPS_IN_FLIGHT = 8;

type ListClients = Pick<TargetClients, 'workspaces' | 'appstream'>;

export async function listTargets(clients: ListClients, selectors: readonly TargetSelector[]): Promise<ManagedTarget[]> {
  const kinds = new Set(selectors.map((selector) => selector.kind));
  const [pools, fleets] = await Promise.all([
    kinds.has('pool') ? listPools(clients, selectors) : [],
    kinds.has('fleet') ? listFleets(clients, selectors) : [],
  ]);
  return [...pools, ...fleets];
}

async function listPools({ workspaces }: ListClients, selectors: readonly TargetSelector[]): Promise<PoolTarget[]> {
  const pools = (await describeAllPools(workspaces)).map(poolTarget);
  return matchSelected(pools, selectors, needsTags(selectors, 'pool') ? (pool) => poolTags(workspaces, pool.id) : undefined);
}

async function listFleets({ appstream }: ListClients, selectors: readonly TargetSelector[]): Promise<FleetTarget[]> {
  const fleets = (await describeAllFleets(appstream)).map(fleetTarget);
  return matchSelected(fleets, selectors, needsTags(selectors, 'fleet') ? (fleet) => fleetTags(appstream, fleet.arn) : undefined);
}

/** Keeps the observed targets some selector picks, fetching each one's tags first when a tag selector needs them. */
async function matchSelected<T extends Omit<ManagedTarget, 'matchedSelectors' | 'tags'>>(
  observed: readonly T[],
  selectors: readonly TargetSelector[],
  tagsOf: ((target: T) => Promise<Record<string, string>>) | undefined,
): Promise<Array<T & { matchedSelectors: number[]; tags?: Record<string, string> }>> {
  const candidates = tagsOf
    ? (await mapConcurrently(observed, TAG_LOOKUPS_IN_FLIGHT, async (target) => {
        const tags = await goneIsUndefined(() => tagsOf(target));
        return tags && { ...target, tags }; // undefined: deleted between the two calls
      })).filter((candidate) => candidate !== undefined)
    : observed;
  return candidates.flatMap((candidate) => {
    const matched = matchingSelectors(candidate, selectors);
    return matched.length > 0 ? [{ ...candidate, matchedSelectors: matched }] : [];
  });
}

/**
 * describeTarget — one pool or fleet by kind and id, observed now, in the same shape listTargets
 * gives (no tags, no matched selectors): one DescribeWorkspacesPools (PoolIds [id]) or
 * DescribeFleets (Names [name]) call instead of paging through the account. Undefined when the
 * target no longer exists. A throttle the SDK's own attempts did not ride out (AppStream's
 * RequestLimitExceededException, which the SDK does not retry) is a TargetThrottledError.
 */
export async function describeTarget(clients: ListClients, target: Pick<TargetRef, 'kind' | 'id'>): Promise<ManagedTarget | undefined> {
  return throttleAware(target, 'describe', async () => {
    if (target.kind === 'pool') {
      const pool = await describePool(clients.workspaces, target.id);
      return pool && { ...poolTarget(pool), matchedSelectors: [] };
    }
    const fleet = await describeFleet(clients.appstream, target.id);
    return fleet && { ...fleetTarget(fleet), matchedSelectors: [] };
  });
}

/**
 * selectTarget — one pool or fleet, observed now, if the selectors pick it (with `matchedSelectors`
 * as listTargets gives them; its tags fetched first when a tag selector needs them); undefined
 * when it does not exist or no selector picks it. For reacting to one target's event without
 * listing the account.
 */
export async function selectTarget(
  clients: ListClients,
  target: Pick<TargetRef, 'kind' | 'id'>,
  selectors: readonly TargetSelector[],
): Promise<ManagedTarget | undefined> {
  const observed = await describeTarget(clients, target);
  if (!observed) return undefined;
  const tagsOf = !needsTags(selectors, target.kind)
    ? undefined
    : observed.kind === 'pool'
      ? () => poolTags(clients.workspaces, observed.id)
      : () => fleetTags(clients.appstream, observed.arn);
  const [selected] = await matchSelected([observed], selectors, tagsOf);
  return selected;
}

/**
 * Sets the desired capacity, in the target's unit (see types.ts). Throws TargetBusyError when the
 * target is mid-change (STARTING, STOPPING, UPDATING, another update in flight).
 */
export async function setCapacity(clients: ListClients, target: TargetRef, capacity: number): Promise<void> {
  if (!Number.isInteger(capacity) || capacity < 0)
    throw new RangeError(`capacity must be a whole number ≥ 0, got ${capacity} for ${target.kind} ${target.id}`);
  await busyAware(target, `change capacity to ${capacity}`, () =>
    target.kind === 'pool'
      ? setPoolCapacity(clients.workspaces, target.id, capacity)
      : setFleetCapacity(clients.appstream, target.id, target.capacityModel, capacity),
  );
}

/** Starts a stopped pool or fleet (it then takes minutes to be RUNNING). Throws TargetBusyError mid-change. */
export async function start(clients: ListClients, target: TargetRef): Promise<void> {
  await busyAware(target, 'start', () =>
    target.kind === 'pool' ? startPool(clients.workspaces, target.id) : startFleet(clients.appstream, target.id),
  );
}

/** Stops a running pool or fleet. Throws TargetBusyError mid-change. */
export async function stop(clients: ListClients, target: TargetRef): Promise<void> {
  await busyAware(target, 'stop', () =>
    target.kind === 'pool' ? stopPool(clients.workspaces, target.id) : stopFleet(clients.appstream, target.id),
  );
}

async function goneIsUndefined<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
