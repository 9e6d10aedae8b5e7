import { describe, expect, it } from 'vitest';
import { listTargets, type FleetTarget, type ManagedTarget, type PoolTarget } from '#lib/targets/index.ts';
import { useLocalCloud } from '#test/support/cloud.ts';
import {
  elasticFleetSeed,
  fleetSeed,
  multiSessionFleetSeed,
  poolId,
  poolSeed,
  recordCalls,
  targetClients,
} from './support.ts';

const ids = (targets: readonly ManagedTarget[]) => targets.map((target) => target.id);

describe('listTargets paging', () => {
  const local = useLocalCloud();
  const POOLS = 30;
  const FLEETS = 45;

  it('pages all pools with Limit 25 and all fleets by NextToken, in as few calls as the APIs allow', async () => {
    // Prepare: more pools than one page of 25, more fleets than the service's page of 20.
    await local.admin.seed({
      workspaces: { pools: Array.from({ length: POOLS }, (_, index) => poolSeed(poolId(index), `pool-${index}`, 2)) },
      appstream: { fleets: Array.from({ length: FLEETS }, (_, index) => fleetSeed(`fleet-${index}`, 1)) },
    });
    const clients = targetClients(local.cloud);
    const recorded = recordCalls(clients);
    // Act
    const targets = await listTargets(clients, [
      { kind: 'pool', namePattern: '*' },
      { kind: 'fleet', namePattern: 'fleet-*' },
    ]);
    // Assess
    expect(targets.filter((target) => target.kind === 'pool')).toHaveLength(POOLS);
    expect(targets.filter((target) => target.kind === 'fleet')).toHaveLength(FLEETS);
    expect(recorded.count('DescribeWorkspacesPools')).toBe(Math.ceil(POOLS / 25));
    expect(recorded.count('DescribeFleets')).toBe(Math.ceil(FLEETS / 20));
    expect(recorded.calls).toHaveLength(Math.ceil(POOLS / 25) + Math.ceil(FLEETS / 20));
  });

  it('does not call an API no selector needs', async () => {
    const clients = targetClients(local.cloud);
    const recorded = recordCalls(clients);
    await listTargets(clients, [{ kind: 'fleet', id: 'fleet-3' }]);
    expect(recorded.calls).toEqual(['appstream.DescribeFleets', 'appstream.DescribeFleets', 'appstream.DescribeFleets']);
  });
});

describe('listTargets selectors', () => {
  const local = useLocalCloud();

  async function seedOffices() {
    await local.admin.seed({
      workspaces: {
        pools: [
          poolSeed('wspool-berlin001', 'berlin_sales', 5, { Tags: [{ Key: 'office', Value: 'berlin' }, { Key: 'autopilot', Value: 'managed' }] }),
          poolSeed('wspool-berlin002', 'berlin_support', 5, { Tags: [{ Key: 'office', Value: 'berlin' }] }),
          poolSeed('wspool-newyork01', 'newyork_support', 5, { Tags: [{ Key: 'office', Value: 'newyork' }, { Key: 'autopilot', Value: 'managed' }] }),
        ],
      },
      appstream: {
        fleets: [
          fleetSeed('berlin-office-apps', 2, { Tags: { office: 'berlin', autopilot: 'managed' } }),
          fleetSeed('newyork-design-tools', 1, { Tags: { office: 'newyork' } }),
          fleetSeed('newyork-design-review', 1),
        ],
      },
    });
  }

  it('selects by id: a pool id or a fleet name', async () => {
    await seedOffices();
    const targets = await listTargets(targetClients(local.cloud), [
      { kind: 'pool', id: 'wspool-newyork01' },
      { kind: 'fleet', id: 'berlin-office-apps' },
      { kind: 'pool', id: 'wspool-missing01' },
    ]);
    expect(targets.map((target) => [target.kind, target.id, target.name, target.matchedSelectors])).toEqual([
      ['pool', 'wspool-newyork01', 'newyork_support', [0]],
      ['fleet', 'berlin-office-apps', 'berlin-office-apps', [1]],
    ]);
  });

  it('selects by a glob on the name, whole name and case-sensitive', async () => {
    await seedOffices();
    const targets = await listTargets(targetClients(local.cloud), [
      { kind: 'pool', namePattern: 'berlin_*' },
      { kind: 'fleet', namePattern: 'newyork-design-?????' },
      { kind: 'fleet', namePattern: 'NEWYORK*' },
    ]);
    expect(ids(targets)).toEqual(['wspool-berlin001', 'wspool-berlin002', 'newyork-design-tools']);
  });

  it('selects by tags, fetching them one call per candidate of that kind only', async () => {
    // Prepare
    await seedOffices();
    const clients = targetClients(local.cloud);
    const recorded = recordCalls(clients);
    // Act
    const targets = await listTargets(clients, [
      { kind: 'pool', tags: { office: 'berlin', autopilot: 'managed' } },
      { kind: 'fleet', namePattern: 'newyork-*' },
    ]);
    // Assess
    expect(ids(targets)).toEqual(['wspool-berlin001', 'newyork-design-tools', 'newyork-design-review']);
    expect(targets[0]?.tags).toEqual({ office: 'berlin', autopilot: 'managed' });
    expect(recorded.count('DescribeTags')).toBe(3);
    expect(recorded.count('ListTagsForResource')).toBe(0);
  });

  it('selects fleets by tags through ListTagsForResource', async () => {
    await seedOffices();
    const clients = targetClients(local.cloud);
    const recorded = recordCalls(clients);
    const targets = await listTargets(clients, [{ kind: 'fleet', tags: { office: 'newyork' } }]);
    expect(ids(targets)).toEqual(['newyork-design-tools']);
    expect(recorded.count('ListTagsForResource')).toBe(3);
    expect(recorded.count('DescribeWorkspacesPools')).toBe(0);
  });

  it('lists a target matched by several selectors once, with every selector it matched', async () => {
    await seedOffices();
    const targets = await listTargets(targetClients(local.cloud), [
      { kind: 'pool', id: 'wspool-berlin001' },
      { kind: 'pool', namePattern: 'berlin_sales' },
      { kind: 'fleet', id: 'wspool-berlin001' },
    ]);
    expect(targets.map((target) => [target.id, target.matchedSelectors])).toEqual([['wspool-berlin001', [0, 1]]]);
  });
});

describe('listTargets capacity units', () => {
  const local = useLocalCloud();

  it('counts a pool in user sessions: desired, actual, active (in use) and available', async () => {
    await local.admin.seed({ workspaces: { pools: [poolSeed('wspool-units0001', 'units', 20)] } });
    await local.admin.setUsage('pool', 'wspool-units0001', 7);
    const [pool] = (await listTargets(targetClients(local.cloud), [{ kind: 'pool', id: 'wspool-units0001' }])) as PoolTarget[];
    expect(pool).toMatchObject({
      kind: 'pool',
      state: 'RUNNING',
      runningMode: 'ALWAYS_ON',
      capacityModel: 'pool-sessions',
      unit: 'sessions',
      desired: 20,
      actual: 20,
      active: 7,
      available: 13,
    });
  });

  it('counts a single-session fleet in instances, in use being the instances streaming', async () => {
    await local.admin.seed({ appstream: { fleets: [fleetSeed('single-session', 6)] } });
    await local.admin.setUsage('fleet', 'single-session', 4);
    const [fleet] = (await listTargets(targetClients(local.cloud), [{ kind: 'fleet', id: 'single-session' }])) as FleetTarget[];
    expect(fleet).toMatchObject({
      state: 'RUNNING',
      fleetType: 'ALWAYS_ON',
      capacityModel: 'fleet-instances',
      unit: 'instances',
      sessionsPerInstance: 1,
      desired: 6,
      actual: 6,
      active: 4,
      available: 2,
    });
  });

  it('counts a multi-session fleet in user sessions', async () => {
    await local.admin.seed({ appstream: { fleets: [multiSessionFleetSeed('multi-session', 12, 4)] } });
    await local.admin.setUsage('fleet', 'multi-session', 5);
    const [fleet] = (await listTargets(targetClients(local.cloud), [{ kind: 'fleet', id: 'multi-session' }])) as FleetTarget[];
    expect(fleet).toMatchObject({
      capacityModel: 'fleet-sessions',
      unit: 'sessions',
      sessionsPerInstance: 4,
      desired: 12,
      actual: 12,
      active: 5,
      available: 7,
    });
  });

  it('counts an ELASTIC fleet in concurrent sessions: its MaxConcurrentSessions ceiling', async () => {
    await local.admin.seed({ appstream: { fleets: [elasticFleetSeed('elastic', 10)] } });
    await local.admin.setUsage('fleet', 'elastic', 3);
    const [fleet] = (await listTargets(targetClients(local.cloud), [{ kind: 'fleet', id: 'elastic' }])) as FleetTarget[];
    expect(fleet).toMatchObject({
      fleetType: 'ELASTIC',
      capacityModel: 'fleet-elastic',
      unit: 'sessions',
      desired: 10,
      actual: 10,
      active: 3,
      available: 7,
    });
  });
});
