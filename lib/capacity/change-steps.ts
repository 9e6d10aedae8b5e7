import { recordAudit } from '#lib/audit/record-audit.ts';
import { capacityChanged, capacityChangeFailed } from '#lib/events/capacity-events.ts';
import { errorText } from '#lib/aws/caught-error.ts';
import { tryPublish } from '#lib/events/publish.ts';
import { confirmInFlight, releaseInFlight } from '#lib/state/target-state.ts';
import type { WorkflowStepDeps } from '#lib/workflow/step-deps.ts';
import { describeTarget, setCapacity, start, stop, type ManagedTarget, type TargetClients } from '#lib/targets/index.ts';
import { ACT_MARGIN_MS, type ChangeRequest } from './change-request.ts';

/**
 * The steps of the `capacity-change` workflow (statemachines/capacity-change.asl.yml). Each takes
 * the request as the workflow carries it and returns it updated; the waiting itself is the
 * workflow's (Wait states cost nothing while they wait). Busy targets surface as TargetBusyError,
 * throttles the SDK did not ride out as ThrottlingException or TargetThrottledError, which the
 * workflow retries with backoff.
 *
 * The acting steps (start, set, stop) confirm right before they act, with a conditional write,
 * that the target's hold (`inFlight`) is still this execution's; when it is not (it expired and a
 * later tick took the target over, or it is about to expire), they leave the target alone and set
 * `skipped`, and the workflow goes to Finish, which then reports nothing and releases nothing
 * that is not its own. A Choice on `skipped` rather than a thrown error: leaving a target to its
 * new owner is a normal outcome, not a Lambda error for alarms and the execution history.
 *
 * A retried step (its Lambda died after acting and before auditing) does not act twice: it finds
 * the action done (the capacity already set, the target already starting or stopping) and writes
 * the audit item with the same id and time, so every action has its item, once.
 *
 * Audit time: every audit item the workflow writes carries, as its time, when the workflow last
 * looked at the target before the step that writes it (`observed.at`; before its first look, the
 * tick's, `requestedAt`). That time is in the step's input, so every retry of the step writes the
 * same item (the audit key includes the time), and the items of one change keep their order.
 */
export interface StepDeps extends WorkflowStepDeps {
  clients: Pick<TargetClients, 'workspaces' | 'appstream'>;
  now: number;
}

/** Longest wait between two looks at a converging target (fewer billed state transitions). */
const MAX_WAIT_SECONDS = 300;
/** The first wait after the capacity is set; each look doubles it up to MAX_WAIT_SECONDS. */
const FIRST_WAIT_SECONDS = 30;
/** While a target starts: a look every minute, so RUNNING is noticed within a minute. */
const START_POLL_SECONDS = 60;
/**
 * States in which a start or a stop has already been made. The workflow retries a step whose
 * Lambda died after its call (Runtime.ExitError, statemachines/capacity-change.asl.yml); the retry
 * finds the action done and writes the audit item the dead attempt did not.
 */
const ALREADY: Record<'start' | 'stop', readonly string[]> = { start: ['STARTING', 'RUNNING'], stop: ['STOPPING', 'STOPPED'] };

export async function startStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  const target = await lookAgain(request, deps);
  const held = await holdOrSkip(request, deps, 'start');
  if (held) return held;
  // Already on its way: an earlier attempt of this step started it and died before its audit write.
  if (!ALREADY.start.includes(String(target.state))) await start(deps.clients, request.target);
  await audit(request, deps, 'started', `Started ${request.target.kind} ${request.target.name} ahead of its capacity: ${request.reason}`);
  return { ...request, observed: { ...request.observed, waitSeconds: START_POLL_SECONDS } };
}

/** Stops the target, unless someone is connected to it now (the tick's look may be minutes old). */
export async function stopStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  const target = await lookAgain(request, deps);
  if (target.active > 0) {
    const skipped = `${target.kind} ${target.name} not stopped: ${target.active} ${plural(target.active, 'session')} in use now`;
    deps.logger.info('Not stopping a target users are connected to', { target: keyOf(request), active: target.active, reason: request.reason });
    return { ...request, skipped, observed: lookedAt(request, deps, target) };
  }
  const held = await holdOrSkip(request, deps, 'stop');
  if (held) return held;
  if (!ALREADY.stop.includes(String(target.state))) await stop(deps.clients, request.target);
  const reason = `Stopped ${request.target.kind} ${request.target.name}: ${request.reason}`;
  await audit(request, deps, 'stopped', reason);
  await publish(capacityChanged, request, deps, reason);
  return { ...request, observed: lookedAt(request, deps, target) };
}

/**
 * Sets the capacity. A scale-in never goes below the sessions in use now (looked at again here:
 * the tick's look may be minutes old); the first look at convergence comes FIRST_WAIT_SECONDS later.
 */
export async function setStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  const target = await lookAgain(request, deps);
  const scaleIn = request.desired < target.desired;
  const applied = scaleIn ? Math.max(request.desired, target.active) : request.desired;
  const held = await holdOrSkip(request, deps, 'set');
  if (held) return held;
  // Already set: an earlier attempt of this step (same input) set it and died before its audit
  // write; setting it again would be a second change (and a pool in UPDATING refuses it).
  if (target.desired !== applied) await setCapacity(deps.clients, request.target, applied);
  const changed = { ...request, applied };
  const reason =
    applied === request.desired
      ? request.reason
      : `${request.reason.replace(/\.$/, '')}; set to ${applied}, not ${request.desired}: ${target.active} ${plural(target.active, 'session')} in use`;
  await audit(changed, deps, 'capacity-changed', reason);
  await publish(capacityChanged, changed, deps, reason);
  return { ...changed, observed: { ...lookedAt(request, deps, target), waitSeconds: FIRST_WAIT_SECONDS } };
}

/** Looks at a starting target: its state, and a minute before the next look (no doubling while it starts). */
export async function observeStartStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  const observed = await observeStep(request, deps);
  return { ...observed, observed: { ...observed.observed, waitSeconds: START_POLL_SECONDS } };
}

/** Looks at the target: its state, whether capacity has converged, and how long to wait before the next look. */
export async function observeStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  const target = await lookAgain(request, deps);
  const setTo = request.applied ?? request.desired;
  // Scale-in never goes below the sessions in use, so "converged" allows for them.
  const goal = Math.max(setTo, setTo < request.before ? target.active : 0);
  const converged = target.state === 'RUNNING' && (setTo >= request.before ? target.actual >= setTo : target.actual <= goal);
  return {
    ...request,
    observed: {
      ...lookedAt(request, deps, target),
      waitSeconds: Math.min(MAX_WAIT_SECONDS, Math.max(FIRST_WAIT_SECONDS, request.observed.waitSeconds * 2)),
      converged,
      pastDeadline: deps.now >= request.deadline,
    },
  };
}

/**
 * The end: report a timeout or a failure (a success was reported when it was applied), release
 * the target; on a failure, record it in the target's state (`lastFailure`) with the release.
 */
export async function finishStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  const target = keyOf(request);
  if (request.skipped) deps.logger.info('Capacity change ended without acting', { target, skipped: request.skipped });
  const failure = failureOf(request);
  if (failure) {
    await audit(request, deps, 'capacity-change-failed', `${request.reason.replace(/\.$/, '')}; ${failure}`, failure);
    await publish(capacityChangeFailed, request, deps, request.reason, failure);
    await releaseInFlight(deps.documents, deps.stateTable, target, deps.execution, {
      at: deps.now,
      desired: request.desired,
      reason: failure,
    });
  } else {
    await releaseInFlight(deps.documents, deps.stateTable, target, deps.execution);
  }
  return request;
}

export class TargetGoneError extends Error {
  override readonly name = 'TargetGoneError';
}

/** The target as it is now (one Describe call for it alone); TargetGoneError when it was deleted. */
async function lookAgain(request: ChangeRequest, deps: StepDeps): Promise<ManagedTarget> {
  const target = await describeTarget(deps.clients, request.target);
  if (!target) throw new TargetGoneError(`${request.target.kind} ${request.target.name} (${request.target.id}) no longer exists`);
  return target;
}

function lookedAt(request: ChangeRequest, deps: StepDeps, target: ManagedTarget): ChangeRequest['observed'] {
  return {
    ...request.observed,
    at: deps.now,
    state: String(target.state),
    actual: target.actual,
    available: target.available,
  };
}

/**
 * Confirms the hold right before an action (see the module comment). Undefined when the step may
 * act; otherwise the request, skipped, for the workflow to end quietly.
 */
async function holdOrSkip(request: ChangeRequest, deps: StepDeps, action: string): Promise<ChangeRequest | undefined> {
  const target = keyOf(request);
  if (await confirmInFlight(deps.documents, deps.stateTable, target, deps.execution, deps.now + ACT_MARGIN_MS)) return undefined;
  const skipped = `did not ${action} ${request.target.kind} ${request.target.name}: its hold is no longer this change's (expired, released or taken over by a later tick)`;
  deps.logger.info('Leaving a target whose hold this workflow lost', { target, skipped });
  return { ...request, skipped };
}

function failureOf(request: ChangeRequest): string | undefined {
  const { target, observed } = request;
  if (request.error) return errorText(request.error);
  if (request.skipped) return undefined;
  if (observed.converged === false && observed.pastDeadline) {
    const setTo = request.applied ?? request.desired;
    const minutes = Math.round((request.deadline - request.requestedAt) / 60_000);
    return observed.state === 'RUNNING'
      ? `${target.kind} ${target.name} did not reach ${setTo} in ${minutes} min: ${observed.actual ?? '?'} up, ${observed.available ?? '?'} available`
      : `${target.kind} ${target.name} was still ${observed.state} after ${minutes} min`;
  }
  return undefined;
}

function keyOf(request: ChangeRequest): string {
  return `${request.target.kind}/${request.target.id}`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

async function audit(
  request: ChangeRequest,
  deps: StepDeps,
  kind: 'started' | 'stopped' | 'capacity-changed' | 'capacity-change-failed',
  reason: string,
  error?: string,
): Promise<void> {
  await recordAudit(deps.documents, deps.auditTable, {
    target: keyOf(request),
    kind,
    actor: request.actor,
    reason,
    before: request.before,
    after: afterOf(request),
    ...(error ? { error } : {}),
    correlationId: request.correlationId,
    // When the workflow last looked before this step (see the module comment): the same for every
    // retry of the step, so a retried step finds its item there (`duplicate`) instead of adding one.
    at: request.observed.at ?? request.requestedAt,
    // One record per step of one execution, however often the step is retried.
    id: `${deps.execution}-${kind}`,
  });
}

function afterOf(request: ChangeRequest): number {
  return request.operation === 'stop' ? 0 : (request.applied ?? request.desired);
}

async function publish(
  contract: typeof capacityChanged | typeof capacityChangeFailed,
  request: ChangeRequest,
  deps: StepDeps,
  reason: string,
  error?: string,
): Promise<void> {
  const data = {
    target: keyOf(request),
    targetName: request.target.name,
    kind: request.target.kind,
    before: request.before,
    after: afterOf(request),
    unit: request.target.unit,
    reason,
    actor: request.actor,
    ...(error ? { error } : {}),
  };
  await tryPublish(deps.eventBridge, deps.eventBus, contract, data as never, request.correlationId, deps.now, { logger: deps.logger });
}
