import { createHash } from 'node:crypto';
import { paginate } from '../../paging.ts';
import { AwsError, compact } from '../../protocol.ts';
import type { Emulator, EmulatorDeps, Operation } from '../../service.ts';
import { Params } from '../../validation.ts';
import { enter, type PoolState } from './pool-lifecycle.ts';
import {
  POOL_ID,
  newPool,
  nextToken,
  poolFilters,
  poolId,
  poolSettings,
  tags,
  type FilterOperator,
} from './pool-params.ts';
import { seedPools } from './pool-seed.ts';
import { applySettings, PoolStore, poolView, sessionViews, setTags, type Pool } from './pool-store.ts';

const INVALID = 'InvalidParameterValuesException';
/** Page sizes when a request gives no Limit: the maximum for pools, the documented 20 for sessions. */
const DEFAULT_POOLS_PAGE = 25;
const DEFAULT_SESSIONS_PAGE = 20;

const MATCHES: Record<FilterOperator, (name: string, values: string[]) => boolean> = {
  EQUALS: (name, values) => values.includes(name),
  NOTEQUALS: (name, values) => !values.includes(name),
  CONTAINS: (name, values) => values.some((value) => name.includes(value)),
  NOTCONTAINS: (name, values) => !values.some((value) => name.includes(value)),
};

/**
 * WorkSpaces Pools as the WorkSpaces API reference describes them: create, update, start, stop
 * and terminate pools, describe them and their sessions, tag them. States and capacity follow the
 * local clock (see pool-lifecycle.ts); sessions in use follow the simulated users of local/usage.ts.
 */
export function createPoolsEmulator(deps: EmulatorDeps): Emulator {
  const store = new PoolStore(deps);
  const view = (pool: Pool) => poolView(pool, deps.region, deps.accountId);
  const params = (input: unknown) => Params.of(input, INVALID);

  /** An operation that moves a pool from one of `from` into the transitional state `to`. */
  const transition =
    (from: PoolState[], to: PoolState, verb: string): Operation =>
    (input, { now }) => {
      const pool = store.get(poolId(params(input)), now);
      requireState(pool, from, verb);
      enter(pool, to, now);
      return {};
    };

  /** Tags are answered for pools only; other WorkSpaces resources are not emulated here. */
  const taggedPool = (id: string, now: number): Pool => {
    const pool = store.find(id, now);
    if (!pool) throw new AwsError('ResourceNotFoundException', `The resource ${id} could not be found.`);
    return pool;
  };
  const resourceId = (p: Params) => p.string('ResourceId', { required: true, min: 1 });

  const operations: Record<string, Operation> = {
    CreateWorkspacesPool(input, { now }) {
      return { WorkspacesPool: view(store.create(newPool(params(input)), now)) };
    },

    UpdateWorkspacesPool(input, { now }) {
      const p = params(input);
      const id = poolId(p);
      const changes = poolSettings(p, false);
      const pool = store.get(id, now);
      requireState(pool, ['RUNNING', 'STOPPED'], 'updated');
      if (changes.RunningMode && changes.RunningMode !== pool.runningMode && pool.state !== 'STOPPED') {
        throw new AwsError(
          'InvalidResourceStateException',
          `The running mode of pool ${id} can change only while it is STOPPED.`,
        );
      }
      applySettings(pool, changes);
      // A stopped pool has no instances to update; a running one rolls the change out.
      if (pool.state === 'RUNNING') enter(pool, 'UPDATING', now);
      return { WorkspacesPool: view(pool) };
    },

    // The reference's notes on Start/Stop ("unless it has a running mode of AutoStop…") are copied
    // from StartWorkspaces/StopWorkspaces of personal WorkSpaces (they name states pools never have,
    // and the admin guide changes a pool's running mode only while it is stopped), so only the
    // state is checked here.
    StartWorkspacesPool: transition(['STOPPED'], 'STARTING', 'started'),
    StopWorkspacesPool: transition(['RUNNING'], 'STOPPING', 'stopped'),
    TerminateWorkspacesPool: transition(['RUNNING', 'STOPPED'], 'DELETING', 'terminated'),

    DescribeWorkspacesPools(input, { now }) {
      const p = params(input);
      // Params.strings applies its length rule to the ids too; every valid id is 16 characters long.
      const ids = p.strings('PoolIds', { min: 1, max: 25, item: { pattern: POOL_ID } });
      const filters = poolFilters(p);
      const limit = p.int('Limit', { min: 1, max: 25 }) ?? DEFAULT_POOLS_PAGE;
      const token = nextToken(p);
      // An unknown id is an error, as the reference lists ResourceNotFoundException here (and
      // AppStream's DescribeFleets, which pools are built like, does the same).
      const pools = ids ? [...new Set(ids)].map((id) => store.get(id, now)) : store.list(now);
      const matching = pools.filter((pool) => (filters ?? []).every((f) => MATCHES[f.Operator](pool.name, f.Values)));
      const { page, nextToken: next } = paginate(matching, {
        limit,
        nextToken: token,
        query: fingerprint({ ids, filters }),
        errorType: INVALID,
      });
      return compact({ WorkspacesPools: page.map(view), NextToken: next });
    },

    DescribeWorkspacesPoolSessions(input, { now }) {
      const p = params(input);
      const id = poolId(p);
      const userId = p.string('UserId', { min: 2, max: 128 });
      const limit = p.int('Limit', { min: 1, max: 50 }) ?? DEFAULT_SESSIONS_PAGE;
      const token = nextToken(p);
      const sessions = sessionViews(store.get(id, now)).filter((s) => userId === undefined || s.UserId === userId);
      const { page, nextToken: next } = paginate(sessions, {
        limit,
        nextToken: token,
        query: fingerprint({ id, userId }),
        errorType: INVALID,
      });
      return compact({ Sessions: page, NextToken: next });
    },

    CreateTags(input, { now }) {
      const p = params(input);
      const id = resourceId(p);
      const added = tags(p, 'Tags', true);
      setTags(taggedPool(id, now), added);
      return {};
    },

    DeleteTags(input, { now }) {
      const p = params(input);
      const id = resourceId(p);
      const keys = p.strings('TagKeys', { required: true, min: 1 });
      const pool = taggedPool(id, now);
      for (const key of keys) pool.tags.delete(key);
      return {};
    },

    DescribeTags(input, { now }) {
      const pool = taggedPool(resourceId(params(input)), now);
      return { TagList: [...pool.tags].map(([Key, Value]) => compact({ Key, Value })) };
    },
  };

  return {
    targetPrefix: 'WorkspacesService',
    eventSource: 'workspaces.amazonaws.com',
    operations,
    seed: (document, now) => seedPools(store, document, now),
  };
}

/**
 * Refuses an operation the pool's state does not allow. While an update is rolling out, the
 * reference's OperationInProgressException ("currently being modified. Try again in a moment")
 * says it best; any other state that does not allow the operation is InvalidResourceStateException.
 */
function requireState(pool: Pool, allowed: PoolState[], verb: string): void {
  if (allowed.includes(pool.state)) return;
  if (pool.state === 'UPDATING') {
    throw new AwsError(
      'OperationInProgressException',
      `Pool ${pool.id} is being updated and cannot be ${verb} until it is RUNNING.`,
    );
  }
  throw new AwsError(
    'InvalidResourceStateException',
    `Pool ${pool.id} is ${pool.state}; it can be ${verb} only when ${allowed.join(' or ')}.`,
  );
}

/** A short digest of a query, so paging tokens stay small whatever the filters. */
function fingerprint(query: unknown): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}
