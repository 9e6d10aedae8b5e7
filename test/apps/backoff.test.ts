import { describe, expect, it } from 'vitest';
import { backoffPolicy, DEFAULT_BACKOFF, InvalidBackoffPolicyError, nextDeployStep, nextWait, waitOrTimeout, waitsUntilTimeout } from '#lib/apps/backoff.ts';

describe('nextWait: 60 s doubling to a 10 min cap', () => {
  it.each([
    [0, 60],
    [1, 120],
    [2, 240],
    [3, 480],
    [4, 600],
    [5, 600],
    [1000, 600],
    [-3, 60],
    [2.7, 240],
    [Number.POSITIVE_INFINITY, 600],
    [Number.NaN, 60],
  ])('wait number %s is %s s', (attempt, seconds) => {
    expect(nextWait(attempt)).toBe(seconds);
  });

  it('follows a policy of its own', () => {
    expect(nextWait(3, backoffPolicy({ initialSeconds: 10, maxSeconds: 45 }))).toBe(45);
  });
});

describe('waitsUntilTimeout: the whole schedule', () => {
  it('with the defaults waits 9 times over an hour, a 15-minute deployment seen at the 4th look, the last wait ending at the hour', () => {
    expect(waitsUntilTimeout()).toEqual([60, 120, 240, 480, 600, 600, 600, 600, 300]);
  });

  it('adds up to the timeout exactly for a timeout shorter than the first waits', () => {
    expect(waitsUntilTimeout(backoffPolicy({ timeoutSeconds: 100, initialSeconds: 30 }))).toEqual([30, 60, 10]);
  });
});

describe('waitOrTimeout: the next wait, or the end', () => {
  it.each([
    { wait: 60, elapsed: 0, expected: 60, says: 'a wait well inside the timeout is kept' },
    { wait: 600, elapsed: 3300, expected: 300, says: 'the last wait is cut short to end at the timeout' },
    { wait: 600, elapsed: 3600, expected: undefined, says: 'at the timeout there is no wait: it timed out' },
    { wait: 60, elapsed: 4000, expected: undefined, says: 'past the timeout there is no wait either' },
  ])('$says', ({ wait, elapsed, expected }) => {
    expect(waitOrTimeout(wait, elapsed, DEFAULT_BACKOFF.timeoutSeconds)).toBe(expected);
  });
});

describe('backoffPolicy: settings are checked', () => {
  it('defaults to 60 s, 10 min, 60 min and 3 Force redeploys', () => {
    expect(backoffPolicy()).toEqual({ initialSeconds: 60, maxSeconds: 600, timeoutSeconds: 3600, maxForceRedeploys: 3 });
  });

  it.each([{ initialSeconds: 0 }, { timeoutSeconds: 1.5 }, { maxSeconds: 10 }, { maxForceRedeploys: -1 }])('refuses %o', (changes) => {
    expect(() => backoffPolicy(changes)).toThrow(InvalidBackoffPolicyError);
  });
});

describe('nextDeployStep: the retry policy', () => {
  const none = { inProgress: 0, unknown: 0, pendingApplicationIds: [] as string[], retryableApplicationIds: [] as string[] };

  it.each([
    {
      says: 'waits while something is installing',
      summary: { ...none, inProgress: 1, pendingApplicationIds: ['wsa-b'] },
      forceRedeploys: 0,
      step: { action: 'wait' },
    },
    {
      says: 'waits while a state is not understood',
      summary: { ...none, unknown: 1 },
      forceRedeploys: 0,
      step: { action: 'wait' },
    },
    {
      says: 'deploys without Force what is pending',
      summary: { ...none, pendingApplicationIds: ['wsa-a', 'wsa-b'] },
      forceRedeploys: 0,
      step: { action: 'deploy', force: false, applicationIds: ['wsa-a', 'wsa-b'] },
    },
    {
      says: 'redeploys with Force a retryable error',
      summary: { ...none, retryableApplicationIds: ['wsa-a'] },
      forceRedeploys: 0,
      step: { action: 'deploy', force: true, applicationIds: ['wsa-a'] },
    },
    {
      says: 'redeploys with Force for the third and last time',
      summary: { ...none, retryableApplicationIds: ['wsa-a'] },
      forceRedeploys: 2,
      step: { action: 'deploy', force: true, applicationIds: ['wsa-a'] },
    },
    {
      says: 'gives up on a retryable error after three Force redeploys, naming it',
      summary: { ...none, retryableApplicationIds: ['wsa-a'] },
      forceRedeploys: 3,
      step: { action: 'finish', exhausted: ['wsa-a'] },
    },
    {
      says: 'covers a new association and a retryable error in one Force deployment',
      summary: { ...none, pendingApplicationIds: ['wsa-new'], retryableApplicationIds: ['wsa-a'] },
      forceRedeploys: 1,
      step: { action: 'deploy', force: true, applicationIds: ['wsa-new', 'wsa-a'] },
    },
    {
      says: 'still deploys a new association once the Force redeploys are used up, without Force',
      summary: { ...none, pendingApplicationIds: ['wsa-new'], retryableApplicationIds: ['wsa-a'] },
      forceRedeploys: 3,
      step: { action: 'deploy', force: false, applicationIds: ['wsa-new'] },
    },
    {
      says: 'finishes when everything settled and nothing is retryable',
      summary: none,
      forceRedeploys: 0,
      step: { action: 'finish', exhausted: [] },
    },
  ])('$says', ({ summary, forceRedeploys, step }) => {
    expect(nextDeployStep(summary, { forceRedeploys }, DEFAULT_BACKOFF)).toEqual(step);
  });

  it('never redeploys with Force when the policy allows none', () => {
    const step = nextDeployStep({ ...none, retryableApplicationIds: ['wsa-a'] }, { forceRedeploys: 0 }, backoffPolicy({ maxForceRedeploys: 0 }));
    expect(step).toEqual({ action: 'finish', exhausted: ['wsa-a'] });
  });
});
