import { DescribeFleetsCommand } from '@aws-sdk/client-appstream';
import { describe, expect, it } from 'vitest';
import { useLocalCloud } from '#test/support/cloud.ts';
import { fleetSeed, poolSeed } from '#test/targets/support.ts';

/**
 * One tick that scales many targets, end to end on the local cloud with the project's schedules:
 * capacity-tick (config/policies.yml) starts a capacity-change workflow per target, each publishes
 * Capacity Changed, the notifier adds each to the tick's digest, and slackDigest posts it once it
 * has settled. Slack gets one message for the tick, naming every target, not one per change.
 */
describe('a tick that scales a dozen pools and fleets', () => {
  const local = useLocalCloud({ echoFunctionLogs: false, schedules: true });
  // Picked up by the berlin-office-apps policy (tags autopilot: managed, office: berlin): one instance off hours.
  const FLEETS = Array.from({ length: 11 }, (_, index) => `berlin-apps-${String(index + 1).padStart(2, '0')}`);
  const tags = { Tags: { autopilot: 'managed', office: 'berlin' } };

  it('posts one Slack message for the tick’s changes instead of one per change, with each target named', async () => {
    // Prepare: 05:00 in Berlin, off hours; the Berlin sales pool (off hours: 2 sessions) and 11 office-apps
    // fleets (1 instance) are above that, each by no more than one tick's scale-in step.
    await local.admin.seed({
      clock: '2026-11-23T04:00:00Z',
      workspaces: { pools: [poolSeed('wspool-berlin001', 'berlin_sales', 7)] },
      appstream: { fleets: FLEETS.map((name) => fleetSeed(name, 2, tags)) },
    });

    // Act: the tick of 04:01 scales them all; two minutes on, its digest has settled and is posted.
    await local.admin.advanceTo('2026-11-23T04:02:00Z');
    const beforeSettled = await local.admin.slackMessages();
    await local.admin.advanceTo('2026-11-23T04:06:00Z');

    // Assess: the changes were made …
    const { Fleets = [] } = await local.clients.appstream.send(new DescribeFleetsCommand({ Names: FLEETS }));
    expect(Fleets.map((fleet) => fleet.ComputeCapacityStatus?.Desired)).toEqual(FLEETS.map(() => 1));
    // … and told in one message, once the tick had settled.
    expect(beforeSettled).toEqual([]);
    const messages = (await local.admin.slackMessages()).map((message) => JSON.stringify(message.payload));
    expect(messages).toHaveLength(1);
    const [digest] = messages;
    expect(digest).toContain('Scaled 12 pools and fleets');
    expect(digest).toContain('Scaled pool berlin_sales 7 → 2 sessions');
    for (const name of FLEETS) expect(digest).toContain(`Scaled fleet ${name} 2 → 1 instances`);
    expect(digest).toContain('12 notices');
    expect(digest).toMatch(/correlation: tick-/);

    // Assess: nothing is left waiting.
    await local.admin.advanceTo('2026-11-23T04:10:00Z');
    expect(await local.admin.slackMessages()).toHaveLength(1);
  });
});
