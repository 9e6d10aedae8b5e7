import { RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReconcileDeps } from '#lib/capacity/reconcile.ts';
import { useLocalCloud } from '#test/support/cloud.ts';
import { benchPolicies, fleetNameOf, minimumCalls, runTick, seedTargets, tickDeps } from '../../scripts/bench/tick-setup.ts';

/**
 * The tick's cost, CI-sized (scripts/bench/tick.ts measures it at 2,000 targets): over 20 pools and
 * 60 fleets (more than one DescribeScalableTargets call's worth of ids), a tick makes exactly the fewest calls the APIs allow, and one where nothing changed
 * writes nothing. The calls are counted by the local cloud, by the tick's own access key.
 */
describe('the cost of a capacity tick', () => {
  const local = useLocalCloud({ startTime: new Date('2026-11-23T08:00:00Z') });
  const POOLS = 20;
  const FLEETS = 60;
  let deps: ReconcileDeps;

  beforeAll(async () => {
    seedTargets(local.cloud, POOLS, FLEETS);
    deps = await tickDeps(local.cloud);
  });

  it('stores each first recommendation once, then writes nothing while nothing changes, in the fewest calls', async () => {
    // Prepare
    const file = benchPolicies();
    // Act
    const first = await runTick(local.cloud, deps, file, 'cost-first');
    await local.admin.advance(60);
    const unchanged = await runTick(local.cloud, deps, file, 'cost-unchanged');
    // Assess
    expect(first.outcomes).toEqual({ unchanged: POOLS + FLEETS });
    expect(first.calls).toEqual(minimumCalls({ pools: POOLS, fleets: FLEETS, changes: 0, firstTick: true }));
    expect(unchanged.outcomes).toEqual({ unchanged: POOLS + FLEETS });
    expect(unchanged.writes).toBe(0);
    expect(unchanged.calls).toEqual(minimumCalls({ pools: POOLS, fleets: FLEETS, changes: 0 }));
  });

  it('finds native scaling with one call per namespace, and looks up fleet tags once per fleet', async () => {
    // Prepare: one fleet under Application Auto Scaling.
    await local.clients.autoscaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'appstream',
        ResourceId: `fleet/${fleetNameOf(3)}`,
        ScalableDimension: 'appstream:fleet:DesiredCapacity',
        MinCapacity: 1,
        MaxCapacity: 5,
      }),
    );
    await local.admin.advance(60);
    // Act
    const run = await runTick(local.cloud, deps, benchPolicies({ fleetTags: true }), 'cost-tags');
    // Assess: the conflict is recorded once (an audit item, the state's marker, an event).
    expect(run.outcomes).toEqual({ unchanged: POOLS + FLEETS - 1, conflict: 1 });
    expect(run.calls).toEqual({
      ...minimumCalls({ pools: POOLS, fleets: FLEETS, changes: 0, fleetTags: true }),
      PutItem: 2,
      PutEvents: 1,
    });
  });
});
