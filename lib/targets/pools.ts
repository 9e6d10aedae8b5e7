import {
  DescribeTagsCommand,
  DescribeWorkspacesPoolsCommand,
  StartWorkspacesPoolCommand,
  StopWorkspacesPoolCommand,
  UpdateWorkspacesPoolCommand,
  type WorkSpacesClient,
  type WorkspacesPool,
} from '@aws-sdk/client-workspaces';
import type { PoolTarget } from './types.ts';

/**
 * WorkSpaces Pools adapter. DescribeWorkspacesPools is paged with the largest Limit the API
 * accepts (25), so an account's pools take ⌈pools ÷ 25⌉ calls.
 */
export const POOLS_PAGE_SIZE = 25;

export async function describeAllPools(client: WorkSpacesClient): Promise<WorkspacesPool[]> {
  const pools: WorkspacesPool[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeWorkspacesPoolsCommand({ Limit: POOLS_PAGE_SIZE, NextToken: nextToken }));
    pools.push(...(page.WorkspacesPools ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return pools;
}

/** One pool by id: one DescribeWorkspacesPools call (PoolIds), undefined when it does not exist. */
export async function describePool(client: WorkSpacesClient, poolId: string): Promise<WorkspacesPool | undefined> {
  try {
    const { WorkspacesPools = [] } = await client.send(new DescribeWorkspacesPoolsCommand({ PoolIds: [poolId] }));
    return WorkspacesPools.find((pool) => pool.PoolId === poolId);
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** A pool's tags: one DescribeTags call. */
export async function poolTags(client: WorkSpacesClient, poolId: string): Promise<Record<string, string>> {
  const { TagList = [] } = await client.send(new DescribeTagsCommand({ ResourceId: poolId }));
  return Object.fromEntries(TagList.flatMap((tag) => (tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? '']])));
}

export function poolTarget(pool: WorkspacesPool): Omit<PoolTarget, 'matchedSelectors' | 'tags'> {
  const status = pool.CapacityStatus;
  return {
    kind: 'pool',
    id: required(pool.PoolId, 'PoolId'),
    name: pool.PoolName ?? required(pool.PoolId, 'PoolId'),
    arn: pool.PoolArn ?? '',
    state: required(pool.State, 'State'),
    runningMode: pool.RunningMode,
    capacityModel: 'pool-sessions',
    unit: 'sessions',
    desired: status?.DesiredUserSessions ?? 0,
    actual: status?.ActualUserSessions ?? 0,
    active: status?.ActiveUserSessions ?? 0,
    available: status?.AvailableUserSessions ?? 0,
  };
}

export async function setPoolCapacity(client: WorkSpacesClient, poolId: string, sessions: number): Promise<void> {
  await client.send(new UpdateWorkspacesPoolCommand({ PoolId: poolId, Capacity: { DesiredUserSessions: sessions } }));
}

export async function startPool(client: WorkSpacesClient, poolId: string): Promise<void> {
  await client.send(new StartWorkspacesPoolCommand({ PoolId: poolId }));
}

export async function stopPool(client: WorkSpacesClient, poolId: string): Promise<void> {
  await client.send(new StopWorkspacesPoolCommand({ PoolId: poolId }));
}

function required<T>(value: T | undefined, member: string): T {
  if (value === undefined) throw new Error(`DescribeWorkspacesPools returned a pool without ${member}`);
  return value;
}
