import type { CaughtError } from '#lib/aws/caught-error.ts';
import type { Actor } from '#lib/audit/entry.ts';
import type { CapacityModel, CapacityUnit, TargetKind } from '#lib/targets/index.ts';

/**
 * The input of the `capacity-change` workflow, written by the tick and carried through every
 * state: what to do to which target, why, by whom, and until when it may take.
 */
export interface ChangeRequest {
  target: { kind: TargetKind; id: string; name: string; capacityModel: CapacityModel; unit: CapacityUnit };
  operation: 'set' | 'start' | 'stop';
  before: number;
  desired: number;
  reason: string;
  actor: Actor;
  correlationId: string;
  requestedAt: number;
  /** Epoch ms after which the change is reported as not converged. */
  deadline: number;
  /** The state item version the tick wrote when it claimed the change. */
  stateVersion: number;
  /**
   * The latest observation, written by the observe steps (and the wait before the next look);
   * `at` is when the workflow last looked at the target (the set and stop steps look too).
   */
  observed: {
    waitSeconds: number;
    at?: number;
    state?: string;
    actual?: number;
    available?: number;
    converged?: boolean;
    pastDeadline?: boolean;
  };
  /**
   * The capacity the set step applied: `desired`, or on a scale-in the sessions in use when it
   * looked, if more. Convergence is judged against it.
   */
  applied?: number;
  /**
   * Why a step left the target alone (the hold is no longer this workflow's; users are connected
   * to a target it was to stop): the workflow goes to Finish, which reports no failure.
   */
  skipped?: string;
  /** Set by a failed step (the workflow's Catch). */
  error?: CaughtError;
}

/**
 * Timing of the workflow, from its Retry and Wait settings (statemachines/capacity-change.asl.yml)
 * and the step function's 30 s Lambda timeout (serverless.yml provider.timeout). Each worst case
 * counts every retry interval at its longest and every attempt at the Lambda timeout:
 *
 * - an acting step (start, set, stop): 930 s of TargetBusyError backoff (30·(1+2+4+8+16)), 105 s
 *   of throttling backoff (15·(1+2+4)), 35 s of Lambda service backoff (5·(1+2+4)) and 12
 *   attempts of 30 s: 1,430 s;
 * - an observe step (never busy): 105 + 35 s of backoff and 7 attempts: 350 s;
 * - finish: 70 s of backoff (10·(1+2+4)) and 4 attempts: 190 s.
 *
 * Every observation compares its time with the deadline, and pastDeadline is checked before
 * anything else, so nothing is started or set once an observation is past it. The longest run
 * is a start whose last look before the deadline finds the target RUNNING: deadline (1,800 s)
 * + that look's attempt (30 s) + the set step (1,430 s) + the 30 s wait + the look that finds the
 * deadline passed (350 s) + finish (190 s) = 3,830 s. A set-only change is shorter: deadline + 30
 * + a 300 s wait + 350 + 190 = 2,670 s.
 */
export const CHANGE_DEADLINE_MS = 30 * 60_000;
/** The longest a capacity-change execution can run without its TimeoutSeconds, from the above. */
export const CHANGE_WORKFLOW_WORST_CASE_SECONDS = 3_830;
/** The state machine's top-level TimeoutSeconds: the worst case and some slack (a backstop never reached). */
export const CHANGE_WORKFLOW_TIMEOUT_SECONDS = 4_200;
/**
 * How long a step must still hold the target after it confirmed the hold, before it acts: the
 * action runs within one Lambda invocation (30 s), so a minute.
 */
export const ACT_MARGIN_MS = 60_000;
/**
 * How long the tick should hold a target for the workflow it starts (inFlight.until − requestedAt):
 * the execution's TimeoutSeconds, plus the tick's own time between deciding and StartExecution
 * (its 55 s Lambda timeout at most) and the acting margin, rounded up: 75 min. No execution then
 * outlives its hold, so no tick starts a second workflow on a target while the first still runs;
 * should one anyway (a shorter hold), the acting steps' hold check keeps it from applying twice.
 */
export const CHANGE_HOLD_MS = 75 * 60_000;
