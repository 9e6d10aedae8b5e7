import type { Policy } from '#lib/policy/schema.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';
import { followUsage, recommendFromUsage, type UsageRecommendation, type UsageTarget } from '#lib/capacity/usage.ts';

/**
 * The capacity decision engine: for one pool or fleet at one moment, the capacity it should have,
 * what to do about it, and one human sentence saying why.
 *
 * Input: the target's policy (parsed by lib/policy/schema.ts, defaults applied), the schedule value
 * in force (lib/schedule/evaluate.ts), the observed state of the target, the history remembered
 * between ticks (lib/capacity/history.ts keeps it), and `now` (epoch milliseconds, the same clock
 * as every `at` in the history). Output: a Decision. Pure and deterministic — no AWS, no I/O, no
 * clock — and it never throws for valid inputs.
 *
 * Primary course, one named function per rule, in the order they apply:
 * 1. Units. Everything is in capacity units — pool user sessions, fleet instances, or fleet
 *    sessions; the caller maps. `observed.active` (sessions in use) is in the same unit.
 * 2. `recommendFromUsage` (only with `policy.usage`): max(ceil(active / targetUtilization),
 *    active + minFreeSessions) over the rules given. This raw value is returned as
 *    `usageRecommendation` for the history, whatever else happens.
 * 3. `followUsage`: usage moves the current desired value towards its recommendation, HPA-style.
 *    Up: at most `scaleOut.maxStep` above the current desired value per decision, and not at all
 *    within `scaleOut.cooldownMinutes` after the last usage-driven scale-out. Down: only to the
 *    highest recommendation of the last `scaleIn.stabilizationMinutes` (current one included), and
 *    at most `scaleIn.maxStep` per decision. The limits are measured from `observed.desired`:
 *    when a window ends, the capacity above the next schedule value that usage still asks for is
 *    given back by these scale-in rules, as when an HPA's minReplicas drops.
 * 4. `applySchedule`: an `exact` value is the value (usage cannot raise or lower it); a `floor` is
 *    the least, and usage may raise it. Schedule values apply at once — no step limit, no
 *    stabilization — because ready-by needs the full value at the window start.
 * 5. `clampToLimits`: then into [policy.min, policy.max].
 * 6. `holdSessionsInUse`: then NEVER below `observed.active`, even above max; the reason says so.
 * 7. `chooseAction`:
 *    - `UPDATING`/`STARTING`/`STOPPING`/`CREATING`/`DELETING` (and `OTHER`, a state the engine
 *      does not know) → 'defer' (cause 'state') with the desired value it wants, so the caller can
 *      record "deferred" once; when nothing would change ('none', or a STOPPING target that
 *      should be at 0) the action is 'none', which is no deferral to record.
 *    - STOPPED: wanting more than 0 → 'start' (the caller starts, waits for RUNNING, then sets
 *      `desired`); wanting 0 → 'none', it stays stopped.
 *    - RUNNING with `policy.offHours.stop`, wanting 0, and 0 in use → 'stop' (cause 'off-hours').
 *    - otherwise 'set' when the desired value differs from `observed.desired`, else 'none'
 *      (and then `desired` is `observed.desired`).
 *
 * The cause names the rule that settled the value: 'active-sessions' if sessions in use held it
 * up, else 'limits' if min/max moved it, else 'usage' if usage raised it above a floor (or held it
 * there), else 'schedule'. The caller records `lastUsageScaleOutAt = now` when it applies a 'set'
 * with cause 'usage' that raises capacity (lib/capacity/history.ts does).
 */

export interface Observed {
  state: 'RUNNING' | 'STOPPED' | 'STARTING' | 'STOPPING' | 'UPDATING' | 'CREATING' | 'DELETING' | 'OTHER';
  desired: number;
  actual: number;
  active: number;
  available: number;
}

export interface History {
  lastChange?: { at: number; from: number; to: number; cause: 'schedule' | 'usage' | 'limits' };
  lastUsageScaleOutAt?: number;
  /** The engine's own past usage recommendations (raw, before stabilization). */
  usageRecommendations: Array<{ at: number; value: number }>;
}

export interface Decision {
  action: 'none' | 'set' | 'start' | 'stop' | 'defer';
  /** What capacity should be (== observed.desired when action is 'none'). */
  desired: number;
  cause: 'schedule' | 'usage' | 'limits' | 'active-sessions' | 'off-hours' | 'state';
  /** One human sentence: why, with numbers. */
  reason: string;
  /** Record this in History.usageRecommendations (raw, before stabilization). */
  usageRecommendation?: number;
}

export interface DecideInput {
  policy: Policy;
  schedule: ScheduleValue;
  observed: Observed;
  history: History;
  /** Epoch milliseconds. */
  now: number;
}

type ValueCause = 'schedule' | 'usage' | 'limits' | 'active-sessions';

/** A capacity value on its way through the rules, with the rule that settled it and why. */
interface Step {
  value: number;
  cause: ValueCause;
  note?: string;
}

const DEFERRING_STATES: ReadonlySet<Observed['state']> = new Set(['UPDATING', 'STARTING', 'STOPPING', 'CREATING', 'DELETING', 'OTHER']);

export function decide(input: DecideInput): Decision {
  const { policy, schedule, observed, history, now } = input;
  const clauses = [describeSchedule(schedule, policy)];

  let usage: { recommendation: UsageRecommendation; target: UsageTarget } | undefined;
  if (policy.usage) {
    const inWindow = schedule.source.kind === 'window' || (schedule.source.kind === 'override' && schedule.source.inWindow);
    const recommendation = recommendFromUsage(policy.usage, observed.active, inWindow);
    const target = followUsage({ usage: policy.usage, recommendation: recommendation.value, current: observed.desired, history, now });
    usage = { recommendation, target };
    clauses.push(describeUsage(recommendation, target, schedule.mode));
  }

  const scheduled = applySchedule(schedule, usage?.target.value);
  const limited = clampToLimits(scheduled, policy);
  const held = holdSessionsInUse(limited, observed.active, policy.max);
  for (const step of [limited, held]) if (step.note) clauses.push(step.note);

  const chosen = chooseAction(held, observed, policy);
  return {
    action: chosen.action,
    desired: chosen.desired,
    cause: chosen.cause,
    reason: `${[...clauses, chosen.outcome].join('; ')}.`,
    ...(usage ? { usageRecommendation: usage.recommendation.value } : {}),
  };
}

/**
 * Rule: an `exact` schedule value is the value, whatever usage asks; a `floor` is the least, and
 * usage (already step-limited and stabilized) may raise it.
 */
export function applySchedule(schedule: ScheduleValue, usageTarget: number | undefined): Step {
  if (schedule.mode === 'floor' && usageTarget !== undefined && usageTarget > schedule.capacity) {
    return { value: usageTarget, cause: 'usage' };
  }
  return { value: schedule.capacity, cause: 'schedule' };
}

/** Rule: the value is clamped into [policy.min, policy.max]. */
export function clampToLimits(step: Step, policy: Pick<Policy, 'min' | 'max'>): Step {
  if (step.value > policy.max) return { value: policy.max, cause: 'limits', note: `capped at max ${policy.max}` };
  if (step.value < policy.min) return { value: policy.min, cause: 'limits', note: `raised to min ${policy.min}` };
  return step;
}

/** Rule: capacity never goes below the sessions in use, even above max — nobody loses a session. */
export function holdSessionsInUse(step: Step, active: number, max: number): Step {
  if (active <= step.value) return step;
  const aboveMax = active > max ? `, above max ${max}` : '';
  return { value: active, cause: 'active-sessions', note: `${active} sessions in use hold it at ${active}${aboveMax}` };
}

interface Chosen {
  action: Decision['action'];
  desired: number;
  cause: Decision['cause'];
  outcome: string;
}

/**
 * Rule: what to do about the wanted value given the target's state — defer while the target is
 * busy, start a stopped target that should have capacity, stop a running one that should have none
 * (when the policy says so and nobody is connected), else set it when it differs.
 */
export function chooseAction(wanted: Step, observed: Observed, policy: Pick<Policy, 'offHours'>): Chosen {
  const { value: desired, cause } = wanted;
  const current = observed.desired;
  if (DEFERRING_STATES.has(observed.state)) {
    if (desired === current) return { action: 'none', desired: current, cause, outcome: `stays at ${current} (${observed.state})` };
    if (observed.state === 'STOPPING' && desired === 0) return { action: 'none', desired: current, cause, outcome: 'already stopping' };
    return { action: 'defer', desired, cause: 'state', outcome: `would change ${current} → ${desired}, but the target is ${observed.state}: deferred` };
  }
  if (observed.state === 'STOPPED') {
    if (desired > 0) return { action: 'start', desired, cause, outcome: `stopped: start it, then set ${desired}` };
    return { action: 'none', desired: current, cause, outcome: 'stopped and 0 is wanted: stays stopped' };
  }
  if (policy.offHours.stop && desired === 0 && observed.active === 0) {
    return { action: 'stop', desired: 0, cause: 'off-hours', outcome: '0 wanted and nobody connected: stop it' };
  }
  if (desired !== current) return { action: 'set', desired, cause, outcome: `${current} → ${desired}` };
  return { action: 'none', desired: current, cause, outcome: `stays at ${current}` };
}

/** "window business asks 40, ready by 08:00", "off hours ask at least 0", "calendar de-holidays (Christmas): off hours ask 0". */
export function describeSchedule(schedule: ScheduleValue, policy: Pick<Policy, 'windows'>): string {
  const value = schedule.mode === 'exact' ? `${schedule.capacity}` : `at least ${schedule.capacity}`;
  const source = schedule.source;
  switch (source.kind) {
    case 'window': {
      const start = policy.windows.find((window) => window.name === source.window)?.start;
      const readyBy = source.readyBy ? (start ? `, ready by ${start}` : ', ready by its start') : '';
      return `window ${source.window} asks ${value}${readyBy}`;
    }
    case 'off-hours':
      return `off hours ask ${value}`;
    case 'calendar':
      return `calendar ${source.calendar}${source.entry ? ` (${source.entry})` : ''}: off hours ask ${value}`;
    case 'override':
      return `override ${source.id} asks ${value}`;
  }
}

/** "usage asks 17 (12 in use + 5 free = 17)", then what held it back and where usage takes it. */
function describeUsage(recommendation: UsageRecommendation, target: UsageTarget, mode: ScheduleValue['mode']): string {
  if (mode === 'exact') return `${recommendation.explanation}, which an exact value does not follow`;
  if (target.notes.length === 0) return recommendation.explanation;
  return `${recommendation.explanation}, ${target.notes.join(', ')}: ${target.value}`;
}
