import type { Policy } from '#lib/policy/schema.ts';
import type { Decision, History, Observed } from '#lib/capacity/decide.ts';
import { MINUTE_MS } from '#lib/capacity/usage.ts';

/**
 * The history the engine needs at the next tick, after one decision (pure; times in epoch ms).
 *
 * Input: the history the decision was made from, the decision, what was observed, the policy,
 * `now`, and whether the caller applied the decision (false for a dry run, a lost race, a failure).
 * Output: the next history —
 * - the usage recommendation appended (whether applied or not: usage was observed either way), and
 *   recommendations too old for any later stabilization window dropped;
 * - when an applied 'set' or 'start' changed the desired value: `lastChange`, and
 *   `lastUsageScaleOutAt = now` if it was a usage-driven raise (which starts the cooldown).
 */
export function nextHistory(input: {
  history: History;
  decision: Decision;
  observed: Observed;
  policy: Pick<Policy, 'usage'>;
  now: number;
  applied: boolean;
}): History {
  const { history, decision, observed, policy, now, applied } = input;
  const next: History = { ...history, usageRecommendations: keptRecommendations(history, decision, policy, now) };
  const changed = applied && (decision.action === 'set' || decision.action === 'start') && decision.desired !== observed.desired;
  if (!changed) return next;
  next.lastChange = { at: now, from: observed.desired, to: decision.desired, cause: historyCause(decision.cause) };
  if (decision.cause === 'usage' && decision.desired > observed.desired) next.lastUsageScaleOutAt = now;
  return next;
}

function keptRecommendations(history: History, decision: Decision, policy: Pick<Policy, 'usage'>, now: number): History['usageRecommendations'] {
  if (!policy.usage) return [];
  // The next tick (at or after now) looks back over (then − window, then]; nothing at or before now − window can count.
  const oldest = now - policy.usage.scaleIn.stabilizationMinutes * MINUTE_MS;
  const kept = history.usageRecommendations.filter((entry) => entry.at > oldest);
  if (decision.usageRecommendation !== undefined) kept.push({ at: now, value: decision.usageRecommendation });
  return kept;
}

/** The stored history knows three causes; sessions in use holding capacity up count as usage. */
function historyCause(cause: Decision['cause']): NonNullable<History['lastChange']>['cause'] {
  if (cause === 'usage' || cause === 'active-sessions') return 'usage';
  if (cause === 'limits') return 'limits';
  return 'schedule';
}
