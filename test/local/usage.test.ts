import { describe, expect, it } from 'vitest';
import { parseDemandSetting, Usage } from '#local/usage.ts';

const T0 = Date.parse('2026-11-23T08:00:00Z');
const minutes = (count: number) => T0 + count * 60_000;

describe('simulated users (local/usage.ts)', () => {
  it('follows a step curve: 0 before the first point, each value from its point on', () => {
    const usage = new Usage();
    usage.set({ kind: 'pool', id: 'p', curve: [{ at: minutes(10), sessions: 20 }, { at: minutes(0), sessions: 8 }] });
    expect([-1, 0, 9, 10, 60].map((m) => usage.demand('pool', 'p', minutes(m)))).toEqual([0, 8, 8, 20, 20]);
  });

  it('spreads each step over rampMinutes, a whole-minute step at a time, from the value before it', () => {
    const usage = new Usage();
    usage.set({ kind: 'fleet', id: 'f', curve: [{ at: minutes(0), sessions: 0 }, { at: minutes(60), sessions: 30 }, { at: minutes(120), sessions: 0 }], rampMinutes: 29 });
    const at = (m: number) => usage.demand('fleet', 'f', minutes(m));
    // 0 → 30 over 29 minutes: 1 more a minute, reached at minute 29 of the ramp.
    expect([59, 60, 61, 74, 88, 89, 119].map(at)).toEqual([0, 1, 2, 15, 29, 30, 30]);
    // Down again the same way.
    expect([120, 134, 149].map(at)).toEqual([29, 15, 0]);
    // Within a minute the value holds.
    expect(usage.demand('fleet', 'f', minutes(60) + 59_999)).toBe(1);
  });

  it('gives the ramp back through list(), and reads it from a seed with its path in errors', () => {
    const setting = parseDemandSetting({ kind: 'pool', id: 'p', rampMinutes: 30, curve: [{ at: '2026-11-23T08:00:00Z', sessions: 5 }] }, 'usage[2]');
    const usage = new Usage();
    usage.set(setting);
    expect(usage.list()).toEqual([{ kind: 'pool', id: 'p', rampMinutes: 30, curve: [{ at: '2026-11-23T08:00:00.000Z', sessions: 5 }] }]);
    expect(() => parseDemandSetting({ kind: 'pool', id: 'p', rampMinutes: -5, curve: [] }, 'usage[2]')).toThrow('usage[2].rampMinutes must be a whole number ≥ 0, got -5');
    expect(() => parseDemandSetting({ kind: 'pool', id: 'p', rampMinutes: 'slow', curve: [] }, 'usage[2]')).toThrow('usage[2].rampMinutes must be a whole number');
  });
});
