import { checkSeed, SEED_ERROR } from '../../seed-errors.ts';
import { Params, type Input } from '../../validation.ts';
import { defaultTimings, POOL_STATES, type TransitionalState } from './pool-lifecycle.ts';
import { newPool, POOL_ID } from './pool-params.ts';
import type { PoolStore } from './pool-store.ts';

/**
 * Seeds pools from `workspaces.pools` of a seed document, after `workspaces.poolQuota` (a whole
 * number ≥ 1: how many pools the account may hold, default 50, as if Service Quotas had raised
 * it). Each entry is a CreateWorkspacesPool request plus how to place the pool:
 *
 *   PoolId                       its id (default: a new one); an existing pool with it is replaced
 *   State                        default RUNNING with ActualUserSessions = DesiredUserSessions at once;
 *                                a transitional state (CREATING, UPDATING…) runs its full duration from now
 *   ProvisioningRatePerMinute    sessions brought up or drained per minute (default 10)
 *   CreatingSeconds, UpdatingSeconds, StartingSeconds, StoppingSeconds, DeletingSeconds
 *                                how long each transitional state lasts for this pool
 *
 * A bad entry throws a RangeError naming the field, e.g. `workspaces.pools[2].PoolName`.
 */
const DURATION_FIELDS: Record<TransitionalState, string> = {
  CREATING: 'CreatingSeconds',
  UPDATING: 'UpdatingSeconds',
  STARTING: 'StartingSeconds',
  STOPPING: 'StoppingSeconds',
  DELETING: 'DeletingSeconds',
};
const REQUEST_FIELDS = [
  'PoolName',
  'Description',
  'BundleId',
  'DirectoryId',
  'Capacity',
  'Tags',
  'ApplicationSettings',
  'TimeoutSettings',
  'RunningMode',
];
const SEED_FIELDS = new Set([
  ...REQUEST_FIELDS,
  'PoolId',
  'State',
  'ProvisioningRatePerMinute',
  ...Object.values(DURATION_FIELDS),
]);

export function seedPools(store: PoolStore, document: unknown, now: number): void {
  const section = (document as { workspaces?: unknown }).workspaces;
  if (section === undefined) return;
  if (!isObject(section)) throw new RangeError('workspaces must be an object (with a list of pools)');
  if (section.poolQuota !== undefined) {
    const quota = section.poolQuota;
    if (typeof quota !== 'number' || !Number.isInteger(quota) || quota < 1) {
      throw new RangeError(`workspaces.poolQuota must be a whole number ≥ 1 (pools the account may hold), got ${JSON.stringify(quota)}`);
    }
    store.quota = quota;
  }
  if (section.pools === undefined) return;
  if (!Array.isArray(section.pools)) throw new RangeError('workspaces.pools must be a list of pools');
  // Every entry is checked before any pool is added; only a name clash or the pool limit can stop part-way.
  const entries = section.pools.map((entry: unknown, index) => seedEntry(entry, `workspaces.pools[${index}]`));
  for (const { path, spec, placement } of entries) {
    checkSeed(path, () => store.create(spec, now, placement));
  }
}

function seedEntry(entry: unknown, path: string) {
  if (!isObject(entry)) throw new RangeError(`${path} must be an object shaped like a CreateWorkspacesPool request`);
  for (const field of Object.keys(entry)) {
    if (!SEED_FIELDS.has(field)) {
      throw new RangeError(`${path}.${field} is not a pool seed field; expected one of ${[...SEED_FIELDS].join(', ')}`);
    }
  }
  const p = new Params(entry, SEED_ERROR, `${path}.`);
  return checkSeed(path, () => {
    const timings = defaultTimings();
    const rate = number(p, 'ProvisioningRatePerMinute', (n) => n > 0, 'greater than 0');
    timings.provisioningRatePerMinute = rate ?? timings.provisioningRatePerMinute;
    for (const [state, field] of Object.entries(DURATION_FIELDS) as Array<[TransitionalState, string]>) {
      const seconds = number(p, field, (n) => n >= 0, 'greater than or equal to 0');
      if (seconds !== undefined) timings.durations[state] = seconds * 1000;
    }
    return {
      path,
      spec: newPool(p),
      placement: {
        id: p.string('PoolId', { pattern: POOL_ID }),
        state: p.enum('State', POOL_STATES) ?? 'RUNNING',
        timings,
      },
    };
  });
}

/** A finite number that passes `ok` (Params only knows integers; seed rates and durations may be fractional). */
function number(p: Params, name: string, ok: (value: number) => boolean, constraint: string): number | undefined {
  const value = p.raw(name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
    p.fail(name, `Member must be a number ${constraint}`, value);
  return value;
}

function isObject(value: unknown): value is Input {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
