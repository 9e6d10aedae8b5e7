import { describe, expect, it } from 'vitest';
import { decide, type Decision, type History, type Observed } from '#lib/capacity/decide.ts';
import { recommendFromUsage } from '#lib/capacity/usage.ts';
import type { Policy } from '#lib/policy/schema.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';
import { history, MINUTES, NOW, observed, offHoursValue, policy, usage, windowValue } from './fixtures.ts';

interface Case {
  name: string;
  policy?: Policy;
  schedule: ScheduleValue;
  observed: Observed;
  history?: History;
  expected: Partial<Decision>;
  reasonIncludes?: string[];
}

function runCases(cases: Case[]): void {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    const decision = decide({
      policy: testCase.policy ?? policy(),
      schedule: testCase.schedule,
      observed: testCase.observed,
      history: testCase.history ?? history(),
      now: NOW,
    });

    expect(decision).toMatchObject(testCase.expected);
    for (const text of testCase.reasonIncludes ?? []) expect(decision.reason).toContain(text);
  });
}

const headroom = policy({ usage: { minFreeSessions: 5 } });

describe('the usage recommendation', () => {
  it.each([
    { name: 'target utilization alone: 12 in use at 0.8 asks 15', rules: { targetUtilization: 0.8 }, active: 12, value: 15 },
    { name: 'free sessions alone: 12 in use + 5 free asks 17', rules: { minFreeSessions: 5 }, active: 12, value: 17 },
    { name: 'both rules: the larger wins (headroom at low use)', rules: { targetUtilization: 0.8, minFreeSessions: 5 }, active: 12, value: 17 },
    { name: 'both rules: the larger wins (utilization at high use)', rules: { targetUtilization: 0.8, minFreeSessions: 5 }, active: 40, value: 50 },
    { name: 'no rule given: exactly the sessions in use', rules: {}, active: 7, value: 7 },
    { name: 'nobody connected and no headroom: 0', rules: { targetUtilization: 0.5 }, active: 0, value: 0 },
    { name: 'floating point does not add a phantom session (3 ÷ 0.3 = 10)', rules: { targetUtilization: 0.3 }, active: 3, value: 10 },
    { name: 'a fraction of a session rounds up (10 ÷ 0.75 → 14)', rules: { targetUtilization: 0.75 }, active: 10, value: 14 },
  ])('$name', ({ rules, active, value }) => {
    expect(recommendFromUsage(usage(rules)!, active).value).toBe(value);
  });

  it('keeps free sessions off hours only while someone is connected, so an empty pool can reach 0', () => {
    expect(recommendFromUsage(usage({ minFreeSessions: 5 })!, 0, false).value).toBe(0);
    expect(recommendFromUsage(usage({ minFreeSessions: 5 })!, 1, false).value).toBe(6);
    expect(recommendFromUsage(usage({ minFreeSessions: 5 })!, 0, true).value).toBe(5);
  });

  it('is returned raw for the history, even when an exact window ignores it', () => {
    const decision = decide({ policy: headroom, schedule: windowValue('exact', 40), observed: observed({ desired: 40, active: 12 }), history: history(), now: NOW });
    expect(decision.usageRecommendation).toBe(17);
    expect(decision.desired).toBe(40);
  });

  it('is absent when the policy has no usage rules', () => {
    const decision = decide({ policy: policy(), schedule: windowValue('exact', 40), observed: observed(), history: history(), now: NOW });
    expect(decision).not.toHaveProperty('usageRecommendation');
  });
});

describe('usage scale-out', () => {
  runCases([
    {
      name: 'follows the recommendation at once when no step limit is set',
      policy: headroom,
      schedule: offHoursValue(0),
      observed: observed({ desired: 10, active: 30 }),
      expected: { action: 'set', desired: 35, cause: 'usage' },
      reasonIncludes: ['usage asks 35 (30 in use + 5 free = 35)', '10 → 35'],
    },
    {
      name: 'adds at most scaleOut.maxStep in one decision',
      policy: policy({ usage: { minFreeSessions: 25, scaleOut: { maxStep: 20 } } }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 20, active: 20 }),
      expected: { action: 'set', desired: 40, cause: 'usage', usageRecommendation: 45 },
      reasonIncludes: ['scale-out limited to +20 a tick: 40'],
    },
    {
      name: 'waits out the cooldown after the last usage scale-out',
      policy: policy({ usage: { minFreeSessions: 5, scaleOut: { cooldownMinutes: 5 } } }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 20, active: 20 }),
      history: history({ lastUsageScaleOutAt: NOW - 3 * MINUTES }),
      expected: { action: 'none', desired: 20, cause: 'usage', usageRecommendation: 25 },
      reasonIncludes: ['the last one was 3 min ago, cooldown 5 min'],
    },
    {
      name: 'scales out again once the cooldown has passed',
      policy: policy({ usage: { minFreeSessions: 5, scaleOut: { cooldownMinutes: 5 } } }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 20, active: 20 }),
      history: history({ lastUsageScaleOutAt: NOW - 5 * MINUTES }),
      expected: { action: 'set', desired: 25, cause: 'usage' },
    },
  ]);
});

describe('usage scale-in', () => {
  const slowIn = (scaleIn: Record<string, unknown>) => policy({ usage: { minFreeSessions: 5, scaleIn } });
  runCases([
    {
      name: 'waits while a higher recommendation is inside the stabilization window',
      policy: slowIn({ stabilizationMinutes: 30 }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 30, active: 5 }),
      history: history({ usageRecommendations: [{ at: NOW - 29 * MINUTES, value: 30 }] }),
      expected: { action: 'none', desired: 30, cause: 'usage', usageRecommendation: 10 },
      reasonIncludes: ['no scale-in yet: 30 was asked within the last 30 min'],
    },
    {
      name: 'goes down to the highest recommendation of the window, not below',
      policy: slowIn({ stabilizationMinutes: 30 }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 30, active: 5 }),
      history: history({
        usageRecommendations: [
          { at: NOW - 45 * MINUTES, value: 30 },
          { at: NOW - 20 * MINUTES, value: 22 },
          { at: NOW - 5 * MINUTES, value: 15 },
        ],
      }),
      expected: { action: 'set', desired: 22, cause: 'usage' },
      reasonIncludes: ['scale-in only to 22, the highest ask of the last 30 min', '30 → 22'],
    },
    {
      name: 'forgets a recommendation exactly as old as the window',
      policy: slowIn({ stabilizationMinutes: 30 }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 30, active: 5 }),
      history: history({ usageRecommendations: [{ at: NOW - 30 * MINUTES, value: 30 }] }),
      expected: { action: 'set', desired: 10, cause: 'usage' },
    },
    {
      name: 'removes at most scaleIn.maxStep in one decision',
      policy: slowIn({ stabilizationMinutes: 0, maxStep: 10 }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 40, active: 5 }),
      expected: { action: 'set', desired: 30, cause: 'usage' },
      reasonIncludes: ['scale-in limited to −10 a tick: 30'],
    },
    {
      name: 'with a zero-minute window follows the recommendation down at once',
      policy: slowIn({ stabilizationMinutes: 0 }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 40, active: 5 }),
      history: history({ usageRecommendations: [{ at: NOW - 1 * MINUTES, value: 40 }] }),
      expected: { action: 'set', desired: 10, cause: 'usage' },
    },
    {
      name: 'gives back capacity above a lowered floor by the scale-in rules, not at once',
      policy: slowIn({ stabilizationMinutes: 30, maxStep: 10 }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 40, active: 12 }),
      history: history({ usageRecommendations: [{ at: NOW - 10 * MINUTES, value: 17 }] }),
      expected: { action: 'set', desired: 30, cause: 'usage' },
    },
  ]);
});

describe('the schedule', () => {
  runCases([
    {
      name: 'an exact window is exact: usage cannot raise it',
      policy: headroom,
      schedule: windowValue('exact', 20),
      observed: observed({ desired: 20, active: 18 }),
      expected: { action: 'none', desired: 20, cause: 'schedule', usageRecommendation: 23 },
      reasonIncludes: ['window business asks 20', 'usage asks 23 (18 in use + 5 free = 23), which an exact value does not follow'],
    },
    {
      name: 'an exact window is exact: usage cannot hold it higher',
      policy: policy({ usage: { minFreeSessions: 5, scaleIn: { stabilizationMinutes: 30, maxStep: 2 } } }),
      schedule: windowValue('exact', 10),
      observed: observed({ desired: 40, active: 3 }),
      history: history({ usageRecommendations: [{ at: NOW - 1 * MINUTES, value: 40 }] }),
      expected: { action: 'set', desired: 10, cause: 'schedule' },
    },
    {
      name: 'a window value applies at once, beyond the scale-out step (ready-by)',
      policy: policy({ usage: { minFreeSessions: 5, scaleOut: { maxStep: 5 } } }),
      schedule: windowValue('exact', 40, { source: { kind: 'window', window: 'business', readyBy: true } }),
      observed: observed({ desired: 0, active: 0 }),
      history: history({ lastUsageScaleOutAt: NOW - 1 * MINUTES }),
      expected: { action: 'set', desired: 40, cause: 'schedule' },
      reasonIncludes: ['window business asks 40, ready by 08:00', '0 → 40'],
    },
    {
      name: 'a floor is the least capacity when usage asks for less',
      policy: headroom,
      schedule: windowValue('floor', 60, { source: { kind: 'window', window: 'month-end', readyBy: false } }),
      observed: observed({ desired: 60, active: 12 }),
      expected: { action: 'none', desired: 60, cause: 'schedule' },
      reasonIncludes: ['window month-end asks at least 60'],
    },
    {
      name: 'a floor is raised by usage',
      policy: headroom,
      schedule: windowValue('floor', 10),
      observed: observed({ desired: 10, active: 12 }),
      expected: { action: 'set', desired: 17, cause: 'usage' },
      reasonIncludes: ['window business asks at least 10; usage asks 17 (12 in use + 5 free = 17); 10 → 17.'],
    },
    {
      name: 'a floor without usage rules is the value',
      schedule: windowValue('floor', 25),
      observed: observed({ desired: 10 }),
      expected: { action: 'set', desired: 25, cause: 'schedule' },
    },
    {
      name: 'a calendar day gives the off-hours value and names the entry',
      schedule: { mode: 'floor', capacity: 0, source: { kind: 'calendar', calendar: 'de-holidays', entry: 'New Year' }, reason: 'holiday', since: NOW, until: NOW + 1 },
      observed: observed({ desired: 10 }),
      expected: { action: 'set', desired: 0, cause: 'schedule' },
      reasonIncludes: ['calendar de-holidays (New Year): off hours ask at least 0'],
    },
  ]);
});

describe('min, max and the sessions in use', () => {
  runCases([
    {
      name: 'a value above max is capped at max',
      policy: policy({ max: 30 }),
      schedule: windowValue('exact', 40),
      observed: observed({ desired: 10 }),
      expected: { action: 'set', desired: 30, cause: 'limits' },
      reasonIncludes: ['capped at max 30'],
    },
    {
      name: 'a value below min is raised to min',
      policy: policy({ min: 5 }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 10 }),
      expected: { action: 'set', desired: 5, cause: 'limits' },
      reasonIncludes: ['raised to min 5'],
    },
    {
      name: 'never below the sessions in use, even under an exact window',
      schedule: windowValue('exact', 10),
      observed: observed({ desired: 30, active: 25 }),
      expected: { action: 'set', desired: 25, cause: 'active-sessions' },
      reasonIncludes: ['25 sessions in use hold it at 25'],
    },
    {
      name: 'sessions in use above the desired value raise it at once, beyond the scale-out step',
      policy: policy({ usage: { minFreeSessions: 5, scaleOut: { maxStep: 2 } } }),
      schedule: offHoursValue(0),
      observed: observed({ desired: 10, active: 30 }),
      expected: { action: 'set', desired: 30, cause: 'active-sessions', usageRecommendation: 35 },
    },
    {
      name: 'capacity held above max for sessions in use returns to max once they end',
      policy: policy({ max: 30, usage: { minFreeSessions: 5, scaleIn: { stabilizationMinutes: 30, maxStep: 1 } } }),
      schedule: windowValue('floor', 10),
      observed: observed({ desired: 35, active: 20 }),
      history: history({ usageRecommendations: [{ at: NOW - 1 * MINUTES, value: 40 }] }),
      expected: { action: 'set', desired: 30, cause: 'limits' },
      reasonIncludes: ['capped at max 30'],
    },
    {
      name: 'never below the sessions in use, even above max, and the reason says so',
      policy: policy({ max: 30 }),
      schedule: windowValue('exact', 40),
      observed: observed({ desired: 30, active: 35 }),
      expected: { action: 'set', desired: 35, cause: 'active-sessions' },
      reasonIncludes: ['35 sessions in use hold it at 35, above max 30'],
    },
  ]);
});

describe('the action', () => {
  const stopping = policy({ offHours: { capacity: 0, stop: true } });
  runCases([
    {
      name: 'none when the desired value is already right',
      schedule: windowValue('exact', 40),
      observed: observed({ desired: 40 }),
      expected: { action: 'none', desired: 40, cause: 'schedule' },
      reasonIncludes: ['stays at 40'],
    },
    {
      name: 'stop a running target at 0 with nobody connected when the policy says so',
      policy: stopping,
      schedule: offHoursValue(0),
      observed: observed({ desired: 3, active: 0 }),
      expected: { action: 'stop', desired: 0, cause: 'off-hours' },
      reasonIncludes: ['nobody connected: stop it'],
    },
    {
      name: 'do not stop while someone is connected: keep their session',
      policy: stopping,
      schedule: offHoursValue(0),
      observed: observed({ desired: 3, active: 1 }),
      expected: { action: 'set', desired: 1, cause: 'active-sessions' },
    },
    {
      name: 'do not stop when the policy does not say so: set 0',
      schedule: offHoursValue(0),
      observed: observed({ desired: 3, active: 0 }),
      expected: { action: 'set', desired: 0, cause: 'schedule' },
    },
    {
      name: 'start a stopped target that should have capacity',
      policy: stopping,
      schedule: windowValue('exact', 40, { source: { kind: 'window', window: 'business', readyBy: true } }),
      observed: observed({ state: 'STOPPED', desired: 0, actual: 0, available: 0 }),
      expected: { action: 'start', desired: 40, cause: 'schedule' },
      reasonIncludes: ['stopped: start it, then set 40'],
    },
    {
      name: 'start a stopped target even when its desired value is already right',
      schedule: windowValue('exact', 40),
      observed: observed({ state: 'STOPPED', desired: 40, actual: 0, available: 0 }),
      expected: { action: 'start', desired: 40 },
    },
    {
      name: 'a stopped target that should have 0 stays stopped',
      policy: stopping,
      schedule: offHoursValue(0),
      observed: observed({ state: 'STOPPED', desired: 2, actual: 0, available: 0 }),
      expected: { action: 'none', desired: 2 },
      reasonIncludes: ['stays stopped'],
    },
    ...(['UPDATING', 'STARTING', 'STOPPING', 'CREATING', 'DELETING', 'OTHER'] as const).map(
      (state): Case => ({
        name: `defer while ${state}, with the value it wants`,
        schedule: windowValue('exact', 40),
        observed: observed({ state, desired: 10 }),
        expected: { action: 'defer', desired: 40, cause: 'state' },
        reasonIncludes: [`would change 10 → 40, but the target is ${state}: deferred`],
      }),
    ),
    {
      name: 'nothing to defer while UPDATING when the value is already right',
      schedule: windowValue('exact', 40),
      observed: observed({ state: 'UPDATING', desired: 40 }),
      expected: { action: 'none', desired: 40 },
    },
    {
      name: 'nothing to defer while STOPPING towards 0',
      policy: stopping,
      schedule: offHoursValue(0),
      observed: observed({ state: 'STOPPING', desired: 5 }),
      expected: { action: 'none', desired: 5 },
      reasonIncludes: ['already stopping'],
    },
  ]);
});

describe('the reason', () => {
  it('is one sentence with the schedule, the usage arithmetic, the ready-by time and the change', () => {
    const decision = decide({
      policy: policy({ usage: { targetUtilization: 0.8, minFreeSessions: 5 } }),
      schedule: windowValue('floor', 10, { source: { kind: 'window', window: 'business', readyBy: true } }),
      observed: observed({ desired: 10, active: 12 }),
      history: history(),
      now: NOW,
    });

    expect(decision.reason).toBe('window business asks at least 10, ready by 08:00; usage asks 17 (12 in use ÷ 0.8 = 15, 12 in use + 5 free = 17); 10 → 17.');
  });
});
