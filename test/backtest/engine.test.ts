import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateAutopilot, workflowRelease } from '#lib/backtest/autopilot.ts';
import { simulateStatic, simulateTargetTracking } from '#lib/backtest/baselines.ts';
import { Downsampler } from '#lib/backtest/meter.ts';
import { DEFAULT_PROVISIONING } from '#lib/backtest/provisioning.ts';
import { runBacktest } from '#lib/backtest/run.ts';
import { scheduleChanges } from '#lib/schedule/changes.ts';
import type { Policy } from '#lib/policy/schema.ts';
import { DAY_MINUTES, MINUTE, MONDAY, policy, policySet, steps, traceOf, valueAt } from './support.ts';

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'];

function autopilot(inUse: Int32Array, subject: Policy, options: { kind?: 'pool' | 'fleet'; tickMinutes?: number; rememberDecisions?: boolean } = {}) {
  const to = MONDAY + inUse.length * MINUTE;
  return simulateAutopilot({
    inUse,
    from: MONDAY,
    policy: subject,
    schedule: scheduleChanges(subject, {}, subject.timeZone ?? 'UTC', MONDAY, to),
    rates: DEFAULT_PROVISIONING[options.kind ?? 'pool'],
    tickMinutes: options.tickMinutes ?? 1,
    bucketMinutes: 1,
    ...(options.rememberDecisions === undefined ? {} : { rememberDecisions: options.rememberDecisions }),
  });
}

describe('the backtest engine', () => {
  it('gives a flat trace under a fixed floor the floor times the hours', () => {
    // Prepare: 5 sessions all day; off hours (no window) ask at least 10.
    const inUse = steps(DAY_MINUTES, [[0, 5]]);

    // Act
    const { measured } = autopilot(inUse, policy({ offHours: { capacity: 10 } }));

    // Assess
    expect(measured.capacityHours).toBeCloseTo(10 * 24, 9);
    expect(measured.shortfallUserMinutes).toBe(0);
    expect(measured.capacityChanges).toBe(0);
  });

  it('keeps the free sessions the usage rules ask for on a flat trace', () => {
    const inUse = steps(DAY_MINUTES, [[0, 20]]);

    const { measured } = autopilot(inUse, policy({ usage: { minFreeSessions: 5 } }));

    // 20 in use + 5 free, all day.
    expect(measured.capacityHours).toBeCloseTo(25 * 24, 9);
    expect(measured.shortfallUserMinutes).toBe(0);
  });

  it('turns users away at a ramp while capacity provisions, and ready-by removes the shortfall', () => {
    // Prepare: 50 people log in at 08:00 on a pool that provisions 10 sessions a minute.
    const inUse = steps(DAY_MINUTES, [[8 * 60, 50], [18 * 60, 0]]);
    const window = { name: 'business', days: WEEKDAYS, start: '08:00', end: '18:00', capacity: 50 };

    // Act
    const late = autopilot(inUse, policy({ windows: [window] }));
    const ready = autopilot(inUse, policy({ windows: [{ ...window, readyBy: { leadMinutes: 10 } }] }));

    // Assess: 50 + 40 + 30 + 20 + 10 user-minutes in one event; none with 10 minutes of lead.
    expect(late.measured.shortfallUserMinutes).toBe(150);
    expect(late.measured.shortfallEvents).toBe(1);
    expect(late.measured.worstShortfall).toBe(50);
    expect(valueAt(late.capacity, 8 * 60 + 2)).toBe(20);
    expect(ready.measured.shortfallUserMinutes).toBe(0);
    expect(ready.measured.shortfallEvents).toBe(0);
    expect(valueAt(ready.capacity, 8 * 60 - 5)).toBe(50);
  });

  it('decides only on tick minutes', () => {
    // The window starts at 08:03; with a 5-minute tick the next decision is at 08:05.
    const inUse = steps(DAY_MINUTES, [[8 * 60 + 3, 50], [18 * 60, 0]]);
    const subject = policy({ windows: [{ name: 'business', days: WEEKDAYS, start: '08:03', end: '18:00', capacity: 50 }] });

    const everyMinute = autopilot(inUse, subject);
    const everyFive = autopilot(inUse, subject, { tickMinutes: 5 });

    expect(everyMinute.measured.shortfallUserMinutes).toBe(150);
    expect(everyFive.measured.shortfallUserMinutes).toBe(50 + 50 + 150);
  });

  it('stops a fleet at night and starts it early enough to be ready when the studio opens', () => {
    // Prepare: a fleet takes 10 minutes to start, then adds 2 instances a minute.
    const inUse = steps(DAY_MINUTES, [[9 * 60, 2], [17 * 60, 0]]);
    const studio = policy({
      targets: [{ kind: 'fleet', id: 'design' }],
      max: 8,
      offHours: { capacity: 0, stop: true },
      windows: [{ name: 'studio', days: WEEKDAYS, start: '09:00', end: '18:00', floor: 2, readyBy: { leadMinutes: 30 } }],
      usage: { minFreeSessions: 1 },
    });

    // Act
    const { measured, capacity } = autopilot(inUse, studio, { kind: 'fleet' });

    // Assess: stopped in the night, starting from 08:30, 2 instances before 09:00, stopped again at night.
    expect(valueAt(capacity, 5 * 60)).toBe(0);
    expect(valueAt(capacity, 8 * 60 + 35)).toBe(0);
    expect(valueAt(capacity, 8 * 60 + 45)).toBe(2);
    expect(valueAt(capacity, 10 * 60)).toBe(3);
    expect(valueAt(capacity, 22 * 60)).toBe(0);
    expect(measured.shortfallUserMinutes).toBe(0);
    expect(measured.capacityChanges).toBeGreaterThanOrEqual(3);
  });

  it('remembers decisions without changing a single one (against calling decide every tick)', () => {
    const berlin = policy({
      min: 2,
      max: 60,
      offHours: { capacity: 2 },
      windows: [
        { name: 'business', days: WEEKDAYS, start: '07:00', end: '17:00', floor: 30, readyBy: { leadMinutes: 30 } },
        { name: 'friday', days: ['FRI'], start: '14:00', end: '17:00', floor: 15, priority: 5 },
      ],
      usage: { targetUtilization: 0.8, minFreeSessions: 5, scaleOut: { maxStep: 10, cooldownMinutes: 5 }, scaleIn: { stabilizationMinutes: 30, maxStep: 5 } },
    });
    const trace = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 * DAY_MINUTES - 1 }), fc.integer({ min: 0, max: 80 })), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(trace, fc.integer({ min: 1, max: 5 }), (points, tickMinutes) => {
        const inUse = steps(2 * DAY_MINUTES, [...points].sort((a, b) => a[0] - b[0]));
        const remembered = autopilot(inUse, berlin, { tickMinutes });
        const reference = autopilot(inUse, berlin, { tickMinutes, rememberDecisions: false });
        expect(remembered).toEqual(reference);
      }),
      { numRuns: 25 },
    );
  });

  it('never counts more capacity used than there was, nor more users turned away than wanted sessions', () => {
    const subject = policy({ usage: { minFreeSessions: 2, scaleOut: { maxStep: 5 } }, windows: [{ name: 'day', start: '08:00', end: '18:00', floor: 10 }] });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: DAY_MINUTES - 1 }), fc.integer({ min: 0, max: 60 })), { maxLength: 30 }), (points) => {
        const inUse = steps(DAY_MINUTES, [...points].sort((a, b) => a[0] - b[0]));
        const wanted = inUse.reduce((sum, value) => sum + value, 0);
        for (const { measured } of [autopilot(inUse, subject), simulateTargetTracking(inUse, subject, DEFAULT_PROVISIONING.pool, 1)]) {
          expect(measured.shortfallUserMinutes).toBeLessThanOrEqual(wanted);
          // Sessions served (wanted − turned away) fit in the capacity provisioned.
          expect(wanted - measured.shortfallUserMinutes).toBeLessThanOrEqual(measured.capacityHours * 60 + 1e-6);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('the baselines', () => {
  it('sizes the static baseline for the peak plus the free sessions, for every hour', () => {
    // Prepare: two days, peak 30 for an hour on the second.
    const inUse = steps(2 * DAY_MINUTES, [[9 * 60, 12], [DAY_MINUTES + 10 * 60, 30], [DAY_MINUTES + 11 * 60, 8]]);

    // Act
    const fixed = simulateStatic(inUse, policy({ usage: { minFreeSessions: 5 } }), 1);

    // Assess
    expect(fixed.capacityValue).toBe(35);
    expect(fixed.measured.capacityHours).toBe(35 * 48);
    expect(fixed.measured.shortfallUserMinutes).toBe(0);
    expect(fixed.measured.capacityChanges).toBe(0);
  });

  it('has target tracking follow the load up, after its alarm and cooldown, and back down after 15 minutes', () => {
    // Prepare: 10 in use, 40 from 01:00 to 03:00, then 10 again; target utilization 0.8.
    const inUse = steps(6 * 60, [[0, 10], [60, 40], [180, 10]]);
    const subject = policy({ usage: { targetUtilization: 0.8 } });

    // Act
    const { measured, capacity } = simulateTargetTracking(inUse, subject, DEFAULT_PROVISIONING.pool, 1);

    // Assess: ⌈10 ÷ 0.8⌉ = 13 at first; 3 minutes above target before the first scale-out.
    expect(valueAt(capacity, 59)).toBe(13);
    expect(valueAt(capacity, 62)).toBe(13);
    expect(valueAt(capacity, 63)).toBeGreaterThan(13);
    // ⌈40 ÷ 0.8⌉ = 50, reached in steps of ⌈in use ÷ 0.8⌉ five minutes apart, with users turned away meanwhile.
    expect(valueAt(capacity, 170)).toBe(50);
    expect(measured.shortfallUserMinutes).toBeGreaterThan(0);
    // Back to 13 after the load fell: 15 datapoints below target first.
    expect(valueAt(capacity, 180 + 13)).toBe(50);
    expect(valueAt(capacity, 260)).toBe(13);
  });
});

describe('the workflow model', () => {
  it('releases a target at the first look (30 s, then doubling to 5 min) that finds it converged', () => {
    expect(workflowRelease(0, 0, 30)).toBe(0.5);
    expect(workflowRelease(0, 1, 30)).toBe(1.5);
    expect(workflowRelease(0, 5, 30)).toBe(7.5);
    expect(workflowRelease(0, 13, 30)).toBe(17.5);
    expect(workflowRelease(0, 100, 30)).toBe(32.5);
  });
});

describe('chart series', () => {
  it('keeps a one-minute peak when downsampled, and every change at one-minute buckets', () => {
    const spiky = new Downsampler(11);
    const exact = new Downsampler(1);
    for (let minute = 0; minute < 10_000; minute += 1) {
      const value = minute === 5_000 ? 99 : minute % 7;
      spiky.add(minute, value);
      exact.add(minute, value);
    }
    const downsampled = spiky.finish();
    expect(downsampled.values).toContain(99);
    expect(downsampled.minutes.length).toBeLessThanOrEqual(2 * Math.ceil(10_000 / 11) + 1);
    const full = exact.finish();
    expect(valueAt(full, 5_000)).toBe(99);
    expect(valueAt(full, 6_003)).toBe(6_003 % 7);
  });
});

describe('runBacktest', () => {
  it('adds up targets per scenario and prices them, with savings against static', () => {
    // Prepare: two pools with 5 sessions all day under a floor of 10; price 0.5 a session-hour.
    const trace = traceOf({ 'pool/wspool-a': steps(DAY_MINUTES, [[0, 5]]), 'pool/wspool-b': steps(DAY_MINUTES, [[0, 5]]) });
    const subject = policy({ targets: [{ kind: 'pool', id: 'wspool-a' }, { kind: 'pool', id: 'wspool-b' }], offHours: { capacity: 10 } });

    // Act
    const result = runBacktest({ trace, policySets: [policySet([subject])], prices: { pool: 0.5, fleet: 1, targets: {}, placeholders: [] } });

    // Assess: policy 2 × 240 session-h, static 2 × 120, target tracking 2 × ⌈5 ÷ 0.7⌉ × 24.
    const total = (scenario: string) => result.totals.find((entry) => entry.scenario === scenario)!;
    expect(total('policy:0').capacityHours.session).toBeCloseTo(480, 6);
    expect(total('policy:0').cost).toBeCloseTo(240, 6);
    expect(total('static').capacityHours.session).toBe(240);
    expect(total('target-tracking').capacityHours.session).toBeCloseTo(2 * 8 * 24, 6);
    expect(total('policy:0').savingsPercent).toBeCloseTo(-100, 6);
    expect(result.targets.map((target) => target.target)).toEqual(['pool/wspool-a', 'pool/wspool-b']);
    expect(result.targets[0]!.results.map((row) => row.scenario)).toEqual(['policy:0', 'static', 'target-tracking']);
  });

  it('leaves out a target no policy selects, with the option that names one', () => {
    const trace = traceOf({ 'pool/wspool-a': steps(60, [[0, 1]]), 'fleet/tagged': steps(60, [[0, 1]]) });
    const tagged = policy({ name: 'tagged', targets: [{ kind: 'fleet', tags: { office: 'berlin' } }] });
    const byId = policy({ name: 'by-id', targets: [{ kind: 'pool', id: 'wspool-a' }] });

    const result = runBacktest({ trace, policySets: [policySet([tagged, byId])] });
    const forced = runBacktest({ trace, policySets: [policySet([tagged, byId])], targetPolicies: { 'fleet/tagged': 'tagged' } });

    expect(result.targets.map((target) => target.target)).toEqual(['pool/wspool-a']);
    expect(result.warnings).toEqual([expect.stringContaining('--target-policy fleet/tagged=<policy name>')]);
    expect(forced.targets.map((target) => target.target)).toEqual(['pool/wspool-a', 'fleet/tagged']);
    expect(forced.targets[1]!.results[0]!.detail).toBe('tagged');
  });

  it('measures the capacity as run beside the policies when every target recorded it', () => {
    // Prepare: 10 in use from 08:00; the recorded pool had 8 until 08:05 (a 5-minute shortfall of 2),
    // then climbed to 12 over two minutes (one movement) and held.
    const inUse = steps(DAY_MINUTES, [[8 * 60, 10]]);
    const trace = traceOf({ 'pool/wspool-a': inUse });
    trace.targets[0]!.asRun = steps(DAY_MINUTES, [[0, 8], [8 * 60 + 5, 10], [8 * 60 + 6, 12]]);

    // Act
    const result = runBacktest({ trace, policySets: [policySet([policy({ targets: [{ kind: 'pool', id: 'wspool-a' }] })])] });

    // Assess
    expect(result.scenarios.map((scenario) => scenario.id)).toEqual(['policy:0', 'as-run', 'static', 'target-tracking']);
    const asRun = result.targets[0]!.results.find((row) => row.scenario === 'as-run')!;
    expect(asRun.shortfallUserMinutes).toBe(5 * 2);
    expect(asRun.shortfallEvents).toBe(1);
    expect(asRun.capacityChanges).toBe(1);
    expect(asRun.capacityHours).toBeCloseTo((8 * (8 * 60 + 5) + 10 + 12 * (DAY_MINUTES - 8 * 60 - 6)) / 60, 9);
    expect(valueAt(result.targets[0]!.charts.capacity[1]!, 8 * 60 + 6)).toBe(12);
    expect(result.warnings).toEqual([]);
  });

  it('leaves the capacity as run out, saying why, when only some targets recorded it', () => {
    const trace = traceOf({ 'pool/wspool-a': steps(60, [[0, 1]]), 'pool/wspool-b': steps(60, [[0, 1]]) });
    trace.targets[0]!.asRun = steps(60, [[0, 2]]);
    const subject = policy({ targets: [{ kind: 'pool', id: 'wspool-a' }, { kind: 'pool', id: 'wspool-b' }] });

    const result = runBacktest({ trace, policySets: [policySet([subject])] });

    expect(result.scenarios.map((scenario) => scenario.id)).toEqual(['policy:0', 'static', 'target-tracking']);
    expect(result.warnings).toEqual(['only 1 of 2 targets recorded their capacity: the capacity as run is left out']);
  });
});
