import { StartFleetCommand, StopFleetCommand, UpdateFleetCommand } from '@aws-sdk/client-appstream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runningAt, settle, type Target } from '#local/services/appstream/capacity.ts';
import { FLEET_START_SECONDS } from '#local/services/appstream/index.ts';
import { useLocalCloud } from '#test/support/cloud.ts';
import { describeFleet, elasticFleetInput, seededFleet, uniqueName } from './appstream-support.ts';

describe('AppStream fleet capacity on the local clock', () => {
  const local = useLocalCloud();
  const appstream = () => local.clients.appstream;
  const capacityOf = async (name: string) => (await describeFleet(appstream(), name)).ComputeCapacityStatus;
  const desire = (name: string, DesiredInstances: number) =>
    appstream().send(new UpdateFleetCommand({ Name: name, ComputeCapacity: { DesiredInstances } }));

  it('provisions instances at the fleet rate from StartFleet on, while STARTING and once RUNNING', async () => {
    const name = uniqueName('start');
    await local.admin.seed({
      appstream: { fleets: [seededFleet(name, 30, { State: 'STOPPED', ProvisioningRatePerMinute: 2 })] },
    });

    await appstream().send(new StartFleetCommand({ Name: name }));
    await local.admin.advance(90);
    const starting = await describeFleet(appstream(), name);
    await local.admin.advance(FLEET_START_SECONDS - 90);
    const running = await describeFleet(appstream(), name);
    await local.admin.advance(300);
    const converged = await describeFleet(appstream(), name);

    expect(starting).toMatchObject({ State: 'STARTING', ComputeCapacityStatus: { Desired: 30, Running: 3 } });
    expect(running).toMatchObject({ State: 'RUNNING', ComputeCapacityStatus: { Desired: 30, Running: 20 } });
    expect(converged.ComputeCapacityStatus).toMatchObject({ Desired: 30, Running: 30, Available: 30 });
  });

  it('gives a seeded RUNNING fleet its desired capacity at once and scales it out at the seeded rate', async () => {
    const name = uniqueName('scale-out');
    await local.admin.seed({ appstream: { fleets: [seededFleet(name, 4, { ProvisioningRatePerMinute: 2 })] } });
    const seeded = await capacityOf(name);

    await desire(name, 10);
    const right = await capacityOf(name);
    await local.admin.advance(60);
    const afterAMinute = await capacityOf(name);
    await local.admin.advance(120);
    const afterThree = await capacityOf(name);

    expect([seeded?.Running, right?.Running, afterAMinute?.Running, afterThree?.Running]).toEqual([4, 4, 6, 10]);
  });

  it('keeps the progress toward the next instance when the desired capacity changes again', async () => {
    const name = uniqueName('progress');
    await local.admin.seed({ appstream: { fleets: [seededFleet(name, 0, { ProvisioningRatePerMinute: 1 })] } });

    await desire(name, 5);
    await local.admin.advance(90);
    await desire(name, 8);
    await local.admin.advance(30);

    expect((await capacityOf(name))?.Running).toBe(2);
  });

  it('scales in at once but never below the instances in use', async () => {
    const name = uniqueName('scale-in');
    await local.admin.seed({ appstream: { fleets: [seededFleet(name, 10)] } });
    await local.admin.setUsage('fleet', name, 7);

    await desire(name, 2);
    const busy = await capacityOf(name);
    await local.admin.setUsage('fleet', name, 3);
    const fewer = await capacityOf(name);
    await local.admin.setUsage('fleet', name, 0);
    const idle = await capacityOf(name);

    expect(busy).toMatchObject({ Desired: 2, Running: 7, InUse: 7, Available: 0 });
    expect(fewer).toMatchObject({ Desired: 2, Running: 3, InUse: 3, Available: 0 });
    expect(idle).toMatchObject({ Desired: 2, Running: 2, InUse: 0, Available: 2 });
  });

  it('grants users at most the sessions the running instances hold', async () => {
    const name = uniqueName('in-use');
    await local.admin.seed({ appstream: { fleets: [seededFleet(name, 5)] } });

    await local.admin.setUsage('fleet', name, 8);
    const crowded = await capacityOf(name);
    await local.admin.setUsage('fleet', name, 3);
    const quiet = await capacityOf(name);

    expect(crowded).toMatchObject({ Running: 5, InUse: 5, Available: 0 });
    expect(quiet).toMatchObject({ Running: 5, InUse: 3, Available: 2 });
  });

  it('has no instances and no sessions once stopped, whatever the demand', async () => {
    const name = uniqueName('stopped');
    await local.admin.seed({ appstream: { fleets: [seededFleet(name, 5)] } });
    await local.admin.setUsage('fleet', name, 4);

    await appstream().send(new StopFleetCommand({ Name: name }));

    expect(await capacityOf(name)).toMatchObject({ Desired: 5, Running: 0, InUse: 0, Available: 0 });
  });

  it('reports user sessions for a multi-session fleet', async () => {
    const name = uniqueName('multi');
    const fleet = { ...seededFleet(name, 0), MaxSessionsPerInstance: 4, ComputeCapacity: { DesiredSessions: 10 } };
    await local.admin.seed({ appstream: { fleets: [fleet] } });

    await local.admin.setUsage('fleet', name, 5);

    expect(await capacityOf(name)).toEqual({
      Desired: 3,
      Running: 3,
      InUse: 2,
      Available: 1,
      DesiredUserSessions: 12,
      ActualUserSessions: 12,
      ActiveUserSessions: 5,
      AvailableUserSessions: 7,
    });
  });

  it('gives an ELASTIC fleet sessions on demand up to MaxConcurrentSessions', async () => {
    const name = uniqueName('elastic');
    await local.admin.seed({ appstream: { fleets: [elasticFleetInput(name, { MaxConcurrentSessions: 5 })] } });

    await local.admin.setUsage('fleet', name, 7);

    expect(await capacityOf(name)).toEqual({ Desired: 5, Running: 5, InUse: 5, Available: 0 });
  });

  it('refuses a seed with a message naming the path of the bad member', async () => {
    const fleet = seededFleet(uniqueName('bad-seed'), 1);

    await expect(
      local.admin.seed({ appstream: { fleets: [fleet, { ...fleet, ComputeCapacity: { DesiredInstances: -1 } }] } }),
    ).rejects.toThrow(/appstream\.fleets\[1\]\.ComputeCapacity\.DesiredInstances/);
  });
});

describe('the capacity model', () => {
  const target = fc.record({
    desired: fc.integer({ min: 0, max: 40 }),
    ratePerMinute: fc.double({ min: 0.1, max: 10, noNaN: true }),
    sessionsPerInstance: fc.integer({ min: 1, max: 8 }),
  });
  const provisioning = fc.record({ at: fc.constant(0), running: fc.integer({ min: 0, max: 40 }) });
  const demand = fc.integer({ min: 0, max: 400 });
  const minutes = fc.integer({ min: 0, max: 240 });

  it('never runs fewer instances than the sessions in use need, nor more than it had or wants', () => {
    fc.assert(
      fc.property(provisioning, target, demand, minutes, (from, to: Target, users, elapsed) => {
        const running = runningAt(from, to, users, elapsed * 60_000);
        const inUse = Math.ceil(Math.min(users, from.running * to.sessionsPerInstance) / to.sessionsPerInstance);
        expect(running).toBeGreaterThanOrEqual(Math.min(inUse, from.running));
        expect(running).toBeGreaterThanOrEqual(Math.min(to.desired, from.running));
        expect(running).toBeLessThanOrEqual(Math.max(to.desired, from.running));
      }),
    );
  });

  it('reaches the desired capacity once its users leave', () => {
    fc.assert(
      fc.property(provisioning, target, (from, to) => {
        const later = (to.desired / to.ratePerMinute + 1) * 60_000;
        expect(runningAt(from, to, 0, later)).toBe(to.desired);
      }),
    );
  });

  it('follows the same course whether or not it is settled on the way', () => {
    fc.assert(
      fc.property(provisioning, target, demand, minutes, minutes, (from, to, users, first, second) => {
        const midway = first * 1000;
        const end = midway + second * 1000;
        const settled = settle(from, to, users, midway);
        expect(runningAt(settled, to, users, end)).toBe(runningAt(from, to, users, end));
      }),
    );
  });
});
