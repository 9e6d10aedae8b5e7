import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { capacityChanged, capacityChangeFailed } from '#lib/events/capacity-events.ts';
import { tryPublish, type PublishLogger } from '#lib/events/publish.ts';
import { releaseInFlight } from '#lib/state/target-state.ts';
import { listTargets, setCapacity, start, stop, type TargetClients } from '#lib/targets/index.ts';
import type { ChangeRequest } from './change-request.ts';

/**
 * The steps of the `capacity-change` workflow (statemachines/capacity-change.asl.yml). Each takes
 * the request as the workflow carries it and returns it updated; the waiting itself is the
 * workflow's (Wait states cost nothing while they wait). Busy targets surface as TargetBusyError,
 * which the workflow retries with backoff.
 */
export interface StepDeps {
  clients: Pick<TargetClients, 'workspaces' | 'appstream'>;
  documents: DynamoDBDocumentClient;
  eventBridge: EventBridgeClient;
  stateTable: string;
  auditTable: string;
  eventBus: string;
  logger: PublishLogger;
  execution: string;
  now: number;
}

/** Longest wait between two looks at a converging target (fewer billed state transitions). */
const MAX_WAIT_SECONDS = 300;
const MIN_WAIT_SECONDS = 30;

export async function startStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  await start(deps.clients, request.target);
  await audit(request, deps, 'started', `Started ${request.target.kind} ${request.target.name} ahead of its capacity: ${request.reason}`);
  return request;
}

export async function stopStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  await stop(deps.clients, request.target);
  const reason = `Stopped ${request.target.kind} ${request.target.name}: ${request.reason}`;
  await audit(request, deps, 'stopped', reason);
  await publish(capacityChanged, request, deps, reason);
  return request;
}

export async function setStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  await setCapacity(deps.clients, request.target, request.desired);
  await audit(request, deps, 'capacity-changed', request.reason);
  await publish(capacityChanged, request, deps, request.reason);
  return request;
}

/** Looks at the target: its state, whether capacity has converged, and how long to wait before the next look. */
export async function observeStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  const [target] = await listTargets(deps.clients, [{ kind: request.target.kind, id: request.target.id }]);
  if (!target) throw new TargetGoneError(`${request.target.kind} ${request.target.id} no longer exists`);
  // Scale-in never goes below the sessions in use, so "converged" allows for them.
  const goal = Math.max(request.desired, request.desired < request.before ? target.active : 0);
  const converged =
    target.state === 'RUNNING' && (request.desired >= request.before ? target.actual >= request.desired : target.actual <= goal);
  return {
    ...request,
    observed: {
      waitSeconds: Math.min(MAX_WAIT_SECONDS, Math.max(MIN_WAIT_SECONDS, request.observed.waitSeconds * 2)),
      state: String(target.state),
      actual: target.actual,
      available: target.available,
      converged,
      pastDeadline: deps.now >= request.deadline,
    },
  };
}

/** The end: report a timeout or a failure (a success was reported when it was applied), release the target. */
export async function finishStep(request: ChangeRequest, deps: StepDeps): Promise<ChangeRequest> {
  const failure = failureOf(request);
  if (failure) {
    await audit(request, deps, 'capacity-change-failed', `${request.reason.replace(/\.$/, '')}; ${failure}`, failure);
    await publish(capacityChangeFailed, request, deps, request.reason, failure);
  }
  await releaseInFlight(deps.documents, deps.stateTable, `${request.target.kind}/${request.target.id}`, deps.execution);
  return request;
}

export class TargetGoneError extends Error {
  override readonly name = 'TargetGoneError';
}

function failureOf(request: ChangeRequest): string | undefined {
  const { target, observed, desired } = request;
  if (request.error) return `${request.error.Error ?? 'Error'}: ${request.error.Cause ?? 'no detail'}`.slice(0, 4000);
  if (observed.converged === false && observed.pastDeadline) {
    const minutes = Math.round((request.deadline - request.requestedAt) / 60_000);
    return observed.state === 'RUNNING'
      ? `${target.kind} ${target.name} did not reach ${desired} in ${minutes} min: ${observed.actual ?? '?'} up, ${observed.available ?? '?'} available`
      : `${target.kind} ${target.name} was still ${observed.state} after ${minutes} min`;
  }
  return undefined;
}

async function audit(
  request: ChangeRequest,
  deps: StepDeps,
  kind: 'started' | 'stopped' | 'capacity-changed' | 'capacity-change-failed',
  reason: string,
  error?: string,
): Promise<void> {
  await recordAudit(deps.documents, deps.auditTable, {
    target: `${request.target.kind}/${request.target.id}`,
    kind,
    actor: request.actor,
    reason,
    before: request.before,
    after: request.operation === 'stop' ? 0 : request.desired,
    ...(error ? { error } : {}),
    correlationId: request.correlationId,
    at: deps.now,
    // One record per step of one execution, however often the step is retried.
    id: `${deps.execution}-${kind}`,
  });
}

async function publish(
  contract: typeof capacityChanged | typeof capacityChangeFailed,
  request: ChangeRequest,
  deps: StepDeps,
  reason: string,
  error?: string,
): Promise<void> {
  const data = {
    target: `${request.target.kind}/${request.target.id}`,
    targetName: request.target.name,
    kind: request.target.kind,
    before: request.before,
    after: request.operation === 'stop' ? 0 : request.desired,
    unit: request.target.unit,
    reason,
    actor: request.actor,
    ...(error ? { error } : {}),
  };
  await tryPublish(deps.eventBridge, deps.eventBus, contract, data as never, request.correlationId, deps.now, { logger: deps.logger });
}
