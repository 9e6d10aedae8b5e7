import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type Decision, type History, type Observed } from '#lib/capacity/decide.ts';
import { nextHistory } from '#lib/capacity/history.ts';
import type { Policy } from '#lib/policy/schema.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';
import { MINUTES, NOW, policy } from './fixtures.ts';

const states: Observed['state'][] = ['RUNNING', 'STOPPED', 'STARTING', 'STOPPING', 'UPDATING', 'CREATING', 'DELETING', 'OTHER'];

const anyUsage = fc.record(
  {
    targetUtilization: fc.integer({ min: 10, max: 100 }).map((percent) => percent / 100),
    minFreeSessions: fc.integer({ min: 0, max: 10 }),
    scaleOut: fc.record({ maxStep: fc.integer({ min: 1, max: 30 }), cooldownMinutes: fc.integer({ min: 0, max: 10 }) }, { requiredKeys: ['cooldownMinutes'] }),
    scaleIn: fc.record({ stabilizationMinutes: fc.integer({ min: 0, max: 60 }), maxStep: fc.integer({ min: 1, max: 30 }) }, { requiredKeys: ['stabilizationMinutes'] }),
  },
  { requiredKeys: ['scaleOut', 'scaleIn'] },
);

const anyPolicy: fc.Arbitrary<Policy> = fc
  .record({
    bounds: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
    stop: fc.boolean(),
    usage: fc.option(anyUsage, { nil: undefined }),
  })
  .map(({ bounds: [a, b], stop, usage }) =>
    // The schema refuses `stop` with `min` above 0 (it could never act).
    policy({ min: Math.min(a, b), max: Math.max(a, b), offHours: { capacity: 0, stop: stop && Math.min(a, b) === 0 }, ...(usage ? { usage } : {}) }),
  );

const anyUsagePolicy: fc.Arbitrary<Policy> = fc
  .record({ bounds: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), usage: anyUsage })
  .map(({ bounds: [a, b], usage }) => policy({ min: Math.min(a, b), max: Math.max(a, b), usage }));

const anySource: fc.Arbitrary<ScheduleValue['source']> = fc.oneof(
  fc.record({ kind: fc.constant('window' as const), window: fc.constantFrom('business', 'month-end', 'gone'), readyBy: fc.boolean() }),
  fc.constant({ kind: 'off-hours' as const }),
  fc.record({ kind: fc.constant('calendar' as const), calendar: fc.constant('de-holidays'), entry: fc.option(fc.constant('New Year'), { nil: undefined }) }),
);

const anySchedule: fc.Arbitrary<ScheduleValue> = fc.record({
  mode: fc.constantFrom('exact' as const, 'floor' as const),
  capacity: fc.integer({ min: 0, max: 120 }),
  source: anySource,
  reason: fc.constant('generated'),
  since: fc.constant(NOW - 60 * MINUTES),
  until: fc.constant(NOW + 60 * MINUTES),
});

const anyObserved: fc.Arbitrary<Observed> = fc.record({
  state: fc.constantFrom(...states),
  desired: fc.integer({ min: 0, max: 150 }),
  actual: fc.integer({ min: 0, max: 150 }),
  active: fc.integer({ min: 0, max: 150 }),
  available: fc.integer({ min: 0, max: 150 }),
});

const anyHistory: fc.Arbitrary<History> = fc.record(
  {
    lastUsageScaleOutAt: fc.integer({ min: NOW - 20 * MINUTES, max: NOW }),
    usageRecommendations: fc.array(fc.record({ at: fc.integer({ min: NOW - 90 * MINUTES, max: NOW }), value: fc.integer({ min: 0, max: 200 }) }), { maxLength: 30 }),
  },
  { requiredKeys: ['usageRecommendations'] },
);

const anyInput = fc.record({ policy: anyPolicy, schedule: anySchedule, observed: anyObserved, history: anyHistory });

/** What the engine asks the capacity to be; 'none' on a STOPPED/STOPPING target reports the observed value instead. */
function asksFor(decision: Decision, observed: Observed): boolean {
  return decision.action !== 'none' || observed.state === 'RUNNING';
}

describe('capacity decisions, whatever the inputs', () => {
  it('never go below the sessions in use', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const decision = decide({ ...input, now: NOW });
        if (asksFor(decision, input.observed)) expect(decision.desired).toBeGreaterThanOrEqual(input.observed.active);
      }),
    );
  });

  it('stay within [min, max], unless more sessions are in use than max, and then hold exactly those', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const decision = decide({ ...input, now: NOW });
        if (!asksFor(decision, input.observed)) return;
        if (input.observed.active > input.policy.max) expect(decision.desired).toBe(input.observed.active);
        else {
          expect(decision.desired).toBeGreaterThanOrEqual(input.policy.min);
          expect(decision.desired).toBeLessThanOrEqual(input.policy.max);
        }
      }),
    );
  });

  it('hold an exact window exactly (within min/max), unless more sessions are in use', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        fc.pre(input.schedule.mode === 'exact');
        const decision = decide({ ...input, now: NOW });
        if (!asksFor(decision, input.observed)) return;
        const clamped = Math.min(input.policy.max, Math.max(input.policy.min, input.schedule.capacity));
        expect(decision.desired).toBe(Math.max(clamped, input.observed.active));
      }),
    );
  });

  it('never scale out by usage more than scaleOut.maxStep, nor within the cooldown', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const decision = decide({ ...input, now: NOW });
        const usage = input.policy.usage;
        if (!usage || decision.cause !== 'usage' || decision.desired <= input.observed.desired) return;
        if (usage.scaleOut.maxStep !== undefined) expect(decision.desired - input.observed.desired).toBeLessThanOrEqual(usage.scaleOut.maxStep);
        const last = input.history.lastUsageScaleOutAt;
        if (last !== undefined) expect(NOW - last).toBeGreaterThanOrEqual(usage.scaleOut.cooldownMinutes * MINUTES);
      }),
    );
  });

  it('set only a value that differs, and report the observed value when doing nothing', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const decision = decide({ ...input, now: NOW });
        if (decision.action === 'set') expect(decision.desired).not.toBe(input.observed.desired);
        if (decision.action === 'none') expect(decision.desired).toBe(input.observed.desired);
        if (decision.action === 'stop') {
          expect(input.policy.offHours.stop && input.observed.state === 'RUNNING' && input.observed.active === 0).toBe(true);
          expect(decision.desired).toBe(0);
        }
        if (decision.action === 'start') expect(input.observed.state).toBe('STOPPED');
        if (decision.action === 'defer') expect(decision.cause).toBe('state');
      }),
    );
  });

  it('are deterministic and explain themselves in one sentence', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const decision = decide({ ...input, now: NOW });
        expect(decide({ ...structuredClone(input), now: NOW })).toEqual(decision);
        expect(decision.reason).toMatch(/^[^\n]+\.$/);
        expect(Number.isInteger(decision.desired)).toBe(true);
      }),
    );
  });
});

interface Tick {
  now: number;
  active: number;
  before: number;
  after: number;
  decision: Decision;
}

interface Run {
  policy: Policy;
  schedule: ScheduleValue;
  start: number;
  actives: number[];
  gaps: number[];
  past?: History;
}

/**
 * Runs a running target through ticks (one every 1–3 minutes) under a constant schedule, applying
 * every decision as the tick would and remembering history with nextHistory.
 */
function simulate(run: Run): Tick[] {
  let desired = run.start;
  let history: History = run.past ?? { usageRecommendations: [] };
  let now = NOW;
  return run.actives.map((active, index) => {
    now += (run.gaps[index % run.gaps.length] ?? 1) * MINUTES;
    const observed: Observed = { state: 'RUNNING', desired, actual: desired, active, available: Math.max(0, desired - active) };
    const decision = decide({ policy: run.policy, schedule: run.schedule, observed, history, now });
    history = nextHistory({ history, decision, observed, policy: run.policy, now, applied: true });
    const before = desired;
    if (decision.action === 'set') desired = decision.desired;
    return { now, active, before, after: desired, decision };
  });
}

const floorSchedule = fc.integer({ min: 0, max: 60 }).map(
  (capacity): ScheduleValue => ({ mode: 'floor', capacity, source: { kind: 'off-hours' }, reason: 'off hours', since: NOW, until: NOW + 24 * 60 * MINUTES }),
);

const anyRun = fc
  .record({
    policy: anyUsagePolicy,
    schedule: floorSchedule,
    startShare: fc.double({ min: 0, max: 1, noNaN: true }),
    actives: fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 120 }),
    gaps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 10 }),
  })
  .map(({ policy: generated, startShare, ...rest }) => ({
    ...rest,
    policy: generated,
    start: generated.min + Math.round(startShare * (generated.max - generated.min)),
  }));

describe('a target ticking under usage rules', () => {
  it('never scales in before the stabilization window has passed the peak', () => {
    fc.assert(
      fc.property(anyRun, (run) => {
        const usage = run.policy.usage!;
        const windowMs = usage.scaleIn.stabilizationMinutes * MINUTES;
        const ticks = simulate(run);
        for (const tick of ticks) {
          if (tick.decision.action !== 'set' || tick.decision.desired >= tick.before) continue;
          // Every recommendation of the window (clamped to max, which caps any ask) is covered by the new value.
          const recent = ticks.filter((other) => other.now > tick.now - windowMs && other.now <= tick.now);
          for (const other of recent) expect(Math.min(run.policy.max, other.decision.usageRecommendation!)).toBeLessThanOrEqual(tick.decision.desired);
        }
      }),
    );
  });

  it('moves by at most one step per tick, and scales out by usage at most once per cooldown', () => {
    fc.assert(
      fc.property(anyRun, (run) => {
        const usage = run.policy.usage!;
        const ticks = simulate(run);
        let lastScaleOut: number | undefined;
        for (const tick of ticks) {
          const { decision } = tick;
          if (decision.action !== 'set') continue;
          const delta = decision.desired - tick.before;
          if (decision.cause === 'usage' && delta > 0) {
            if (usage.scaleOut.maxStep !== undefined) expect(delta).toBeLessThanOrEqual(usage.scaleOut.maxStep);
            if (lastScaleOut !== undefined) expect(tick.now - lastScaleOut).toBeGreaterThanOrEqual(usage.scaleOut.cooldownMinutes * MINUTES);
            lastScaleOut = tick.now;
          }
          // Under a constant floor every drop is a paced usage scale-in — except capacity held above
          // max for sessions in use, which returns to max as soon as those sessions end.
          if (delta < 0 && tick.before <= run.policy.max && usage.scaleIn.maxStep !== undefined) {
            expect(-delta).toBeLessThanOrEqual(usage.scaleIn.maxStep);
          }
          expect(decision.desired).toBeGreaterThanOrEqual(tick.active);
        }
      }),
    );
  });

  it('does not flap: with constant sessions in use, capacity never goes down and then up again, nor up and then down', () => {
    fc.assert(
      fc.property(anyRun, fc.option(anyHistory, { nil: undefined }), fc.integer({ min: 0, max: 120 }), (run, past, active) => {
        const ticks = simulate({ ...run, actives: run.actives.map(() => active), ...(past ? { past } : {}) });
        const series = [run.start, ...ticks.map((tick) => tick.after)];
        const ups = series.some((value, i) => i > 0 && value > series[i - 1]!);
        const downs = series.some((value, i) => i > 0 && value < series[i - 1]!);
        expect(ups && downs).toBe(false);
      }),
    );
  });
});
