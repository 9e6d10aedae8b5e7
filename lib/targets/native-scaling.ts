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

const NAMESPACES: Record<TargetKind, { namespace: ServiceNamespace; dimension: ScalableDimension; resourceId: (id: string) => string }> = {
  fleet: {
    namespace: ServiceNamespace.APPSTREAM,
    dimension: ScalableDimension.AppstreamFleetDesiredCapacity,
    resourceId: (name) => `fleet/${name}`,
  },
  pool: {
    namespace: ServiceNamespace.WORKSPACES,
    dimension: ScalableDimension.WorkSpacesWorkSpacesPoolDesiredUserSessions,
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
