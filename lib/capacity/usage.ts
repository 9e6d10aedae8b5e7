import type { UsageRules } from '#lib/policy/schema.ts';
import type { History } from '#lib/capacity/decide.ts';

/**
 * Usage rules of the capacity engine (see lib/capacity/decide.ts for the whole picture): what the
 * sessions in use ask for, and how far capacity may follow that ask in one decision, in the
 * Kubernetes HPA `behavior` model — scale out fast but in bounded steps with a cooldown, scale in
 * only to the highest recommendation of the stabilization window and in bounded steps.
 *
 * Every function is pure; times are epoch milliseconds.
 */

export const MINUTE_MS = 60_000;

/**
 * `active / targetUtilization` is computed in floating point (3 / 0.3 = 10.000000000000002); a
 * quotient this close to an integer is that integer, so the ceiling does not add a phantom session.
 */
const ROUNDING_SLACK = 1e-9;

export interface UsageRecommendation {
  /** Raw capacity the sessions in use ask for, before stabilization and step limits. */
  value: number;
  /** "usage asks 17 (12 in use ÷ 0.8 = 15, 12 in use + 5 free = 17)" */
  explanation: string;
}

/**
 * Rule: the usage recommendation is the largest of the rules the policy gives —
 * `ceil(active / targetUtilization)` and `active + minFreeSessions` — and never below `active`
 * (with neither rule set, it is `active`). Outside the schedule's windows (off hours, calendar
 * days) free sessions are kept only while someone is connected: an empty pool may then go to 0
 * and be stopped, while a late worker still finds room for a colleague.
 */
export function recommendFromUsage(usage: UsageRules, active: number, inWindow = true): UsageRecommendation {
  const inUse = Math.max(0, active);
  const parts: string[] = [];
  let value = inUse;
  if (usage.targetUtilization !== undefined) {
    const byUtilization = Math.max(0, Math.ceil(inUse / usage.targetUtilization - ROUNDING_SLACK));
    value = Math.max(value, byUtilization);
    parts.push(`${inUse} in use ÷ ${usage.targetUtilization} = ${byUtilization}`);
  }
  if (usage.minFreeSessions !== undefined && (inWindow || inUse > 0)) {
    const withHeadroom = inUse + usage.minFreeSessions;
    value = Math.max(value, withHeadroom);
    parts.push(`${inUse} in use + ${usage.minFreeSessions} free = ${withHeadroom}`);
  }
  if (parts.length === 0) parts.push(`${inUse} in use`);
  return { value, explanation: `usage asks ${value} (${parts.join(', ')})` };
}

export interface UsageTarget {
  /** Where usage alone would take the current desired capacity in this decision. */
  value: number;
  /** Why it stops short of the recommendation, if it does ("scale-in limited to −10 a tick"). */
  notes: string[];
}

/**
 * Rule: usage moves capacity from the current desired value towards its recommendation, limited by
 * the scale-out rules (`limitScaleOut`) going up and the scale-in rules (`stabilizeScaleIn`,
 * `limitScaleIn`) going down.
 */
export function followUsage(input: {
  usage: UsageRules;
  recommendation: number;
  current: number;
  history: History;
  now: number;
}): UsageTarget {
  const { usage, recommendation, current, history, now } = input;
  if (recommendation > current) return limitScaleOut(usage, recommendation, current, history.lastUsageScaleOutAt, now);
  if (recommendation < current) {
    const stabilized = stabilizeScaleIn(usage, recommendation, history.usageRecommendations, now);
    if (stabilized.value >= current) {
      const window = usage.scaleIn.stabilizationMinutes;
      return { value: current, notes: [`no scale-in yet: ${stabilized.value} was asked within the last ${window} min`] };
    }
    const limited = limitScaleIn(usage, stabilized.value, current);
    return { value: limited.value, notes: [...stabilized.notes, ...limited.notes] };
  }
  return { value: current, notes: [] };
}

/**
 * Rule: a usage-driven scale-out adds at most `scaleOut.maxStep` to the current desired value per
 * decision, and none at all within `scaleOut.cooldownMinutes` after the last usage-driven scale-out
 * (capacity takes minutes to arrive; asking again before it does would overshoot).
 */
export function limitScaleOut(usage: UsageRules, recommendation: number, current: number, lastUsageScaleOutAt: number | undefined, now: number): UsageTarget {
  const cooldownMs = usage.scaleOut.cooldownMinutes * MINUTE_MS;
  if (lastUsageScaleOutAt !== undefined) {
    const elapsedMs = now - lastUsageScaleOutAt;
    if (elapsedMs >= 0 && elapsedMs < cooldownMs) {
      const minutesAgo = Math.floor(elapsedMs / MINUTE_MS);
      return {
        value: current,
        notes: [`scale-out waits: the last one was ${minutesAgo} min ago, cooldown ${usage.scaleOut.cooldownMinutes} min`],
      };
    }
  }
  const maxStep = usage.scaleOut.maxStep;
  if (maxStep !== undefined && recommendation - current > maxStep) {
    return { value: current + maxStep, notes: [`scale-out limited to +${maxStep} a tick`] };
  }
  return { value: recommendation, notes: [] };
}

/**
 * Rule: scale-in goes only down to the highest usage recommendation of the last
 * `scaleIn.stabilizationMinutes` (the current one included), so a short dip never removes capacity
 * that the next minute needs again. Recommendations stamped after `now` count too (they are as
 * recent as it gets; counting them can only keep capacity).
 */
export function stabilizeScaleIn(
  usage: UsageRules,
  recommendation: number,
  past: ReadonlyArray<{ at: number; value: number }>,
  now: number,
): UsageTarget {
  const windowMs = usage.scaleIn.stabilizationMinutes * MINUTE_MS;
  let highest = recommendation;
  for (const entry of past) {
    if (entry.at > now - windowMs && entry.value > highest) highest = entry.value;
  }
  if (highest === recommendation) return { value: recommendation, notes: [] };
  return {
    value: highest,
    notes: [`scale-in only to ${highest}, the highest ask of the last ${usage.scaleIn.stabilizationMinutes} min`],
  };
}

/** Rule: a usage-driven scale-in removes at most `scaleIn.maxStep` from the current desired value per decision. */
export function limitScaleIn(usage: UsageRules, target: number, current: number): UsageTarget {
  const maxStep = usage.scaleIn.maxStep;
  if (maxStep !== undefined && current - target > maxStep) {
    return { value: current - maxStep, notes: [`scale-in limited to −${maxStep} a tick`] };
  }
  return { value: target, notes: [] };
}
