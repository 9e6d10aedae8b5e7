import { describe, expect, it } from 'vitest';
import { compareDecisions, runFigures } from '#local/chaos/figures.ts';
import { runScenario } from '#local/chaos/run.ts';
import { weekScenario } from '#local/chaos/scenario.ts';

/**
 * The fault campaign (npm run chaos, docs/RELIABILITY.md) cut to CI size: Monday 07:05–09:50 UTC
 * of the demo account, clean and under every fault of the campaign (throttles, a 5xx burst, Slack
 * down for the hour of the morning rush and 429-ing otherwise, CloudTrail events dropped and
 * delivered twice, overlapping ticks, Lambdas killed right after their AWS call), with the
 * operator associating three applications. The two runs share nothing but the scenario.
 */
describe('the fault campaign, CI-sized', () => {
  it('meets every goal under faults: nothing unaudited, nothing twice, every deployment done, never below use, no notice lost', { timeout: 120_000 }, async () => {
    // Act: the clean run and the faulted run side by side, each on its own local cloud.
    const [clean, faulted] = await Promise.all([
      runScenario(weekScenario({ days: 2.75 / 24, start: '07:05', faults: false })),
      runScenario(weekScenario({ days: 2.75 / 24, start: '07:05', faults: true })),
    ]);
    const figures = runFigures(faulted);

    // Assess: the faults happened…
    expect(faulted.crashes.length).toBeGreaterThan(0);
    expect(figures.context['CloudTrail events never delivered']).toBeGreaterThan(0);
    expect(figures.context['overlapping ticks']).toBeGreaterThan(0);
    expect(faulted.slackStats.rejected).toBeGreaterThan(0);
    // …and every goal holds.
    expect(figures.auditLost).toEqual([]);
    expect(figures.duplicateActions).toEqual([]);
    expect(figures.overlappingWorkflows).toEqual([]);
    expect(figures.deploymentsNotCompleted).toEqual([]);
    // Unfinished at the end only where CloudTrail never delivered the association: the sweeper
    // picks it up after its 30-minute grace.
    const dropped = new Set(faulted.cloudTrailDelivery.filter((record) => record.copies === 0).map((record) => record.eventID));
    for (const { action } of figures.deploymentsUnderWay) {
      const call = faulted.cloudTrail.find((event) => event.detail.eventTime === new Date(action.at).toISOString().replace('.000', '') && event.detail.eventName.endsWith('WorkspaceApplication'));
      expect(dropped.has(call!.detail.eventID)).toBe(true);
    }
    expect(figures.belowInUse).toEqual([]);
    expect(figures.slackLost).toEqual([]);
    // The deployments are the clean run's (those still under way aside), and capacity differs only by delays.
    expect(figures.context['deployment-completed items']! + figures.deploymentsUnderWay.length).toBe(runFigures(clean).context['deployment-completed items']);
    expect(compareDecisions(clean, faulted).episodes.filter((episode) => episode.explanation !== 'delayed')).toEqual([]);
  });
});
