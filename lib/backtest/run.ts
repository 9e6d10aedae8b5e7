import type { Policy } from '#lib/policy/schema.ts';
import type { ScheduleValue } from '#lib/schedule/evaluate.ts';
import { scheduleChanges } from '#lib/schedule/changes.ts';
import { measureAsRun } from './as-run.ts';
import { simulateAutopilot, type ScenarioOutcome } from './autopilot.ts';
import { simulateStatic, simulateTargetTracking, TARGET_TRACKING, targetUtilizationOf, type TargetTrackingSettings } from './baselines.ts';
import { bucketFor, Downsampler, type Measured, type Series } from './meter.ts';
import { assignPolicies, BacktestInputError, type PolicySet } from './policies.ts';
import { DEFAULT_PRICES, priceOf, type Prices } from './prices.ts';
import { DEFAULT_PROVISIONING, type Provisioning } from './provisioning.ts';
import { MINUTE_MS, type TargetKind, type TraceSeries } from './trace.ts';

/**
 * Use case: backtest policies against a usage trace (pure: no AWS, no files, no clock).
 *
 * Input: the trace on a minute grid, one or more policy files, which policy a target is forced
 * to, the tick interval, provisioning, prices, target tracking settings. Output: per target and
 * in total, for each policy file and the two baselines (static, target tracking), capacity-hours,
 * cost, user-minutes without a free session, shortfall events, capacity changes and savings
 * against static; and the sessions in use and each scenario's capacity over time, downsampled for
 * charts. When every target's trace also recorded its capacity, that run is a scenario too
 * ("as run", lib/backtest/as-run.ts), measured the same way.
 *
 * Primary course: match every target to a policy in each file (lib/backtest/policies.ts; targets
 * no file can place are left out with a warning) → work out each policy's schedule over the
 * range once (one value per change point, shared by the targets of that policy) → per target,
 * simulate each policy (lib/backtest/autopilot.ts: the product's decide and history, tick by
 * tick, with provisioning lag) and the baselines (the first file's policy gives their
 * minFreeSessions, target utilization, min and max) → price and add up.
 */
export interface BacktestInput {
  trace: TraceSeries;
  policySets: readonly PolicySet[];
  targetPolicies?: Readonly<Record<string, string>>;
  tickMinutes?: number;
  provisioning?: Provisioning;
  prices?: Prices;
  targetTracking?: TargetTrackingSettings;
  /** Most points per chart series (about). */
  chartPoints?: number;
}

export type ScenarioKind = 'policy' | 'as-run' | 'static' | 'target-tracking';

export interface ScenarioInfo {
  /** `policy:0`, `as-run`, `static`, `target-tracking`. */
  id: string;
  kind: ScenarioKind;
  /** `policies` (the file), `as run`, `static`, `target tracking`. */
  label: string;
  /** For people: what the scenario is. */
  description: string;
}

export type CapacityUnit = 'session' | 'instance';

export interface ScenarioResult extends Measured {
  scenario: string;
  /** The policy the target ran under (policy scenarios), or what sized it (baselines). */
  detail: string;
  cost: number;
  /** (static cost − this cost) ÷ static cost × 100; null when static costs nothing. */
  savingsPercent: number | null;
}

export interface TargetResult {
  target: string;
  kind: TargetKind;
  id: string;
  /** What a capacity unit is: pool sessions, fleet instances (single-session fleets). */
  unit: CapacityUnit;
  pricePerHour: number;
  peakInUse: number;
  /** Σ sessions wanted × minutes / 60. */
  inUseHours: number;
  results: ScenarioResult[];
  /** Sessions wanted over time, and each scenario's available capacity (same order as `results`). */
  charts: { inUse: Series; capacity: Series[] };
}

export interface TotalResult {
  scenario: string;
  /** Per unit: session-hours and instance-hours do not add up. */
  capacityHours: Partial<Record<CapacityUnit, number>>;
  cost: number;
  shortfallUserMinutes: number;
  shortfallEvents: number;
  capacityChanges: number;
  savingsPercent: number | null;
}

export interface BacktestResult {
  source: string;
  /** ISO 8601 UTC, the first minute and the end (exclusive). */
  from: string;
  to: string;
  minutes: number;
  tickMinutes: number;
  /** Minutes per chart bucket (1: exact). */
  bucketMinutes: number;
  provisioning: Provisioning;
  prices: Prices;
  targetTracking: TargetTrackingSettings;
  policyFiles: Array<{ label: string; path: string }>;
  scenarios: ScenarioInfo[];
  targets: TargetResult[];
  totals: TotalResult[];
  warnings: string[];
}

export function runBacktest(input: BacktestInput): BacktestResult {
  const { trace, policySets } = input;
  const tickMinutes = input.tickMinutes ?? 1;
  const provisioning = input.provisioning ?? DEFAULT_PROVISIONING;
  const prices = input.prices ?? DEFAULT_PRICES;
  const settings = input.targetTracking ?? TARGET_TRACKING;
  if (policySets.length === 0) throw new BacktestInputError('at least one policy file is needed');
  if (!Number.isInteger(tickMinutes) || tickMinutes < 1) throw new BacktestInputError(`the tick is a whole number of minutes ≥ 1, not ${tickMinutes}`);
  const to = trace.from + trace.minutes * MINUTE_MS;
  const bucketMinutes = bucketFor(trace.minutes, input.chartPoints);

  const { assignments, warnings } = assignPolicies(trace.targets, policySets, input.targetPolicies);
  if (assignments.length === 0) throw new BacktestInputError(`no target of ${trace.source} could be matched to a policy:\n${warnings.join('\n')}`);
  const series = new Map(trace.targets.map((target) => [target.target, target]));
  const recorded = assignments.filter(({ target }) => series.get(target.target)!.asRun !== undefined).length;
  // Totals add every target up, so the recorded run is a scenario only when all of them have one.
  const asRunShown = recorded === assignments.length;
  if (recorded > 0 && !asRunShown) warnings.push(`only ${recorded} of ${assignments.length} targets recorded their capacity: the capacity as run is left out`);

  const scenarios: ScenarioInfo[] = [
    ...policySets.map((set, index) => ({
      id: `policy:${index}`,
      kind: 'policy' as const,
      label: set.label,
      description: `euc-autopilot under ${set.path}, ticking every ${tickMinutes} min`,
    })),
    ...(asRunShown ? [{ id: 'as-run', kind: 'as-run' as const, label: 'as run', description: 'the capacity each target had, as the trace recorded it (a change: the capacity starting to move)' }] : []),
    { id: 'static', kind: 'static', label: 'static', description: "a fixed capacity: the trace's peak plus the policy's minFreeSessions" },
    {
      id: 'target-tracking',
      kind: 'target-tracking',
      label: 'target tracking',
      description: `Application Auto Scaling-style target tracking on sessions in use (target utilization: the policy's, else ${settings.defaultTarget}; cooldowns ${settings.scaleOutCooldownMinutes * 60} s out, ${settings.scaleInCooldownMinutes * 60} s in), no schedules`,
    },
  ];

  const schedules = new Map<string, ScheduleValue[]>();
  const scheduleOf = (setIndex: number, policy: Policy): ScheduleValue[] => {
    const key = `${setIndex}\u0000${policy.name}`;
    let values = schedules.get(key);
    if (!values) {
      const set = policySets[setIndex]!;
      values = scheduleChanges(policy, set.file.calendars, policy.timeZone ?? set.file.defaults.timeZone, trace.from, to);
      schedules.set(key, values);
    }
    return values;
  };

  const targets: TargetResult[] = assignments.map(({ target, policies }) => {
    const { inUse, asRun } = series.get(target.target)!;
    const rates = provisioning[target.kind];
    const outcomes: Array<{ scenario: string; detail: string; outcome: ScenarioOutcome }> = policies.map((policy, index) => ({
      scenario: `policy:${index}`,
      detail: policy.name,
      outcome: simulateAutopilot({ inUse, from: trace.from, policy, schedule: scheduleOf(index, policy), rates, tickMinutes, bucketMinutes }),
    }));
    if (asRunShown) outcomes.push({ scenario: 'as-run', detail: 'recorded', outcome: measureAsRun(inUse, asRun!, bucketMinutes) });
    const basis = policies[0]!;
    const fixed = simulateStatic(inUse, basis, bucketMinutes);
    outcomes.push({ scenario: 'static', detail: `${fixed.capacityValue} (peak + ${basis.usage?.minFreeSessions ?? 0} free, ${basis.name})`, outcome: fixed });
    outcomes.push({
      scenario: 'target-tracking',
      detail: `target ${targetUtilizationOf(basis, settings)} (${basis.name})`,
      outcome: simulateTargetTracking(inUse, basis, rates, bucketMinutes, settings),
    });

    const pricePerHour = priceOf(prices, target.target, target.kind);
    const staticCost = fixed.measured.capacityHours * pricePerHour;
    const wanted = new Downsampler(bucketMinutes);
    let peakInUse = 0;
    let inUseMinutes = 0;
    for (let minute = 0; minute < inUse.length; minute += 1) {
      const value = inUse[minute]!;
      wanted.add(minute, value);
      inUseMinutes += value;
      if (value > peakInUse) peakInUse = value;
    }
    return {
      ...target,
      unit: target.kind === 'pool' ? 'session' : 'instance',
      pricePerHour,
      peakInUse,
      inUseHours: inUseMinutes / 60,
      results: outcomes.map(({ scenario, detail, outcome }) => {
        const cost = outcome.measured.capacityHours * pricePerHour;
        return { scenario, detail, ...outcome.measured, cost, savingsPercent: savings(staticCost, cost) };
      }),
      charts: { inUse: wanted.finish(), capacity: outcomes.map(({ outcome }) => outcome.capacity) },
    };
  });

  const staticTotal = targets.reduce((sum, target) => sum + target.results.find((result) => result.scenario === 'static')!.cost, 0);
  const totals: TotalResult[] = scenarios.map(({ id }) => {
    const total: TotalResult = { scenario: id, capacityHours: {}, cost: 0, shortfallUserMinutes: 0, shortfallEvents: 0, capacityChanges: 0, savingsPercent: null };
    for (const target of targets) {
      const result = target.results.find((candidate) => candidate.scenario === id)!;
      total.capacityHours[target.unit] = (total.capacityHours[target.unit] ?? 0) + result.capacityHours;
      total.cost += result.cost;
      total.shortfallUserMinutes += result.shortfallUserMinutes;
      total.shortfallEvents += result.shortfallEvents;
      total.capacityChanges += result.capacityChanges;
    }
    total.savingsPercent = savings(staticTotal, total.cost);
    return total;
  });

  return {
    source: trace.source,
    from: new Date(trace.from).toISOString(),
    to: new Date(to).toISOString(),
    minutes: trace.minutes,
    tickMinutes,
    bucketMinutes,
    provisioning,
    prices,
    targetTracking: settings,
    policyFiles: policySets.map(({ label, path }) => ({ label, path })),
    scenarios,
    targets,
    totals,
    warnings,
  };
}

function savings(staticCost: number, cost: number): number | null {
  return staticCost > 0 ? ((staticCost - cost) / staticCost) * 100 : null;
}
