import { DescribeWorkspaceAssociationsCommand, ResourceNotFoundException } from '@aws-sdk/client-workspaces';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { summarize } from '#lib/apps/associations.ts';
import { parseWorkspacesApiCall } from '#lib/apps/cloudtrail.ts';
import { parkedState, readDeploymentHolds } from '#lib/apps/deployment-hold.ts';
import { deploymentSettings, type DeploymentTrigger } from '#lib/apps/deployment-request.ts';
import { startDeployment, type StarterDeps, type StartOutcome } from '#lib/apps/start-deployment.ts';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { eventBridgeClient } from '#lib/aws/clients.ts';
import { parseCapacityApiCall } from '#lib/capacity/cloudtrail.ts';
import { reactToCapacityCall, type CapacityReaction } from '#lib/capacity/manual-change.ts';
import { requireEnv } from '#lib/config/env.ts';
import { furthestRefusal, type Failure } from '#lib/events/cloudtrail-call.ts';
import { deploymentStarterEnvironment } from './support/deployment-starter.ts';

/**
 * cloudtrail-reactor: WorkSpaces and AppStream API calls (CloudTrail, through EventBridge).
 *
 * - Calls that may leave applications to deploy — an application associated or disassociated,
 *   WorkSpaces created, started or modified: for each WorkSpace the call names it re-reads the
 *   associations (the event says what was asked, not what is) and starts the deploy-applications
 *   workflow when one is PENDING_INSTALL or PENDING_UNINSTALL — except on a mere start of a
 *   WorkSpace whose pending applications were all reported incompatible already. (Dis)associations
 *   are audited on the WorkSpace with their actor.
 * - Pool and fleet calls (update, start, stop, create, delete) by anyone but euc-autopilot on a
 *   managed target: audited with the actor; a capacity change follows the policy's
 *   `onManualChange` (lib/capacity/manual-change.ts).
 *
 * Events from another account or Region than this function's are refused with a log line: the
 * product acts on its own account and Region only.
 *
 * Never retried forever: a failed call (errorCode), an event it does not handle and a malformed
 * event are logged and dropped, the invocation succeeds. Only AWS trouble (StartExecution or a
 * Describe failing after the SDK's retries) fails the invocation, which Lambda retries (twice)
 * and then hands to the on-failure queue. At-least-once delivery is safe: see
 * lib/apps/start-deployment.ts.
 */
const { settings, clients, starter, policies } = deploymentStarterEnvironment();
const auditTable = requireEnv('AUDIT_TABLE_NAME');
const eventBus = requireEnv('EVENT_BUS_NAME');
/** Role sessions of euc-autopilot's own functions are named after them: `<service>-<stage>-<function>`. */
const ownPrefix = requireEnv('AUTOPILOT_FUNCTION_PREFIX');
const logger = new Logger();

type Reaction = { workspaceId: string } & (StartOutcome | { outcome: 'nothing-pending' | 'no-workspace' | 'parked' });

export interface ReactorResult {
  /** What the event was: handled, or why not. */
  event: 'handled' | 'failed-call' | 'unsupported-event' | 'malformed' | 'auto-deploy-off' | 'foreign';
  reactions: Reaction[];
  /** For a pool or fleet call: what was done about it. */
  capacity?: CapacityReaction;
}

async function cloudtrailReactor(event: unknown, context: Context): Promise<ReactorResult> {
  const parsed = parseCall(event);
  if (!parsed.ok) return ignored(parsed);
  const { call } = parsed;
  logger.appendKeys({ correlationId: `cloudtrail-${call.eventId}`, eventName: call.eventName });
  const foreign = foreignTo(context, call);
  if (foreign) {
    logger.warn('Event from another account or Region refused; it is not retried', { foreign });
    return { event: 'foreign', reactions: [] };
  }
  const deps = starter(context);
  if ('target' in call) {
    const capacity = await reactToCapacityCall({ ...deps, clients, eventBridge: eventBridgeClient(), auditTable, eventBus, logger }, policies, call, isOwnCall);
    logger.info('Reacted', { target: `${call.target.kind}/${call.target.id}`, action: call.action, capacity });
    return { event: 'handled', reactions: [], capacity };
  }
  if (call.applicationId && (call.eventName === 'AssociateWorkspaceApplication' || call.eventName === 'DisassociateWorkspaceApplication')) {
    const associated = call.eventName === 'AssociateWorkspaceApplication';
    await recordAudit(deps.documents, auditTable, {
      target: `workspace/${call.workspaceIds[0]}`,
      kind: associated ? 'application-associated' : 'application-disassociated',
      actor: call.actor,
      reason: `${call.eventName}: application ${call.applicationId} ${associated ? 'associated with' : 'disassociated from'} WorkSpace ${call.workspaceIds[0]} by ${call.actor}`,
      correlationId: `cloudtrail-${call.eventId}`,
      at: call.at,
      id: `ct-${call.eventId}`,
    });
  }
  if (!settings.autoDeploy) {
    logger.info('Automatic deployment is off (applications.autoDeploy: false); nothing started', { workspaceIds: call.workspaceIds });
    return { event: 'auto-deploy-off', reactions: [] };
  }

  const trigger: DeploymentTrigger = { source: 'cloudtrail', eventId: call.eventId, eventName: call.eventName, actor: call.actor, at: call.at };
  const reactions: Reaction[] = [];
  for (const workspaceId of call.workspaceIds) {
    const reaction = await react(deps, workspaceId, trigger, call.eventName);
    logger.info('Reacted', { ...reaction });
    reactions.push(reaction);
  }
  return { event: 'handled', reactions };
}

/**
 * The call as the parser that handles it reads it. Refused by both, the refusal that got further
 * says why (the event source of a call one of them knows, rather than "not a call this handles").
 */
function parseCall(event: unknown): ReturnType<typeof parseWorkspacesApiCall> | ReturnType<typeof parseCapacityApiCall> {
  const workspaces = parseWorkspacesApiCall(event);
  if (workspaces.ok || workspaces.reason !== 'unsupported-event') return workspaces;
  const capacity = parseCapacityApiCall(event);
  if (capacity.ok || capacity.reason !== 'unsupported-event') return capacity;
  return furthestRefusal(workspaces, capacity);
}

/** A call euc-autopilot made itself: Lambda names a function's role session after the function. */
function isOwnCall(actor: string): boolean {
  return actor.includes(':assumed-role/') && (actor.split('/').at(-1) ?? '').startsWith(ownPrefix);
}

/** Logged and dropped: a refused call changed nothing; the others are not ours, or broken. None is worth a retry. */
function ignored(failure: Failure): ReactorResult {
  const log = failure.reason === 'malformed' ? logger.error.bind(logger) : logger.info.bind(logger);
  log('Event ignored; it is not retried', { reason: failure.reason, detail: failure.detail });
  return { event: failure.reason, reactions: [] };
}

/** Why the call is not this deployment's (another account or Region), or undefined. */
function foreignTo(context: Context, call: { account: string; region: string }): string | undefined {
  const [, , , region, account] = (context.invokedFunctionArn ?? '').split(':');
  if (account && call.account !== account) return `account ${call.account}, not ${account}`;
  const ownRegion = region || process.env.AWS_REGION;
  if (ownRegion && call.region !== ownRegion) return `Region ${call.region}, not ${ownRegion}`;
  return undefined;
}

async function react(deps: StarterDeps, workspaceId: string, trigger: DeploymentTrigger, eventName: string): Promise<Reaction> {
  const pending = await pendingApplications(workspaceId);
  if (pending === undefined) return { workspaceId, outcome: 'no-workspace' };
  if (pending.length === 0) return { workspaceId, outcome: 'nothing-pending' };
  if (eventName === 'StartWorkspaces' && (await parkedAsIncompatible(deps, workspaceId, pending))) {
    // Starting a WorkSpace does not make an application compatible: reported once is enough.
    return { workspaceId, outcome: 'parked' };
  }
  // The input is derived from the call (a redelivered event starts the same workflow); the hold
  // is timed from now, however late the event came.
  return { workspaceId, ...(await startDeployment(deps, workspaceId, trigger, deploymentSettings(settings), Date.now())) };
}

/** Whether the last workflow reported every one of these applications as incompatible with the WorkSpace. */
async function parkedAsIncompatible(deps: StarterDeps, workspaceId: string, applicationIds: readonly string[]): Promise<boolean> {
  const holds = await readDeploymentHolds(deps.documents, deps.stateTable, [workspaceId]);
  return parkedState(holds.get(workspaceId), applicationIds) === '';
}

/** The applications waiting for a deployment on the WorkSpace; undefined when it does not exist. */
async function pendingApplications(workspaceId: string): Promise<string[] | undefined> {
  try {
    const { Associations = [] } = await clients.workspaces.send(
      new DescribeWorkspaceAssociationsCommand({ WorkspaceId: workspaceId, AssociatedResourceTypes: ['APPLICATION'] }),
    );
    return summarize(Associations).pendingApplicationIds;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

export const handler = middy(cloudtrailReactor).use(injectLambdaContext(logger, { resetKeys: true }));
