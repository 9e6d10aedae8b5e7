import { decide, type Decision, type History, type Observed } from '#lib/capacity/decide.ts';
import { nextHistory } from '#lib/capacity/history.ts';
import type { Policy } from '#lib/policy/schema.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';
import { Meter, type Measured, type Series } from './meter.ts';
import { SimulatedCapacity, type ProvisioningRates } from './provisioning.ts';
import { MINUTE_MS } from './trace.ts';

/**
 * One target under one euc-autopilot policy, minute by minute (pure): the product's own engine
 * (`decide`, `nextHistory`) driven as the capacity tick (lib/capacity/reconcile.ts) and the
 * `capacity-change` workflow (lib/capacity/change-steps.ts) drive it.
 *
 * Input: sessions wanted per minute, the first minute (epoch ms), the policy, its schedule over
 * the range (`scheduleChanges`, one value per change point), how the target provisions, the tick
 * interval. Output: the measures and the capacity series.
 *
 * Primary course, per minute: provisioning moves on → users take the free sessions (those who
 * find none are the shortfall) → on a tick minute, the tick observes the target (state, desired,
 * sessions in use) and decides with the schedule value in force; as reconcile does:
 * - while a change is in flight (from the tick that claimed it until the workflow releases it),
 *   nothing is changed; the usage recommendation is stored when reconcile would store it;
 * - a set/start/stop is applied and the history updated as applied (`nextHistory`);
 * - otherwise the history is kept when reconcile would write it (the recommendation changed, or
 *   the last one is half a stabilization window old) — reconcile writes no state on a quiet tick,
 *   so the stabilization window sees the same samples as in production.
 * The workflow: a set applies `max(desired, sessions in use)` on a scale-in, then looks after
 *   30 s, doubling to 5 min, and releases the target at the first look that finds the capacity
 *   converged (or past its 30-minute deadline); a start polls every minute until RUNNING, then
 *   sets the capacity the same way; a stop releases at once.
 *
 * The target starts converged at what the policy asks for the first minute. Not modelled: failed
 * API calls (and so the 30-minute backoff after a failure), a pool's UPDATING state, dry runs
 * (every policy acts), overrides and manual changes.
 *
 * Speed: `decide` is called only when something it reads has changed. Its decision depends on the
 * schedule value's mode, capacity and whether a window is in force; the observed state, desired
 * value and sessions in use; whether the scale-out cooldown runs; and the highest usage
 * recommendation still in the stabilization window. Decisions are remembered by those (only the
 * reason's wording — "the last one was 3 min ago" — would differ, and the backtest keeps no
 * reasons).
 */
export interface AutopilotInput {
  inUse: Int32Array;
  from: number;
  policy: Policy;
  schedule: readonly ScheduleValue[];
  rates: ProvisioningRates;
  tickMinutes: number;
  bucketMinutes: number;
  /** false: call `decide` on every tick (the reference the remembered decisions are tested against). */
  rememberDecisions?: boolean;
}

export interface ScenarioOutcome {
  measured: Measured;
  capacity: Series;
}

/** Workflow waits (lib/capacity/change-steps.ts), in minutes. */
const FIRST_WAIT = 0.5;
const MAX_WAIT = 5;
const START_POLL = 1;
/** CHANGE_TIMEOUT_MS of reconcile.ts, in minutes. */
const DEADLINE = 30;
const STATES: readonly Observed['state'][] = ['RUNNING', 'STOPPED', 'STARTING', 'STOPPING'];
const MEMO_LIMIT = 50_000;

export function simulateAutopilot(input: AutopilotInput): ScenarioOutcome {
  const { inUse: wanted, from, policy, schedule, rates, tickMinutes } = input;
  const minutes = wanted.length;
  const usage = policy.usage;
  const windowMs = usage ? usage.scaleIn.stabilizationMinutes * MINUTE_MS : 0;
  const cooldownMs = usage ? usage.scaleOut.cooldownMinutes * MINUTE_MS : 0;
  const halfWindowMs = windowMs / 2;
  const classes = scheduleClasses(schedule);
  const meter = new Meter(input.bucketMinutes);

  let segment = 0;
  const scheduleAt = (now: number): number => {
    while (segment < schedule.length - 1 && schedule[segment]!.until <= now) segment += 1;
    return segment;
  };

  // Start converged at what the policy asks for the first minute.
  const firstWanted = wanted[0] ?? 0;
  const first = decide({
    policy,
    schedule: schedule[scheduleAt(from)]!,
    observed: { state: 'RUNNING', desired: firstWanted, actual: firstWanted, active: firstWanted, available: 0 },
    history: { usageRecommendations: [] },
    now: from,
  });
  const stopped = first.action === 'stop';
  const capacity = new SimulatedCapacity(rates, { phase: stopped ? 'STOPPED' : 'RUNNING', desired: stopped ? 0 : first.desired });
  let history: History = { usageRecommendations: [] };

  /** Minute at which the workflow releases the target (a tick before it holds). */
  let releasedAt = -Infinity;
  /** A start in progress: at which minute the workflow sets the capacity, what to, and its deadline. */
  let pendingSet: { at: number; desired: number; deadline: number } | undefined;

  // The memo: the previous tick's inputs and decision, and decisions by inputs.
  const memo = new Map<string, Decision>();
  let last: Decision | undefined;
  let lastKey = [-1, -1, -1, -1, -1, -2];

  for (let minute = 0; minute < minutes; minute += 1) {
    const demand = wanted[minute]!;
    capacity.advance(minute, demand);
    if (pendingSet && minute >= pendingSet.at) {
      // The workflow saw the started target RUNNING: it sets the capacity, which then grows.
      const { convergedAt } = capacity.set(pendingSet.desired, pendingSet.at, 0);
      releasedAt = workflowRelease(pendingSet.at, convergedAt, pendingSet.deadline);
      pendingSet = undefined;
    }
    const available = capacity.available();
    const active = demand < available ? demand : available;
    meter.record(minute, capacity.phase === 'RUNNING' ? capacity.actual : 0, available, demand);
    if (minute % tickMinutes !== 0) continue;

    // The tick.
    const now = from + minute * MINUTE_MS;
    const seg = scheduleAt(now);
    const value = schedule[seg]!;
    const state = STATES.indexOf(capacity.phase);
    const desired = capacity.desired;
    let cooling = 0;
    let highest = -1;
    if (usage) {
      const lastOut = history.lastUsageScaleOutAt;
      if (lastOut !== undefined && now - lastOut >= 0 && now - lastOut < cooldownMs) cooling = 1;
      const recommendations = history.usageRecommendations;
      for (let index = 0; index < recommendations.length; index += 1) {
        const entry = recommendations[index]!;
        if (entry.at > now - windowMs && entry.value > highest) highest = entry.value;
      }
    }
    const schedClass = classes[seg]!;
    let decision: Decision;
    if (input.rememberDecisions === false) {
      decision = decide({ policy, schedule: value, observed: observedNow(capacity, active), history, now });
    } else if (
      last &&
      lastKey[0] === schedClass &&
      lastKey[1] === state &&
      lastKey[2] === desired &&
      lastKey[3] === active &&
      lastKey[4] === cooling &&
      lastKey[5] === highest
    ) {
      decision = last;
    } else {
      const key = `${schedClass}|${state}|${desired}|${active}|${cooling}|${highest}`;
      const known = memo.get(key);
      if (known) {
        decision = known;
      } else {
        decision = decide({ policy, schedule: value, observed: observedNow(capacity, active), history, now });
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(key, decision);
      }
      last = decision;
      lastKey = [schedClass, state, desired, active, cooling, highest];
    }

    const changes = decision.action === 'set' || decision.action === 'start' || decision.action === 'stop';
    if (!changes || releasedAt > minute || pendingSet) {
      // Nothing applied: reconcile writes the history only when the recommendations need it.
      const recommendation = decision.usageRecommendation;
      if (usage && recommendation !== undefined) {
        const newest = history.usageRecommendations.at(-1);
        if (newest === undefined || newest.value !== recommendation || newest.at <= now - halfWindowMs) {
          history = nextHistory({ history, decision, observed: observedNow(capacity, active), policy, now, applied: false });
        }
      }
      continue;
    }
    history = nextHistory({ history, decision, observed: observedNow(capacity, active), policy, now, applied: true });
    meter.capacityChanges += 1;
    if (decision.action === 'set') {
      const { convergedAt } = capacity.set(decision.desired, minute, active);
      releasedAt = workflowRelease(minute, convergedAt, minute + DEADLINE);
    } else if (decision.action === 'start') {
      const runningAt = capacity.start(minute);
      // The workflow looks every minute after the start and sets the capacity once it is RUNNING.
      const seenAt = minute + Math.ceil((runningAt - minute) / START_POLL - 1e-9) * START_POLL;
      pendingSet = { at: seenAt, desired: decision.desired, deadline: minute + DEADLINE };
      releasedAt = Infinity;
    } else {
      capacity.stop(minute);
      releasedAt = minute;
    }
  }
  return { measured: meter.result(), capacity: meter.series.finish() };
}

/** The first look of the workflow (30 s after the set, doubling to 5 min) that finds the capacity converged or is past the deadline. */
export function workflowRelease(setAt: number, convergedAt: number, deadline: number): number {
  let wait = FIRST_WAIT;
  let look = setAt + wait;
  while (look < convergedAt - 1e-9 && look < deadline) {
    wait = Math.min(2 * wait, MAX_WAIT);
    look += wait;
  }
  return look;
}

function observedNow(capacity: SimulatedCapacity, active: number): Observed {
  const available = capacity.available();
  return { state: capacity.phase, desired: capacity.desired, actual: available, active, available: available - active };
}

/**
 * Schedule values that `decide` treats alike get one number: it reads a value's mode, capacity
 * and whether a window is in force (for free sessions off hours), not which window or why.
 */
function scheduleClasses(schedule: readonly ScheduleValue[]): Int32Array {
  const ids = new Map<string, number>();
  const classes = new Int32Array(schedule.length);
  schedule.forEach((value, index) => {
    const key = `${value.mode}|${value.capacity}|${value.source.kind === 'window'}`;
    if (!ids.has(key)) ids.set(key, ids.size);
    classes[index] = ids.get(key)!;
  });
  return classes;
}
