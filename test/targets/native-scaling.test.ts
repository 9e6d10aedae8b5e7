import { RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { describe, expect, it } from 'vitest';
import { findNativeScaling } from '#lib/targets/index.ts';
import { useLocalCloud } from '#test/support/cloud.ts';
import { poolId, recordCalls, targetClients } from './support.ts';

describe('findNativeScaling', () => {
  const local = useLocalCloud();

  it('finds the fleets and pools a native scalable target is registered on, 50 resource ids per call', async () => {
    // Prepare: 60 fleets and 3 pools under management; native scaling on two fleets and one pool,
    // and on a fleet that is not managed.
    const fleets = Array.from({ length: 60 }, (_, index) => ({ kind: 'fleet' as const, id: `fleet-${index}` }));
    const pools = [0, 1, 2].map((index) => ({ kind: 'pool' as const, id: poolId(index) }));
    await local.admin.seed({
      applicationAutoScaling: {
        scalableTargets: [
          { ServiceNamespace: 'appstream', ResourceId: 'fleet/fleet-7', ScalableDimension: 'appstream:fleet:DesiredCapacity', MinCapacity: 1, MaxCapacity: 5 },
          { ServiceNamespace: 'appstream', ResourceId: 'fleet/fleet-55', ScalableDimension: 'appstream:fleet:DesiredCapacity', MinCapacity: 2, MaxCapacity: 8 },
          { ServiceNamespace: 'appstream', ResourceId: 'fleet/unmanaged', ScalableDimension: 'appstream:fleet:DesiredCapacity', MinCapacity: 0, MaxCapacity: 1 },
          {
            ServiceNamespace: 'workspaces',
            ResourceId: `workspacespool/${poolId(1)}`,
            ScalableDimension: 'workspaces:workspacespool:DesiredUserSessions',
            MinCapacity: 0,
            MaxCapacity: 40,
          },
        ],
      },
    });
    const clients = targetClients(local.cloud);
    const recorded = recordCalls(clients);
    // Act
    const found = await findNativeScaling(clients.autoscaling, [...fleets, ...pools]);
    // Assess
    expect(found.map(({ target, scalableTarget }) => [target.kind, target.id, scalableTarget.MaxCapacity])).toEqual([
      ['pool', poolId(1), 40],
      ['fleet', 'fleet-7', 5],
      ['fleet', 'fleet-55', 8],
    ]);
    expect(recorded.calls).toEqual([
      'autoscaling.DescribeScalableTargets', // workspaces: 3 ids
      'autoscaling.DescribeScalableTargets', // appstream: ids 1–50
      'autoscaling.DescribeScalableTargets', // appstream: ids 51–60
    ]);
  });

  it('makes no call for a kind with no targets, and none at all for no targets', async () => {
    const clients = targetClients(local.cloud);
    const recorded = recordCalls(clients);
    expect(await findNativeScaling(clients.autoscaling, [])).toEqual([]);
    expect(recorded.calls).toEqual([]);
    await findNativeScaling(clients.autoscaling, [{ kind: 'fleet', id: 'fleet-7' }]);
    expect(recorded.calls).toEqual(['autoscaling.DescribeScalableTargets']);
  });

  it('sees a target registered after the last look', async () => {
    const clients = targetClients(local.cloud);
    const fleet = { kind: 'fleet' as const, id: 'late-fleet' };
    expect(await findNativeScaling(clients.autoscaling, [fleet])).toEqual([]);
    await clients.autoscaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'appstream',
        ResourceId: 'fleet/late-fleet',
        ScalableDimension: 'appstream:fleet:DesiredCapacity',
        MinCapacity: 1,
        MaxCapacity: 3,
      }),
    );
    expect((await findNativeScaling(clients.autoscaling, [fleet])).map(({ target }) => target)).toEqual([fleet]);
  });
});
