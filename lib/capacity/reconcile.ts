import { createHash } from 'node:crypto';
import { mapConcurrently } from '#lib/aws/concurrency.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { recordAudit } from '#lib/audit/record-audit.ts';
import type { Actor } from '#lib/audit/entry.ts';
import { decide, type Decision, type Observed } from '#lib/capacity/decide.ts';
import { nextHistory } from '#lib/capacity/history.ts';
import { capacityChangeDeferred, scalingConflict } from '#lib/events/capacity-events.ts';
import { tryPublish, type PublishLogger } from '#lib/events/publish.ts';
import type { Policy, PolicyFile, TargetSelector } from '#lib/policy/schema.ts';
import { evaluateSchedule, type ScheduleValue } from '#lib/schedule/evaluate.ts';
import { readStates, releaseInFlight, StaleStateError, writeState, type TargetState } from '#lib/state/target-state.ts';
import { listNativeScaling, listTargets, type ManagedTarget, type TargetClients } from '#lib/targets/index.ts';
import { operatorNotice } from '#lib/events/operator-notice.ts';
import { applyOverride, describeOverride, isActive, type Override } from '#lib/overrides/override.ts';
import { CHANGE_HOLD_MS, type ChangeRequest } from './change-request.ts';

/**
 * Use case: one reconcile tick over every managed pool and fleet.
 *
 * Input: the policy file, clients, where state/audit/events/workflows live, the time, and the
 * tick's correlation id. Output: one outcome per target (for logs and tests).
 *
 * Primary course: list the targets every policy selects (as few Describe calls as the APIs allow),
 * and meanwhile the native Application Auto Scaling targets of those kinds → leave alone the
 * targets one owns (recorded once) → read all their states in batches → per target: schedule →
 * decision → on a change, claim it with a conditional write of the target's state (a tick that
 * overlaps loses the claim and does nothing) and hand it to the `capacity-change` workflow, which
 * applies it, waits and reports. Targets are reconciled TARGETS_IN_FLIGHT at a time: a target that
 * changes costs two calls in a row (claim, start), and 200 such targets one after the other would
 * take most of the tick's minute at AWS's latencies. A target that changes nothing costs no call.
 * A target in UPDATING/STARTING/STOPPING is deferred and that is recorded once, not every tick.
 * An operator's override (lib/overrides) replaces the schedule value (hold, floor) or keeps every
 * action off the target (pause) until it runs out; the tick that sees it expired audits, clears
 * and announces that, and the next one follows the policy again.
 * A deferral, conflict or dry run is audited before its marker is claimed, so a tick retried after
 * a failed audit write still records it. One target's error is logged and reported as 'error'
 * without stopping the others; the tick fails only when every target failed.
 */
export interface ReconcileDeps {
  clients: Pick<TargetClients, 'workspaces' | 'appstream' | 'autoscaling'>;
  documents: DynamoDBDocumentClient;
  eventBridge: EventBridgeClient;
  sfn: SFNClient;
  stateTable: string;
  auditTable: string;
  eventBus: string;
  stateMachineArn: string;
  logger: PublishLogger & { info(message: string, ...extra: Array<Record<string, unknown>>): void };
}

export type Outcome =
  | 'unchanged'
  | 'change-started'
  | 'dry-run'
  | 'deferred'
  | 'conflict'
  | 'in-flight'
  | 'backing-off'
  | 'lost-race'
  | 'paused'
  | 'override-expired'
  | 'error';

export interface TargetOutcome {
  target: string;
  policy: string;
  outcome: Outcome;
  decision?: Decision;
}

/** How long a capacity change may take before it is reported as failed (start + converge). */
export const CHANGE_TIMEOUT_MS = 30 * 60_000;

/**
 * How long the same change (same desired value) is left alone after it failed: a change that
 * keeps failing is retried — and reported — every half hour, not every minute.
 */
export const FAILURE_BACKOFF_MS = 30 * 60_000;

/**
 * Targets reconciled at once. Each in flight makes at most a few calls in a row (a claim, a
 * workflow start, an audit write, an event), so 16 keep the tick's request rate within what
 * DynamoDB on demand, StartExecution (a bucket of hundreds a second) and PutEvents take.
 */
export const TARGETS_IN_FLIGHT = 16;

export async function reconcile(
  file: PolicyFile,
  deps: ReconcileDeps,
  now: number,
  correlationId: string,
): Promise<TargetOutcome[]> {
  const { selectors, policyOfSelector } = flattenSelectors(file);
  const [targets, native] = await Promise.all([
    listTargets(deps.clients, selectors),
    listNativeScaling(deps.clients.autoscaling, selectors.map((selector) => selector.kind)),
  ]);
  const owner = (target: ManagedTarget) => {
    const scalableTarget = native.get(keyOf(target));
    return scalableTarget && `Application Auto Scaling (${scalableTarget.ScalableDimension ?? 'scalable target'})`;
  };
  const states = await readStates(deps.documents, deps.stateTable, targets.map(keyOf));
  const errors: unknown[] = [];
  const outcomes = await mapConcurrently(targets, TARGETS_IN_FLIGHT, async (target): Promise<TargetOutcome> => {
    // A target several policies select belongs to the first of them, in file order.
    const policy = policyOfSelector(Math.min(...target.matchedSelectors));
    const state = states.get(keyOf(target))!;
    const context: TargetContext = { file, policy: withTargetLimits(policy, target), target, state, now, correlationId, deps };
    try {
      return { target: keyOf(target), policy: policy.name, ...(await reconcileTarget(context, owner(target))) };
    } catch (error) {
      // One target's failure must not hold the others back on every retry of the tick.
      deps.logger.warn('Could not reconcile the target; going on with the others', { target: keyOf(target), policy: policy.name, error });
      errors.push(error);
      return { target: keyOf(target), policy: policy.name, outcome: 'error' };
    }
  });
  // Every target failing means a broken dependency: fail the invocation so it is retried and alerted.
  if (errors.length > 0 && errors.length === targets.length) throw errors[0];
  return outcomes;
}

interface TargetContext {
  file: PolicyFile;
  policy: Policy;
  /** The schedule value in force when an override replaces the policy's (else evaluated from the policy). */
  schedule?: ScheduleValue;
  target: ManagedTarget;
  state: TargetState;
  now: number;
  correlationId: string;
  deps: ReconcileDeps;
}

async function reconcileTarget(context: TargetContext, owner: string | undefined): Promise<Omit<TargetOutcome, 'target' | 'policy'>> {
  const { state, now } = context;
  if (owner !== undefined) return { outcome: await recordConflict(context, owner) };
  const { override } = state;
  // Expired: announced, and cleared with a state write; the next tick decides by the policy again.
  if (override && !isActive(override, now)) return { outcome: await expireOverride(context, override) };
  if (override && override.kind !== 'pause') context = { ...context, ...applyOverride(scheduleOf(context), context.policy, override as Override & { kind: 'hold' | 'floor' }) };

  // Decided in every path, even those that act on nothing, for the usage recommendation (see `holding`).
  const schedule = context.schedule ?? scheduleOf(context);
  const observed = observedOf(context.target);
  const decision = onlyStopWhatStops(context.target, decide({ policy: context.policy, schedule, observed, history: state, now }));
  if (override?.kind === 'pause') return holding(context, decision, 'paused');
  const changes = decision.action === 'set' || decision.action === 'start' || decision.action === 'stop';
  const dryRun = isDryRun(context);
  if (state.inFlight && state.inFlight.until > now) return holding(context, decision, 'in-flight');
  if (changes && !dryRun && backingOff(state, decision, now)) return holding(context, decision, 'backing-off');

  const history = nextHistory({ history: state, decision, observed, policy: context.policy, now, applied: changes && !dryRun });
  // The history spreads the whole stored state: markers of a past tick (a deferral, a conflict, a
  // hold) are cleared here and set again only by the branch that means them. `lastFailure` stays:
  // only applying a different change clears it.
  const base = { ...history, conflict: undefined, inFlight: undefined, deferred: undefined };

  if (decision.action === 'defer') {
    if (state.deferred) return holding(context, decision, 'deferred');
    const next = { ...base, deferred: { since: now, state: observed.state }, lastDryRun: state.lastDryRun };
    return { outcome: await recordDeferral(context, decision, schedule, next), decision };
  }
  if (!changes) {
    const worthWriting = state.deferred !== undefined || state.conflict !== undefined || recommendationsNeedWriting(context, decision);
    if (worthWriting && !(await claim(context, { ...base, lastDryRun: state.lastDryRun }))) return { outcome: 'lost-race', decision };
    return { outcome: 'unchanged', decision };
  }
  if (dryRun) {
    const same = state.lastDryRun?.action === decision.action && state.lastDryRun.desired === decision.desired;
    if (same) return holding(context, decision, 'dry-run');
    // Audit first, then claim: should the audit write fail, the retried tick finds no marker and
    // records it; should a later step fail, the retry (same correlation id and time) writes the same
    // audit item again, a no-op duplicate.
    await audit(context, 'dry-run', actorOf(decision, schedule), decision, `${decision.reason} (dry run: nothing changed)`);
    await claim(context, { ...base, lastDryRun: { action: decision.action, desired: decision.desired } });
    return { outcome: 'dry-run', decision };
  }
  const execution = executionName(context.target, now);
  const claimed = await claim(context, {
    ...base,
    // Held for longer than the workflow can possibly run (change-request.ts), so no tick steps in mid-change.
    inFlight: { execution, desired: decision.desired, until: now + CHANGE_HOLD_MS },
    lastDryRun: undefined,
    // A different change than the one that failed: that failure no longer holds anything back.
    lastFailure: state.lastFailure?.desired === decision.desired ? state.lastFailure : undefined,
  });
  if (!claimed) return { outcome: 'lost-race', decision };
  try {
    await startChange(context, execution, decision, schedule);
  } catch (error) {
    // No workflow will release the claim: release it now so the next tick can try again.
    await releaseInFlight(context.deps.documents, context.deps.stateTable, context.state.target, execution);
    throw error;
  }
  return { outcome: 'change-started', decision };
}

/**
 * A path that acts on nothing this tick (a change in flight, a deferral already recorded, an
 * unchanged dry run, a backoff) still stores the usage recommendation when it is due — or peaks
 * seen meanwhile would never enter the scale-in window. Every other marker stays as it is.
 */
async function holding(context: TargetContext, decision: Decision, outcome: Outcome): Promise<Omit<TargetOutcome, 'target' | 'policy'>> {
  if (!recommendationsNeedWriting(context, decision)) return { outcome, decision };
  const { state, policy, target, now } = context;
  const { usageRecommendations } = nextHistory({ history: state, decision, observed: observedOf(target), policy, now, applied: false });
  return (await claim(context, { ...state, usageRecommendations })) ? { outcome, decision } : { outcome: 'lost-race', decision };
}

/** The same change failed less than FAILURE_BACKOFF_MS ago: leave it for now. */
function backingOff(state: TargetState, decision: Decision, now: number): boolean {
  const failure = state.lastFailure;
  return failure !== undefined && failure.desired === decision.desired && now - failure.at < FAILURE_BACKOFF_MS;
}

/**
 * When nothing changes, the only thing the next decision needs is the usage recommendations for
 * scale-in stabilization. They are written when the recommendation changes, and otherwise at
 * least every half stabilization window, so the value that held is always represented inside
 * the window (the stored list is a step function sampled often enough): a steady target costs one
 * write per half window, not one per tick.
 */
function recommendationsNeedWriting({ policy, state, now }: TargetContext, decision: Decision): boolean {
  if (!policy.usage || decision.usageRecommendation === undefined) return false;
  const last = state.usageRecommendations.at(-1);
  const halfWindow = (policy.usage.scaleIn.stabilizationMinutes * 60_000) / 2;
  return last === undefined || last.value !== decision.usageRecommendation || last.at <= now - halfWindow;
}

/** The conditional state write that makes a decision this tick's own; false when another tick got there first. */
async function claim(context: TargetContext, next: Omit<TargetState, 'target' | 'version'>): Promise<boolean> {
  try {
    await writeState(context.deps.documents, context.deps.stateTable, context.state, next);
    return true;
  } catch (error) {
    if (error instanceof StaleStateError) {
      context.deps.logger.info('Another tick changed this target first; leaving it', { target: context.state.target });
      return false;
    }
    throw error;
  }
}

async function startChange(context: TargetContext, execution: string, decision: Decision, schedule: ScheduleValue): Promise<void> {
  const { target, now } = context;
  const request: ChangeRequest = {
    target: { kind: target.kind, id: target.id, name: target.name, capacityModel: target.capacityModel, unit: target.unit },
    operation: decision.action === 'set' ? 'set' : (decision.action as 'start' | 'stop'),
    before: target.desired,
    desired: decision.desired,
    reason: decision.reason,
    actor: actorOf(decision, schedule),
    correlationId: context.correlationId,
    requestedAt: now,
    deadline: now + CHANGE_TIMEOUT_MS,
    stateVersion: context.state.version + 1,
    observed: { waitSeconds: 60 },
  };
  // The name is derived from the target and the minute: a retried tick starts the same execution once.
  await context.deps.sfn.send(
    new StartExecutionCommand({ stateMachineArn: context.deps.stateMachineArn, name: execution, input: JSON.stringify(request) }),
  );
}

/**
 * An override ran out: audited (at its end time, so a retried tick writes the same item), cleared
 * from the state, announced. Audit first, then claim (see the dry run in reconcileTarget).
 */
async function expireOverride(context: TargetContext, override: Override): Promise<Outcome> {
  const { target, state } = context;
  const actor: Actor = `override:${override.id}`;
  const reason = `Override ${override.id} (${describeOverride(override)}: ${override.reason}) on ${target.kind} ${target.name} expired; the policy applies again`;
  await recordAudit(context.deps.documents, context.deps.auditTable, {
    target: keyOf(target),
    kind: 'override-expired',
    actor,
    reason,
    correlationId: context.correlationId,
    at: override.until,
    id: `${override.id}-expired`,
  });
  if (!(await claim(context, { ...state, override: undefined }))) return 'lost-race';
  await tryPublish(
    context.deps.eventBridge,
    context.deps.eventBus,
    operatorNotice,
    { severity: 'info', title: `Override on ${target.kind} ${target.name} expired`, text: reason, facts: [{ label: 'Override', value: describeOverride(override) }], target: keyOf(target), actor },
    context.correlationId,
    context.now,
    { logger: context.deps.logger },
  );
  return 'override-expired';
}

async function recordConflict(context: TargetContext, owner: string): Promise<Outcome> {
  const { state, target, now } = context;
  if (state.conflict) return 'conflict';
  const reason = `${owner} manages ${target.kind} ${target.name}; euc-autopilot leaves it alone`;
  // No window or usage rule caused this: the policy that selects the target did. The audit schema
  // has no actor for a policy, and `schedule:<name>` alone reads as a window; `policy-` tells them apart.
  const actor: Actor = `schedule:policy-${context.policy.name}`;
  // Audit first, then claim (see the dry run in reconcileTarget).
  await audit(context, 'conflict', actor, undefined, reason);
  if (!(await claim(context, { ...state, conflict: { since: now, reason } }))) return 'lost-race';
  await tryPublish(
    context.deps.eventBridge,
    context.deps.eventBus,
    scalingConflict,
    { ...eventBase(context, actor, target.desired, target.desired, reason), owner },
    context.correlationId,
    now,
    { logger: context.deps.logger },
  );
  return 'conflict';
}

async function recordDeferral(
  context: TargetContext,
  decision: Decision,
  schedule: ScheduleValue,
  next: Omit<TargetState, 'target' | 'version'>,
): Promise<Outcome> {
  const actor = actorOf(decision, schedule);
  const reason = `${decision.reason}; deferred while the ${context.target.kind} is ${context.target.state}`;
  // Audit first, then claim (see the dry run in reconcileTarget).
  await audit(context, 'deferred', actor, decision, reason);
  if (!(await claim(context, next))) return 'lost-race';
  await tryPublish(
    context.deps.eventBridge,
    context.deps.eventBus,
    capacityChangeDeferred,
    { ...eventBase(context, actor, context.target.desired, decision.desired, reason), state: String(context.target.state) },
    context.correlationId,
    context.now,
    { logger: context.deps.logger },
  );
  return 'deferred';
}

async function audit(
  context: TargetContext,
  kind: 'dry-run' | 'deferred' | 'conflict',
  actor: Actor,
  decision: Decision | undefined,
  reason: string,
): Promise<void> {
  await recordAudit(context.deps.documents, context.deps.auditTable, {
    target: context.state.target,
    kind,
    actor,
    reason,
    before: context.target.desired,
    ...(decision ? { after: decision.desired } : {}),
    correlationId: context.correlationId,
    at: context.now,
    id: `${kind}-${context.correlationId}`,
  });
}

function eventBase(context: TargetContext, actor: Actor, before: number, after: number, reason: string) {
  const { target } = context;
  return { target: keyOf(target), targetName: target.name, kind: target.kind, before, after, unit: target.unit, reason, actor, dryRun: isDryRun(context) };
}

function isDryRun({ policy, file }: Pick<TargetContext, 'policy' | 'file'>): boolean {
  return policy.dryRun ?? file.defaults.dryRun;
}

/**
 * An ELASTIC fleet's capacity (MaxConcurrentSessions) cannot be 0: AppStream refuses it. Its
 * floor is 1 whatever the policy says; such fleets cost nothing while nobody streams anyway.
 */
export function withTargetLimits(policy: Policy, target: ManagedTarget): Policy {
  return target.capacityModel === 'fleet-elastic' && policy.min < 1 ? { ...policy, min: 1, max: Math.max(policy.max, 1) } : policy;
}

/**
 * Only AUTO_STOP pools stop (an ALWAYS_ON pool is meant to stay up; fleets stop whatever their
 * type): for any other pool an off-hours stop becomes "stay at 0".
 */
function onlyStopWhatStops(target: ManagedTarget, decision: Decision): Decision {
  if (decision.action !== 'stop' || target.kind !== 'pool' || target.runningMode === 'AUTO_STOP') return decision;
  return {
    ...decision,
    action: decision.desired === target.desired ? 'none' : 'set',
    reason: `${decision.reason} (the pool is not AUTO_STOP, so it stays running at ${decision.desired})`,
  };
}

/** Who caused a decision, for the audit trail: the window, the usage rules, or the policy's limits. */
export function actorOf(decision: Decision, schedule: ScheduleValue): Actor {
  if (decision.cause === 'usage' || decision.cause === 'active-sessions') return 'usage';
  if (schedule.source.kind === 'window') return `schedule:${schedule.source.window}`;
  if (schedule.source.kind === 'calendar') return `schedule:calendar-${schedule.source.calendar}`;
  if (schedule.source.kind === 'override') return `override:${schedule.source.id}`;
  return 'schedule:off-hours';
}

function scheduleOf({ file, policy, now }: TargetContext): ScheduleValue {
  return evaluateSchedule(policy, file.calendars, policy.timeZone ?? file.defaults.timeZone, now);
}

export function observedOf(target: ManagedTarget): Observed {
  const known = ['RUNNING', 'STOPPED', 'STARTING', 'STOPPING', 'UPDATING', 'CREATING', 'DELETING'] as const;
  const state = (known as readonly string[]).includes(target.state) ? (target.state as Observed['state']) : 'OTHER';
  return { state, desired: target.desired, actual: target.actual, active: target.active, available: target.available };
}

export function keyOf(target: Pick<ManagedTarget, 'kind' | 'id'>): string {
  return `${target.kind}/${target.id}`;
}

/**
 * Step Functions execution names: 1–80 characters of [A-Za-z0-9-_]. The readable part is cut and
 * has `.` etc. mapped to `_`, so two targets could share it: 8 hex of the full key's sha256 keep
 * them apart. 57 + 9 (`-<hash>`) + 13 (`-<YYYYMMDDHHMM>`) = 79.
 */
export function executionName(target: Pick<ManagedTarget, 'kind' | 'id'>, now: number): string {
  const minute = new Date(now).toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const hash = createHash('sha256').update(keyOf(target)).digest('hex').slice(0, 8);
  return `${target.kind}-${target.id.replace(/[^A-Za-z0-9-_]/g, '_')}`.slice(0, 57) + `-${hash}-${minute}`;
}

/** Every policy's selectors in one list (one listTargets call), with the way back to the policy. */
export function flattenSelectors(file: PolicyFile): { selectors: TargetSelector[]; policyOfSelector: (index: number) => Policy } {
  const owners: Policy[] = [];
  const selectors = file.policies.flatMap((policy) => policy.targets.map((selector) => (owners.push(policy), selector)));
  return { selectors, policyOfSelector: (index) => owners[index]! };
}
