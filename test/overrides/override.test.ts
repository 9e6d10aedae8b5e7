import { describe, expect, it } from 'vitest';
import { applyOverride, isActive, overrideSchema, type Override } from '#lib/overrides/override.ts';
import type { Policy } from '#lib/policy/schema.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const window: ScheduleValue = { mode: 'floor', capacity: 30, source: { kind: 'window', window: 'business-hours', readyBy: false }, reason: 'business hours', since: T0 - 3_600_000, until: T0 + 7 * 3_600_000 };
const policy = { name: 'p', min: 2, max: 40 } as Policy;
const override = (changes: Partial<Override>): Override => ({ id: 'ovr-1', kind: 'hold', capacity: 50, setAt: T0, until: T0 + 1_800_000, reason: 'town hall', setBy: 'principal:olga', ...changes });

describe('applyOverride', () => {
  it('makes a hold the exact value, beyond the policy limits, named as the source', () => {
    const applied = applyOverride(window, policy, override({ kind: 'hold', capacity: 50 }) as Override & { kind: 'hold' });
    expect(applied.schedule).toMatchObject({ mode: 'exact', capacity: 50, source: { kind: 'override', id: 'ovr-1', inWindow: true }, until: T0 + 1_800_000 });
    expect(applied.policy).toMatchObject({ min: 2, max: 50 });
  });

  it('holds below the policy minimum when told to', () => {
    expect(applyOverride(window, policy, override({ kind: 'hold', capacity: 0 }) as Override & { kind: 'hold' }).policy).toMatchObject({ min: 0, max: 40 });
  });

  it('raises the schedule to a floor, keeping its mode, and leaves it alone when the schedule asks more', () => {
    const raised = applyOverride(window, policy, override({ kind: 'floor', capacity: 35 }) as Override & { kind: 'floor' });
    expect(raised.schedule).toMatchObject({ mode: 'floor', capacity: 35, source: { kind: 'override' } });
    const below = applyOverride(window, policy, override({ kind: 'floor', capacity: 10 }) as Override & { kind: 'floor' });
    expect(below).toEqual({ schedule: window, policy });
  });
});

describe('overrideSchema and isActive', () => {
  it.each([
    [{ kind: 'hold', capacity: undefined }, 'capacity'],
    [{ kind: 'pause', capacity: 3 }, 'capacity'],
    [{ until: T0 }, 'until'],
    [{ until: T0 + 8 * 86_400_000 }, 'until'],
  ] as const)('refuses %o at %s', (changes, path) => {
    const parsed = overrideSchema.safeParse(override(changes as Partial<Override>));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('is active until its end, not at it', () => {
    expect(isActive(override({}), T0 + 1_799_999)).toBe(true);
    expect(isActive(override({}), T0 + 1_800_000)).toBe(false);
    expect(isActive(undefined, T0)).toBe(false);
  });
});
