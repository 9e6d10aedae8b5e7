import {
  DescribeScalableTargetsCommand,
  ScalableDimension,
  ServiceNamespace,
  type ApplicationAutoScalingClient,
  type ScalableTarget,
} from '@aws-sdk/client-application-auto-scaling';
import type { TargetKind } from './types.ts';

/**
 * Which pools and fleets a native Application Auto Scaling scalable target is registered on, so
 * the autopilot can refuse to fight it.
 *
 * Input: the client and the targets. Output: one entry per target that has a scalable target.
 * Primary course: per namespace (appstream for fleets, workspaces for pools), DescribeScalableTargets
 * with up to 50 ResourceIds and the namespace's capacity dimension. A resource has at most one
 * scalable target per dimension, so 50 ids fit in one page of results (MaxResults 50): one call
 * per namespace per 50 targets. NextToken is still followed, should the service page anyway.
 */
export const RESOURCE_IDS_PER_CALL = 50;

const NAMESPACES: Record<TargetKind, { namespace: ServiceNamespace; dimension: ScalableDimension; prefix: string; resourceId: (id: string) => string }> = {
  fleet: {
    namespace: ServiceNamespace.APPSTREAM,
    dimension: ScalableDimension.AppstreamFleetDesiredCapacity,
    prefix: 'fleet/',
    resourceId: (name) => `fleet/${name}`,
  },
  pool: {
    namespace: ServiceNamespace.WORKSPACES,
    dimension: ScalableDimension.WorkSpacesWorkSpacesPoolDesiredUserSessions,
    prefix: 'workspacespool/',
    resourceId: (poolId) => `workspacespool/${poolId}`,
  },
};

export interface NativeScaling<T> {
  target: T;
  scalableTarget: ScalableTarget;
}

export async function findNativeScaling<T extends { kind: TargetKind; id: string }>(
  client: ApplicationAutoScalingClient,
  targets: readonly T[],
): Promise<NativeScaling<T>[]> {
  const found: NativeScaling<T>[] = [];
  for (const kind of ['pool', 'fleet'] as const) {
    const { namespace, dimension, resourceId } = NAMESPACES[kind];
    const byResourceId = new Map(targets.filter((target) => target.kind === kind).map((target) => [resourceId(target.id), target]));
    const ids = [...byResourceId.keys()];
    for (let at = 0; at < ids.length; at += RESOURCE_IDS_PER_CALL) {
      const batch = ids.slice(at, at + RESOURCE_IDS_PER_CALL);
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new DescribeScalableTargetsCommand({
            ServiceNamespace: namespace,
            ResourceIds: batch,
            ScalableDimension: dimension,
            MaxResults: RESOURCE_IDS_PER_CALL,
            NextToken: nextToken,
          }),
        );
        for (const scalableTarget of page.ScalableTargets ?? []) {
          const target = scalableTarget.ResourceId === undefined ? undefined : byResourceId.get(scalableTarget.ResourceId);
          if (target) found.push({ target, scalableTarget });
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }
  }
  return found;
}

/**
 * Every scalable target registered on a pool or fleet of the given kinds, keyed `pool/<id>` or
 * `fleet/<name>`, for a caller about to look at many targets (the tick): DescribeScalableTargets
 * without ResourceIds lists the whole namespace 50 a page, so it costs ⌈registered ÷ 50⌉ calls per
 * namespace — one while fewer than 50 are registered — instead of findNativeScaling's ⌈targets ÷ 50⌉,
 * and it needs no target ids, so it can run while the targets are being listed. It never costs
 * more than a fiftieth of the account's pools and fleets, less than listing them already costs.
 * The API filters by dimension only together with ids, so other dimensions are dropped here.
 */
export async function listNativeScaling(client: ApplicationAutoScalingClient, kinds: Iterable<TargetKind>): Promise<Map<string, ScalableTarget>> {
  const found = new Map<string, ScalableTarget>();
  await Promise.all(
    [...new Set(kinds)].map(async (kind) => {
      const { namespace, dimension, prefix } = NAMESPACES[kind];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: namespace, MaxResults: RESOURCE_IDS_PER_CALL, NextToken: nextToken }));
        for (const scalableTarget of page.ScalableTargets ?? []) {
          const resourceId = scalableTarget.ResourceId ?? '';
          if (scalableTarget.ScalableDimension === dimension && resourceId.startsWith(prefix)) found.set(`${kind}/${resourceId.slice(prefix.length)}`, scalableTarget);
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }),
  );
  return found;
}
