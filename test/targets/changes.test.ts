import { describe, expect, it } from 'vitest';
import { listTargets, setCapacity, start, stop, TargetBusyError, type ManagedTarget } from '#lib/targets/index.ts';
import type { TargetSelector } from '#lib/policy/schema.ts';
import { useLocalCloud } from '#test/support/cloud.ts';
import { elasticFleetSeed, fleetSeed, multiSessionFleetSeed, poolSeed, targetClients } from './support.ts';

describe('changing pools and fleets', () => {
  const local = useLocalCloud();

  async function observe(selector: TargetSelector): Promise<ManagedTarget> {
    const [target] = await listTargets(targetClients(local.cloud), [selector]);
    if (!target) throw new Error(`no target for ${JSON.stringify(selector)}`);
    return target;
  }

  it('sets each kind of target in its own unit through its own API member', async () => {
    // Prepare
    await local.admin.seed({
      workspaces: { pools: [poolSeed('wspool-change001', 'change', 10)] },
      appstream: {
        fleets: [fleetSeed('change-single', 2), multiSessionFleetSeed('change-multi', 8, 4), elasticFleetSeed('change-elastic', 5)],
      },
    });
    const clients = targetClients(local.cloud);
    const targets = await listTargets(clients, [
      { kind: 'pool', id: 'wspool-change001' },
      { kind: 'fleet', namePattern: 'change-*' },
    ]);
    // Act
    for (const target of targets) await setCapacity(clients, target, 12);
    // Assess
    const after = await listTargets(clients, [
      { kind: 'pool', id: 'wspool-change001' },
      { kind: 'fleet', namePattern: 'change-*' },
    ]);
    expect(after.map((target) => [target.id, target.capacityModel, target.desired])).toEqual([
      ['wspool-change001', 'pool-sessions', 12],
      ['change-single', 'fleet-instances', 12],
      ['change-multi', 'fleet-sessions', 12],
      ['change-elastic', 'fleet-elastic', 12],
    ]);
  });

  it('refuses a capacity that is not a whole number ≥ 0 before calling AWS', async () => {
    const target = { kind: 'pool', id: 'wspool-change001', capacityModel: 'pool-sessions' } as const;
    await expect(setCapacity(targetClients(local.cloud), target, -1)).rejects.toThrow(RangeError);
    await expect(setCapacity(targetClients(local.cloud), target, 2.5)).rejects.toThrow(RangeError);
  });

  it('stops and starts a pool and a fleet', async () => {
    // Prepare
    await local.admin.seed({
      workspaces: { pools: [poolSeed('wspool-onoff0001', 'onoff', 4)] },
      appstream: { fleets: [fleetSeed('onoff-fleet', 1)] },
    });
    const clients = targetClients(local.cloud);
    const pool = await observe({ kind: 'pool', id: 'wspool-onoff0001' });
    const fleet = await observe({ kind: 'fleet', id: 'onoff-fleet' });
    // Act / Assess
    await stop(clients, pool);
    await stop(clients, fleet);
    expect((await observe({ kind: 'pool', id: 'wspool-onoff0001' })).state).toBe('STOPPING');
    expect((await observe({ kind: 'fleet', id: 'onoff-fleet' })).state).toBe('STOPPING');
    await local.admin.advance(600);
    await start(clients, pool);
    await start(clients, fleet);
    expect((await observe({ kind: 'pool', id: 'wspool-onoff0001' })).state).toBe('STARTING');
    expect((await observe({ kind: 'fleet', id: 'onoff-fleet' })).state).toBe('STARTING');
  });

  it('raises TargetBusyError, with the service exception as cause, while a pool is updating', async () => {
    // Prepare: the first change puts the pool in UPDATING.
    await local.admin.seed({ workspaces: { pools: [poolSeed('wspool-busy00001', 'busy', 4)] } });
    const clients = targetClients(local.cloud);
    const pool = await observe({ kind: 'pool', id: 'wspool-busy00001' });
    await setCapacity(clients, pool, 6);
    // Act
    const error = await setCapacity(clients, pool, 8).catch((caught: unknown) => caught);
    // Assess
    expect(error).toBeInstanceOf(TargetBusyError);
    expect(error).toMatchObject({
      name: 'TargetBusyError',
      target: { kind: 'pool', id: 'wspool-busy00001' },
      cause: { name: 'OperationInProgressException' },
    });
  });

  it('raises TargetBusyError for a pool in a state that does not allow the change (InvalidResourceStateException)', async () => {
    await local.admin.seed({ workspaces: { pools: [poolSeed('wspool-busy00002', 'busy2', 4, { State: 'STOPPING' })] } });
    const pool = await observe({ kind: 'pool', id: 'wspool-busy00002' });
    await expect(start(targetClients(local.cloud), pool)).rejects.toMatchObject({
      name: 'TargetBusyError',
      cause: { name: 'InvalidResourceStateException' },
    });
  });

  it('raises TargetBusyError for a fleet that is stopping (ConcurrentModificationException)', async () => {
    await local.admin.seed({ appstream: { fleets: [fleetSeed('busy-fleet', 2, { State: 'STOPPING' })] } });
    const clients = targetClients(local.cloud);
    const fleet = await observe({ kind: 'fleet', id: 'busy-fleet' });
    await expect(setCapacity(clients, fleet, 3)).rejects.toMatchObject({
      name: 'TargetBusyError',
      cause: { name: 'ConcurrentModificationException' },
    });
    await expect(start(clients, fleet)).rejects.toBeInstanceOf(TargetBusyError);
  });

  it('lets other errors through as they are', async () => {
    const missing = { kind: 'pool', id: 'wspool-missing01', capacityModel: 'pool-sessions' } as const;
    await expect(setCapacity(targetClients(local.cloud), missing, 1)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('throttling', () => {
  const local = useLocalCloud();

  it('is retried by the SDK with backoff, so a few throttled calls still succeed', async () => {
    // Prepare
    await local.admin.seed({ workspaces: { pools: [poolSeed('wspool-throttle1', 'throttled', 4)] } });
    await local.admin.addFault({ operation: 'WorkspacesService.DescribeWorkspacesPools', kind: 'throttle', count: 2 });
    await local.admin.addFault({ operation: 'WorkspacesService.UpdateWorkspacesPool', kind: 'throttle', count: 2 });
    const clients = targetClients(local.cloud, 3);
    // Act
    const [pool] = await listTargets(clients, [{ kind: 'pool', id: 'wspool-throttle1' }]);
    await setCapacity(clients, pool!, 9);
    // Assess: both faults used up, the change made.
    expect(await local.admin.faults()).toEqual([]);
    const [after] = await listTargets(clients, [{ kind: 'pool', id: 'wspool-throttle1' }]);
    expect(after?.desired).toBe(9);
  });

  it('surfaces the throttling error once the attempts are used up, not as busy', async () => {
    await local.admin.addFault({ operation: 'PhotonAdminProxyService.UpdateFleet', kind: 'throttle', count: 3 });
    const target = { kind: 'fleet', id: 'any-fleet', capacityModel: 'fleet-instances' } as const;
    const error = await setCapacity(targetClients(local.cloud, 3), target, 1).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { attempts: 3 } });
    expect(error).not.toBeInstanceOf(TargetBusyError);
  });
});
