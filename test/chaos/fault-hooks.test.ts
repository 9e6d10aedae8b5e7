import { describe, expect, it } from 'vitest';
import { CloudTrailDelivery, type CloudTrailEvent } from '#local/cloudtrail.ts';
import { Faults } from '#local/faults.ts';
import { SlackSink } from '#local/slack.ts';

/** The fault settings the campaign (local/chaos) adds to the local cloud, each on its own. */
const HOUR = 3_600_000;
const POST = JSON.stringify({ text: 'hello' });

function event(n: number): CloudTrailEvent {
  return { detail: { eventID: `event-${n}`, eventName: 'AssociateWorkspaceApplication' } } as CloudTrailEvent;
}

describe('CloudTrail delivery faults', () => {
  it('delivers every event once until set', () => {
    const delivery = new CloudTrailDelivery();
    expect(Array.from({ length: 50 }, (_, n) => delivery.copies(event(n)))).toEqual(Array(50).fill(1));
  });

  it('drops and duplicates seeded shares of the events, the same ones for the same seed', () => {
    const draw = () => {
      const delivery = new CloudTrailDelivery();
      delivery.set({ dropProbability: 0.1, duplicateProbability: 1, seed: 7 });
      return Array.from({ length: 1000 }, (_, n) => delivery.copies(event(n)));
    };
    const copies = draw();
    const dropped = copies.filter((n) => n === 0).length;
    expect(dropped).toBeGreaterThan(60);
    expect(dropped).toBeLessThan(140);
    expect(copies.filter((n) => n === 1)).toEqual([]);
    expect(draw()).toEqual(copies);
  });

  it('refuses a share outside [0, 1]', () => {
    expect(() => new CloudTrailDelivery().set({ dropProbability: 1.5 })).toThrow('cloudTrail.dropProbability must be in [0, 1]');
  });
});

describe('Slack outages and rate limits', () => {
  it('answers 500 inside an outage window of local time and ok outside it', () => {
    const slack = new SlackSink();
    slack.addOutage({ from: HOUR, to: 2 * HOUR, status: 500 });
    expect([slack.post('w', POST, HOUR - 1).status, slack.post('w', POST, HOUR).status, slack.post('w', POST, 2 * HOUR).status]).toEqual([200, 500, 200]);
    expect(slack.stats()).toEqual({ delivered: 2, rejected: 1 });
  });

  it('rate limits a seeded share of posts with Retry-After', () => {
    const slack = new SlackSink();
    slack.limitRate({ probability: 0.2, retryAfter: 3, seed: 3 });
    const replies = Array.from({ length: 500 }, () => slack.post('w', POST, 0));
    const limited = replies.filter((reply) => reply.status === 429);
    expect(limited.length).toBeGreaterThan(70);
    expect(limited.length).toBeLessThan(130);
    expect(limited[0]?.headers['retry-after']).toBe('3');
    slack.clearFailure();
    expect(slack.post('w', POST, 0).status).toBe(200);
  });

  it('refuses an empty window', () => {
    expect(() => new SlackSink().addOutage({ from: HOUR, to: HOUR, status: 500 })).toThrow('outage.from must be before outage.to');
  });
});

describe('crash after a call', () => {
  it('names the calling function once, for the operation and function asked', () => {
    const faults = new Faults();
    faults.crashAfter({ operation: 'UpdateWorkspacesPool', function: 'capacityChangeStep', count: 1 });
    expect(faults.takeCrash('UpdateWorkspacesPool', 'euc-autopilot-local-cloudtrailReactor')).toBe(false);
    expect(faults.takeCrash('StartWorkspacesPool', 'euc-autopilot-local-capacityChangeStep')).toBe(false);
    expect(faults.takeCrash('UpdateWorkspacesPool', 'euc-autopilot-local-capacityChangeStep')).toBe(true);
    expect(faults.takeCrash('UpdateWorkspacesPool', 'euc-autopilot-local-capacityChangeStep')).toBe(false);
  });

  it('refuses a rule without an operation', () => {
    expect(() => new Faults().crashAfter({ operation: '' })).toThrow('crash.operation is required');
  });
});
