import type { AssociationSummary } from './associations.ts';

/**
 * How long the deploy-applications workflow waits between looks at the associations, when it
 * gives up, and when it redeploys.
 *
 * Waits: 60 s by default, doubling, capped at 10 min — few Step Functions transitions (Standard
 * workflows are billed per transition: a 15-minute deployment is seen at the 4th look, at 1, 3, 7
 * and 15 min) while a quick install is still seen quickly — until the total timeout (60 min by
 * default). The last wait is shortened so that the last look happens at the timeout.
 *
 * Redeploys (`nextDeployStep`), once nothing is INSTALLING/UNINSTALLING:
 * - applications in PENDING_INSTALL/PENDING_UNINSTALL (one associated while the workflow ran) →
 *   deploy, so one workflow covers them too;
 * - ERROR with a retryable reason → deploy with Force, at most `maxForceRedeploys` times per
 *   workflow. Force redeploys every ERROR association of the WorkSpace, so it is used only when a
 *   retryable one is there;
 * - otherwise finish, naming the retryable ones whose redeploys were used up.
 */

export interface BackoffPolicy {
  /** The first wait, seconds. */
  initialSeconds: number;
  /** No wait is longer, seconds. */
  maxSeconds: number;
  /** Waits add up to at most this, seconds. */
  timeoutSeconds: number;
  /** Force redeploys for retryable errors, per workflow. */
  maxForceRedeploys: number;
}

/** As the policy file's `applications` defaults (lib/policy/schema.ts). */
export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({
  initialSeconds: 60,
  maxSeconds: 600,
  timeoutSeconds: 3600,
  maxForceRedeploys: 3,
});

export class InvalidBackoffPolicyError extends RangeError {
  override readonly name = 'InvalidBackoffPolicyError';
}

/** The defaults with the given changes, checked: waits positive integers, the cap at least the first wait. */
export function backoffPolicy(changes: Partial<BackoffPolicy> = {}): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...changes };
  for (const key of ['initialSeconds', 'maxSeconds', 'timeoutSeconds'] as const) {
    if (!Number.isInteger(policy[key]) || policy[key] < 1) {
      throw new InvalidBackoffPolicyError(`${key} must be a whole number of seconds, at least 1 (got ${policy[key]})`);
    }
  }
  if (policy.maxSeconds < policy.initialSeconds) {
    throw new InvalidBackoffPolicyError(`maxSeconds (${policy.maxSeconds}) must be at least initialSeconds (${policy.initialSeconds})`);
  }
  if (!Number.isInteger(policy.maxForceRedeploys) || policy.maxForceRedeploys < 0) {
    throw new InvalidBackoffPolicyError(`maxForceRedeploys must be a whole number, at least 0 (got ${policy.maxForceRedeploys})`);
  }
  return policy;
}

/**
 * The wait before look number `attempt + 1`, seconds: initial × 2^attempt, capped. Attempt 0 is the
 * first wait; a negative or fractional attempt counts as the whole number below (never below 0).
 */
export function nextWait(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : attempt > 0 ? Infinity : 0;
  return Math.min(policy.maxSeconds, policy.initialSeconds * 2 ** n);
}

/** Every wait of a workflow that never sees its associations settle: they add up to the timeout exactly. */
export function waitsUntilTimeout(policy: BackoffPolicy = DEFAULT_BACKOFF): number[] {
  const waits: number[] = [];
  let total = 0;
  for (let attempt = 0; total < policy.timeoutSeconds; attempt += 1) {
    const wait = Math.min(nextWait(attempt, policy), policy.timeoutSeconds - total);
    waits.push(wait);
    total += wait;
  }
  return waits;
}

/**
 * A wait of `seconds`, shortened to end at the timeout, given the time the workflow has run;
 * undefined once the timeout has passed — the workflow then reports "timed out".
 */
export function waitOrTimeout(seconds: number, elapsedSeconds: number, timeoutSeconds: number): number | undefined {
  const left = timeoutSeconds - elapsedSeconds;
  if (!(left > 0)) return undefined;
  return Math.min(seconds, left);
}

export type DeployStep =
  /** A deployment is running (or a state is not understood): look again after the next wait. */
  | { action: 'wait' }
  /** Call DeployWorkspaceApplications; `applicationIds` are the ones it is for. */
  | { action: 'deploy'; force: boolean; applicationIds: string[] }
  /** Nothing more to do; `exhausted`: retryable errors left after the last allowed Force redeploy. */
  | { action: 'finish'; exhausted: string[] };

export function nextDeployStep(
  summary: Pick<AssociationSummary, 'inProgress' | 'unknown' | 'pendingApplicationIds' | 'retryableApplicationIds'>,
  progress: { forceRedeploys: number },
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): DeployStep {
  if (summary.inProgress > 0 || summary.unknown > 0) return { action: 'wait' };
  const retryable = summary.retryableApplicationIds;
  const force = retryable.length > 0 && progress.forceRedeploys < policy.maxForceRedeploys;
  const pending = summary.pendingApplicationIds;
  if (pending.length > 0 || force) {
    return { action: 'deploy', force, applicationIds: force ? [...pending, ...retryable] : [...pending] };
  }
  return { action: 'finish', exhausted: [...retryable] };
}
