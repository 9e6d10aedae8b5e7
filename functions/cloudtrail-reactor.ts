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
import { deploymentStarterEnvironment } from './support/deployment-starter.ts';

/**
 * cloudtrail-reactor: WorkSpaces API calls (CloudTrail, through EventBridge) that may leave
 * applications to deploy — an application associated or disassociated, WorkSpaces created,
 * started or modified. For each WorkSpace the call names it re-reads the associations (the event
 * says what was asked, not what is) and starts the deploy-applications workflow when one is
 * PENDING_INSTALL or PENDING_UNINSTALL — except on a mere start of a WorkSpace whose pending
 * applications were all reported incompatible already.
 *
 * Never retried forever: a failed call (errorCode), an event it does not handle and a malformed
 * event are logged and dropped, the invocation succeeds. Only AWS trouble (StartExecution or a
 * Describe failing after the SDK's retries) fails the invocation, which Lambda retries (twice)
 * and then hands to the on-failure queue. At-least-once delivery is safe: see
 * lib/apps/start-deployment.ts.
 */
const { settings, workspaces, starter } = deploymentStarterEnvironment();
const logger = new Logger();

type Reaction = { workspaceId: string } & (StartOutcome | { outcome: 'nothing-pending' | 'no-workspace' | 'parked' });

export interface ReactorResult {
  /** What the event was: handled, or why not. */
  event: 'handled' | 'failed-call' | 'unsupported-event' | 'malformed' | 'auto-deploy-off';
  reactions: Reaction[];
}

async function cloudtrailReactor(event: unknown, context: Context): Promise<ReactorResult> {
  const parsed = parseWorkspacesApiCall(event);
  if (!parsed.ok) {
    // A refused call changed nothing; the others are not ours, or broken: none is worth a retry.
    const log = parsed.reason === 'malformed' ? logger.error.bind(logger) : logger.info.bind(logger);
    log('Event ignored; it is not retried', { reason: parsed.reason, detail: parsed.detail });
    return { event: parsed.reason, reactions: [] };
  }
  const { call } = parsed;
  logger.appendKeys({ correlationId: `cloudtrail-${call.eventId}`, eventName: call.eventName });
  if (!settings.autoDeploy) {
    logger.info('Automatic deployment is off (applications.autoDeploy: false); nothing started', { workspaceIds: call.workspaceIds });
    return { event: 'auto-deploy-off', reactions: [] };
  }

  const deps = starter(context);
  const trigger: DeploymentTrigger = { source: 'cloudtrail', eventId: call.eventId, eventName: call.eventName, actor: call.actor, at: call.at };
  const reactions: Reaction[] = [];
  for (const workspaceId of call.workspaceIds) {
    const reaction = await react(deps, workspaceId, trigger, call.eventName);
    logger.info('Reacted', { ...reaction });
    reactions.push(reaction);
  }
  return { event: 'handled', reactions };
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
    const { Associations = [] } = await workspaces.send(
      new DescribeWorkspaceAssociationsCommand({ WorkspaceId: workspaceId, AssociatedResourceTypes: ['APPLICATION'] }),
    );
    return summarize(Associations).pendingApplicationIds;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

export const handler = middy(cloudtrailReactor).use(injectLambdaContext(logger, { resetKeys: true }));
