import { describe, expect, it } from 'vitest';
import type { Decision } from '#lib/capacity/decide.ts';
import { nextHistory } from '#lib/capacity/history.ts';
import { history, MINUTES, NOW, observed, policy } from './fixtures.ts';

const withUsage = policy({ usage: { minFreeSessions: 5, scaleIn: { stabilizationMinutes: 30 } } });
const decision = (overrides: Partial<Decision>): Decision => ({ action: 'set', desired: 20, cause: 'usage', reason: 'r.', usageRecommendation: 20, ...overrides });

describe('the history after a decision', () => {
  it('remembers the usage recommendation and forgets those no stabilization window can reach', () => {
    const before = history({ usageRecommendations: [{ at: NOW - 30 * MINUTES, value: 50 }, { at: NOW - 29 * MINUTES, value: 40 }] });

    const after = nextHistory({ history: before, decision: decision({ action: 'none', desired: 10 }), observed: observed(), policy: withUsage, now: NOW, applied: false });

    expect(after.usageRecommendations).toEqual([{ at: NOW - 29 * MINUTES, value: 40 }, { at: NOW, value: 20 }]);
  });

  it('keeps no recommendations for a policy without usage rules', () => {
    const after = nextHistory({ history: history({ usageRecommendations: [{ at: NOW, value: 3 }] }), decision: decision({ usageRecommendation: undefined }), observed: observed(), policy: policy(), now: NOW, applied: true });

    expect(after.usageRecommendations).toEqual([]);
  });

  it('records an applied usage scale-out as the last change and starts the cooldown', () => {
    const after = nextHistory({ history: history(), decision: decision({}), observed: observed({ desired: 10 }), policy: withUsage, now: NOW, applied: true });

    expect(after.lastChange).toEqual({ at: NOW, from: 10, to: 20, cause: 'usage' });
    expect(after.lastUsageScaleOutAt).toBe(NOW);
  });

  it.each([
    { name: 'a usage scale-in', change: decision({ desired: 5 }), cause: 'usage' },
    { name: 'a schedule change', change: decision({ cause: 'schedule' }), cause: 'schedule' },
    { name: 'a start with the capacity to set', change: decision({ action: 'start', cause: 'off-hours' }), cause: 'schedule' },
    { name: 'a min/max correction', change: decision({ cause: 'limits' }), cause: 'limits' },
    { name: 'a hold for sessions in use', change: decision({ desired: 30, cause: 'active-sessions' }), cause: 'usage' },
  ])('records $name as the last change without starting the cooldown', ({ change, cause }) => {
    const after = nextHistory({ history: history(), decision: change, observed: observed({ desired: 10 }), policy: withUsage, now: NOW, applied: true });

    expect(after.lastChange).toEqual({ at: NOW, from: 10, to: change.desired, cause });
    expect(after.lastUsageScaleOutAt).toBeUndefined();
  });

  it('changes nothing but the recommendations when the decision was not applied (dry run, lost race)', () => {
    const before = history({ lastChange: { at: NOW - 60 * MINUTES, from: 0, to: 10, cause: 'schedule' } });

    const after = nextHistory({ history: before, decision: decision({}), observed: observed({ desired: 10 }), policy: withUsage, now: NOW, applied: false });

    expect(after.lastChange).toEqual(before.lastChange);
    expect(after.lastUsageScaleOutAt).toBeUndefined();
  });
});
