import {
  DeployWorkspaceApplicationsCommand,
  DescribeApplicationsCommand,
  DescribeWorkspaceAssociationsCommand,
  DescribeWorkspacesCommand,
  ResourceNotFoundException,
  StartWorkspacesCommand,
  type WorkSpaceApplication,
  type Workspace,
  type WorkSpacesClient,
  type WorkspaceResourceAssociation,
} from '@aws-sdk/client-workspaces';
import { errorText } from '#lib/aws/caught-error.ts';
import type { AuditKind } from '#lib/audit/entry.ts';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { applicationDeployment, type DeploymentTransition } from '#lib/events/deployment-events.ts';
import { operatorNotice } from '#lib/events/operator-notice.ts';
import { tryPublish } from '#lib/events/publish.ts';
import type { WorkflowStepDeps } from '#lib/workflow/step-deps.ts';
import { failureOf, summarize, type ClassifiedAssociation } from './associations.ts';
import { nextDeployStep, nextWait, waitOrTimeout } from './backoff.ts';
import { checkCompatibility } from './compatibility.ts';
import { releaseDeployment, type ParkedDeployment } from './deployment-hold.ts';
import { actorOf, START_POLL_SECONDS, type ApplicationRecord, type DeploymentRequest } from './deployment-request.ts';
import { deploymentSummaryNotice, type ApplicationResult } from './summary.ts';
import { workspaceReadiness } from './workspace-readiness.ts';

/**
 * The two steps of the `deploy-applications` workflow (statemachines/deploy-applications.asl.yml):
 * `advance`, run at the start and after every wait, and `finish`. Each takes the request as the
 * workflow carries it and returns it updated; the waiting is the workflow's (Wait states cost
 * nothing while they wait, and one look per wait keeps billed transitions few).
 *
 * advance — look at the WorkSpace and its application associations, then do the one thing due:
 * 1. The WorkSpace gone or broken (TERMINATED, ERROR…) → nothing can be deployed: done.
 * 2. Applications seen pending for the first time are named (DescribeApplications) and, for
 *    installs, checked against the WorkSpace (operating system, compute type, application state):
 *    an incompatible one is recorded and reported, never deployed on purpose.
 * 3. Nothing left to deploy or wait for → done.
 * 4. The WorkSpace STOPPED (AutoStop) → start it (policy `start`), or report it (policy `report`).
 *    Any other state on its way (STARTING, PENDING, MAINTENANCE…) → look again in a minute (a
 *    start the workflow did not record, found STARTING, is recorded first: `recordStartUnderWay`).
 * 5. AVAILABLE → `nextDeployStep`: deploy (Force=false) what is pending, redeploy with Force what
 *    failed with a retryable reason (up to the limit), or wait for what is installing — looks
 *    30 s… apart, doubling from the policy's first wait to its cap, until the policy's timeout.
 *
 * finish — report: one audit item and one domain event per outcome (completed, failed, timed out,
 * skipped), one Slack summary for the whole workflow, and release the WorkSpace's hold, recording
 * what is parked so the sweeper does not report it again every 15 minutes.
 *
 * Audit time: a step writes its items at the time of its look (`progress.lookAt`), derived from
 * the input alone, so a retried step writes the same items (the key includes the time).
 */
export interface DeploymentDeps extends WorkflowStepDeps {
  workspaces: WorkSpacesClient;
  /** When the execution started, epoch ms (`$$.Execution.StartTime`): the time of the first look. */
  executionStart: number;
}

/** DescribeApplications takes at most this many ids per call. */
const APPLICATIONS_PER_CALL = 25;

export async function advanceStep(input: DeploymentRequest, deps: DeploymentDeps): Promise<DeploymentRequest> {
  const { progress } = input;
  const lookAt = progress.lookAt === undefined ? deps.executionStart : progress.lookAt + progress.waitSeconds * 1000;
  const startedAt = progress.startedAt ?? lookAt;
  let request: DeploymentRequest = { ...input, progress: { ...progress, lookAt, startedAt } };

  const workspace = await describeWorkspace(deps.workspaces, request.workspaceId);
  // Terminated and gone: no association is left to deploy or to report.
  if (!workspace) return unavailable(request, 'the WorkSpace no longer exists', undefined);
  const readiness = workspaceReadiness(workspace, request.settings.stoppedWorkspaces);
  request = { ...request, progress: { ...request.progress, ...(workspace.State ? { workspaceState: workspace.State } : {}) } };

  const associations = await describeAssociations(deps.workspaces, request.workspaceId);
  request = await track(request, deps, workspace, associations);
  // Still there but unable to take any deployment (ERROR, SUSPENDED…): reported, application by application.
  if (readiness.kind === 'gone') return unavailable(request, readiness.reason, workspace.State);
  const summary = summarize(associations);
  const incompatible = new Set(Object.entries(request.applications).filter(([, app]) => app.incompatible).map(([id]) => id));
  const deployable = {
    ...summary,
    pendingApplicationIds: summary.pendingApplicationIds.filter((id) => !incompatible.has(id)),
    retryableApplicationIds: summary.retryableApplicationIds.filter((id) => !incompatible.has(id)),
  };
  if (request.progress.deploys === 0) request = await recordDeploymentUnderWay(request, deps, summary.associations, incompatible);
  const step = nextDeployStep(deployable, request.progress, request.settings.backoff);
  if (step.action === 'finish') return done(request);

  switch (readiness.kind) {
    case 'stopped-report':
      return unavailable(request, readiness.reason, workspace.State);
    case 'stopped-start':
      return startWorkspace(request, deps);
    case 'not-yet':
      return waitAgain(await recordStartUnderWay(request, deps, readiness.state), START_POLL_SECONDS);
    case 'ready':
      break;
  }
  if (step.action === 'deploy') return deploy(request, deps, step.force, step.applicationIds);
  // Looks since the deployment began decide the wait: 60 s, 120 s, 240 s… (by default).
  const looks = request.progress.looks + 1;
  return waitAgain({ ...request, progress: { ...request.progress, looks } }, nextWait(looks, request.settings.backoff));
}

export async function finishStep(input: DeploymentRequest, deps: DeploymentDeps): Promise<DeploymentRequest> {
  const request = input.error && Object.keys(input.applications).length === 0 ? await withUnsettledApplications(input, deps) : input;
  const results = resultsOf(request);
  const at = request.progress.lookAt ?? deps.executionStart;
  if (results.length === 0) {
    deps.logger.info('Nothing to deploy any more; ending without a report', { workspaceId: request.workspaceId });
  } else {
    for (const outcome of outcomesOf(results, request)) {
      await audit(request, deps, outcome.kind, outcome.reason, at, outcome.error);
      const known = outcome.applicationIds.filter((id) => id !== '');
      await publish(request, deps, outcome.transition, known, outcome.reason, at, { error: outcome.error });
    }
    const notice = deploymentSummaryNotice({
      workspaceId: request.workspaceId,
      applications: results,
      startedAt: request.progress.startedAt ?? at,
      finishedAt: at,
      ...(request.trigger.source === 'cloudtrail' ? { associatedBy: request.trigger.actor } : {}),
    });
    await tryPublish(deps.eventBridge, deps.eventBus, operatorNotice, notice, request.correlationId, at, { logger: deps.logger });
  }
  const parked = parkedOf(request, results, at);
  const released = await releaseDeployment(deps.documents, deps.stateTable, {
    workspaceId: request.workspaceId,
    execution: deps.execution,
    now: at,
    ...(parked ? { parked } : {}),
  });
  if (!released) deps.logger.info('The WorkSpace was no longer held by this workflow; left its hold alone', { workspaceId: request.workspaceId });
  return request;
}

/**
 * A workflow that failed at its first look knows no application yet (the failed step's findings
 * are lost with it): one more look, so the report names what was left undeployed. Best effort —
 * when that look fails too, the report says "an unknown application".
 */
async function withUnsettledApplications(request: DeploymentRequest, deps: DeploymentDeps): Promise<DeploymentRequest> {
  try {
    const unsettled = summarize(await describeAssociations(deps.workspaces, request.workspaceId)).associations.filter((a) => a.phase !== 'terminal');
    const catalog = await describeApplications(deps.workspaces, unsettled.map((a) => a.applicationId));
    const applications = Object.fromEntries(
      unsettled.map((a) => {
        const name = catalog.get(a.applicationId)?.Name;
        return [a.applicationId, { ...recordOf(a), ...(name ? { name } : {}) }];
      }),
    );
    return { ...request, applications };
  } catch (error) {
    deps.logger.warn('Could not look at the associations to report the failure', { workspaceId: request.workspaceId, error: String(error) });
    return request;
  }
}

async function describeWorkspace(client: WorkSpacesClient, workspaceId: string): Promise<Workspace | undefined> {
  const { Workspaces = [] } = await client.send(new DescribeWorkspacesCommand({ WorkspaceIds: [workspaceId] }));
  return Workspaces.find((w) => w.WorkspaceId === workspaceId);
}

async function describeAssociations(client: WorkSpacesClient, workspaceId: string): Promise<WorkspaceResourceAssociation[]> {
  try {
    const { Associations = [] } = await client.send(
      new DescribeWorkspaceAssociationsCommand({ WorkspaceId: workspaceId, AssociatedResourceTypes: ['APPLICATION'] }),
    );
    return Associations;
  } catch (error) {
    // Terminated between the two calls: it has no associations any more.
    if (error instanceof ResourceNotFoundException) return [];
    throw error;
  }
}

/**
 * Brings the workflow's records up to date with what it sees: every association that is pending,
 * in progress or in a retryable ERROR is one of the workflow's (an old final ERROR is someone
 * else's news); those seen for the first time are named and, for installs, checked.
 */
async function track(
  request: DeploymentRequest,
  deps: DeploymentDeps,
  workspace: Workspace,
  associations: readonly WorkspaceResourceAssociation[],
): Promise<DeploymentRequest> {
  const summary = summarize(associations);
  const applications = { ...request.applications };
  const fresh: ClassifiedAssociation[] = [];
  for (const association of summary.associations) {
    const known = applications[association.applicationId];
    if (!known && !isOurs(association)) continue;
    if (!known) fresh.push(association);
    applications[association.applicationId] = { ...known, ...recordOf(association) };
  }
  if (fresh.length === 0) return { ...request, applications };

  const catalog = await describeApplications(deps.workspaces, fresh.map((a) => a.applicationId));
  for (const association of fresh) {
    const record = applications[association.applicationId]!;
    const application = catalog.get(association.applicationId);
    if (application?.Name) record.name = application.Name;
    if (record.direction !== 'install' || !application) continue;
    const compatibility = checkCompatibility(workspace.WorkspaceProperties ?? {}, application);
    if (!compatibility.compatible) {
      record.incompatible = compatibility.reason;
      const reason = `${nameOf(association.applicationId, record)} not deployed to WorkSpace ${request.workspaceId}: ${compatibility.reason}`;
      await audit(request, deps, 'deployment-skipped', reason, request.progress.lookAt!, undefined, `skipped-${association.applicationId}`);
      await publish(request, deps, 'skipped', [association.applicationId], compatibility.reason, request.progress.lookAt!);
    }
  }
  return { ...request, applications };
}

function isOurs(association: ClassifiedAssociation): boolean {
  if (association.phase !== 'terminal') return true;
  return association.outcome === 'error' && association.failure.retryable;
}

function recordOf(association: ClassifiedAssociation): ApplicationRecord {
  const record: ApplicationRecord = { ...(association.state ? { state: association.state } : {}) };
  if (association.phase === 'pending' || association.phase === 'in-progress') record.direction = association.direction;
  if (association.phase === 'terminal' && association.outcome === 'error') {
    record.errorCode = association.failure.code;
    record.errorMessage = association.failure.message;
  }
  return record;
}

async function describeApplications(client: WorkSpacesClient, ids: readonly string[]): Promise<Map<string, WorkSpaceApplication>> {
  const found = new Map<string, WorkSpaceApplication>();
  const unique = [...new Set(ids)].filter((id) => id !== '');
  for (let i = 0; i < unique.length; i += APPLICATIONS_PER_CALL) {
    const { Applications = [] } = await client.send(new DescribeApplicationsCommand({ ApplicationIds: unique.slice(i, i + APPLICATIONS_PER_CALL) }));
    for (const application of Applications) if (application.ApplicationId) found.set(application.ApplicationId, application);
  }
  return found;
}

async function startWorkspace(request: DeploymentRequest, deps: DeploymentDeps): Promise<DeploymentRequest> {
  const { FailedRequests = [] } = await deps.workspaces.send(new StartWorkspacesCommand({ StartWorkspaceRequests: [{ WorkspaceId: request.workspaceId }] }));
  const failed = FailedRequests[0];
  if (failed) {
    // Refused (it started meanwhile, or is being changed): look again in a minute rather than fail.
    deps.logger.info('StartWorkspaces refused; looking again', { workspaceId: request.workspaceId, error: failed.ErrorCode, message: failed.ErrorMessage });
    return waitAgain(request, START_POLL_SECONDS);
  }
  return waitAgain(await recordStart(request, deps, ''), START_POLL_SECONDS);
}

/**
 * A WorkSpace found STARTING that this workflow, whose policy starts STOPPED WorkSpaces, has not
 * recorded starting: an earlier attempt of this very step started it and its Lambda died before
 * the audit write (the workflow retries such a step with the same input), or — rarely — its user
 * or someone else started it in between. Either way it gets the `started` item the attempt would
 * have written (same id and time), once; the workflow waits for it as for any start.
 */
async function recordStartUnderWay(request: DeploymentRequest, deps: DeploymentDeps, state: string): Promise<DeploymentRequest> {
  if (state !== 'STARTING' || request.progress.startedWorkspace || request.settings.stoppedWorkspaces !== 'start') return request;
  return recordStart(request, deps, ' (found STARTING before its start call was recorded)');
}

/** The `started` item of the look (one per start: its id is the kind, its time the look's). */
async function recordStart(request: DeploymentRequest, deps: DeploymentDeps, note: string): Promise<DeploymentRequest> {
  await audit(request, deps, 'started', `Started WorkSpace ${request.workspaceId} (STOPPED, AutoStop) to deploy ${pendingNames(request)}${note}`, request.progress.lookAt!);
  return { ...request, progress: { ...request.progress, startedWorkspace: true } };
}

async function deploy(request: DeploymentRequest, deps: DeploymentDeps, force: boolean, applicationIds: string[]): Promise<DeploymentRequest> {
  try {
    await deps.workspaces.send(new DeployWorkspaceApplicationsCommand({ WorkspaceId: request.workspaceId, Force: force }));
  } catch (error) {
    // Someone else's deployment is running, or the WorkSpace stopped being AVAILABLE since the
    // look: both pass; look again in a minute.
    const name = (error as { name?: string }).name;
    if (name === 'ResourceInUseException' || name === 'OperationNotSupportedException') {
      deps.logger.info('Deployment not accepted now; looking again', { workspaceId: request.workspaceId, error: name });
      return waitAgain(request, START_POLL_SECONDS);
    }
    throw error;
  }
  const { progress } = request;
  const retry = progress.deploys > 0;
  const names = applicationIds.map((id) => nameOf(id, request.applications[id])).join(', ');
  const reason = force
    ? `Redeployed ${names} to WorkSpace ${request.workspaceId} with Force (retry ${progress.forceRedeploys + 1} of ${request.settings.backoff.maxForceRedeploys}) after a retryable error`
    : `Deploying ${names} to WorkSpace ${request.workspaceId}`;
  // One item per deployment of the workflow, however often the step is retried.
  await audit(request, deps, retry ? 'deployment-retried' : 'deployment-started', reason, progress.lookAt!, undefined, `deploy-${progress.deploys}`);
  await publish(request, deps, retry ? 'retried' : 'started', applicationIds, reason, progress.lookAt!, { force });
  const deployed: DeploymentRequest = {
    ...request,
    progress: { ...progress, deploys: progress.deploys + 1, forceRedeploys: progress.forceRedeploys + (force ? 1 : 0), looks: 0 },
  };
  return waitAgain(deployed, nextWait(0, request.settings.backoff));
}

/**
 * A deployment under way that this workflow has not recorded: an earlier attempt of this very step
 * deployed and its Lambda died before the audit write (the workflow retries such a step with the
 * same input), or — rarely — someone deployed by hand. Either way it gets the `deployment-started`
 * item and event the attempt would have written (same id and time), and counts as this workflow's
 * first deployment; the WorkSpace is not deployed to again.
 */
async function recordDeploymentUnderWay(
  request: DeploymentRequest,
  deps: DeploymentDeps,
  associations: readonly ClassifiedAssociation[],
  incompatible: ReadonlySet<string>,
): Promise<DeploymentRequest> {
  const underWay = associations.filter((a) => a.phase === 'in-progress' && !incompatible.has(a.applicationId)).map((a) => a.applicationId);
  if (underWay.length === 0) return request;
  const { progress } = request;
  const names = underWay.map((id) => nameOf(id, request.applications[id])).join(', ');
  const reason = `Deploying ${names} to WorkSpace ${request.workspaceId} (found under way before its deployment call was recorded)`;
  await audit(request, deps, 'deployment-started', reason, progress.lookAt!, undefined, 'deploy-0');
  await publish(request, deps, 'started', underWay, reason, progress.lookAt!, { force: false });
  return { ...request, progress: { ...progress, deploys: 1 } };
}

/**
 * Schedules the next look `seconds` from this one, shortened to end at the timeout; past the
 * timeout the workflow is done (and reports what is still unsettled as timed out).
 */
function waitAgain(request: DeploymentRequest, seconds: number): DeploymentRequest {
  const { progress } = request;
  const elapsedSeconds = (progress.lookAt! - progress.startedAt!) / 1000;
  const wait = waitOrTimeout(seconds, elapsedSeconds, request.settings.backoff.timeoutSeconds);
  if (wait === undefined) return done({ ...request, progress: { ...progress, timedOut: true } });
  return { ...request, progress: { ...progress, waitSeconds: wait } };
}

function done(request: DeploymentRequest): DeploymentRequest {
  return { ...request, progress: { ...request.progress, done: true, waitSeconds: 0 } };
}

function unavailable(request: DeploymentRequest, reason: string, state: string | undefined): DeploymentRequest {
  return done({ ...request, unavailable: reason, progress: { ...request.progress, ...(state ? { workspaceState: state } : {}) } });
}

/**
 * What became of each application the workflow dealt with, for the summary and the audit. A
 * workflow that failed before it saw any application still reports, as one unknown application.
 */
function resultsOf(request: DeploymentRequest): ApplicationResult[] {
  const failure = request.error ? errorText(request.error) : undefined;
  const applications: Array<[string, ApplicationRecord]> = Object.entries(request.applications);
  if (failure && applications.length === 0) applications.push(['', {}]);
  return applications.map(([applicationId, app]): ApplicationResult => {
    const base = { applicationId, ...(app.name ? { name: app.name } : {}), ...(app.direction ? { direction: app.direction } : {}) };
    if (app.incompatible) return { ...base, outcome: 'skipped-incompatible', reason: app.incompatible };
    if (app.state === 'COMPLETED') return { ...base, direction: 'install', outcome: 'completed' };
    if (app.state === 'REMOVED') return { ...base, direction: 'uninstall', outcome: 'removed' };
    if (app.state === 'ERROR') {
      const forceRedeploys = request.progress.forceRedeploys;
      return { ...base, outcome: 'failed', failure: failureOf({ ErrorCode: app.errorCode as never, ErrorMessage: app.errorMessage }), ...(forceRedeploys ? { forceRedeploys } : {}) };
    }
    if (failure) {
      return {
        ...base,
        outcome: 'failed',
        failure: {
          code: request.error?.Error ?? 'WorkflowError',
          message: failure,
          retryable: false,
          whatToDo: `The deployment workflow itself failed while the association was ${app.state ?? 'unsettled'}; look at execution ${request.correlationId.replace(/^deploy-/, '')} in Step Functions. The sweeper picks the association up again if it is still pending.`,
        },
      };
    }
    if (request.unavailable) return { ...base, outcome: 'skipped-unavailable', reason: request.unavailable };
    return { ...base, outcome: 'timed-out', ...(app.state ? { lastState: app.state } : {}) };
  });
}

interface Outcome {
  kind: AuditKind;
  transition: DeploymentTransition;
  applicationIds: string[];
  reason: string;
  error?: string;
}

/** One audit item and domain event per outcome present, incompatible skips excepted (recorded when found). */
function outcomesOf(results: readonly ApplicationResult[], request: DeploymentRequest): Outcome[] {
  const ws = `WorkSpace ${request.workspaceId}`;
  const names = (list: readonly ApplicationResult[]) => list.map((r) => nameOf(r.applicationId, request.applications[r.applicationId])).join(', ');
  const outcomes: Outcome[] = [];
  const settled = results.filter((r) => r.outcome === 'completed' || r.outcome === 'removed');
  if (settled.length > 0) {
    outcomes.push({ kind: 'deployment-completed', transition: 'completed', applicationIds: settled.map((r) => r.applicationId), reason: `Deployed to ${ws}: ${names(settled)}` });
  }
  const failed = results.flatMap((r) => (r.outcome === 'failed' ? [r] : []));
  if (failed.length > 0) {
    const error = failed.map((r) => `${r.applicationId}: ${r.failure.code}: ${r.failure.message}`).join('; ');
    outcomes.push({ kind: 'deployment-failed', transition: 'failed', applicationIds: failed.map((r) => r.applicationId), reason: `Could not deploy to ${ws}: ${names(failed)}`, error: clip(error) });
  }
  const timedOut = results.flatMap((r) => (r.outcome === 'timed-out' ? [r] : []));
  if (timedOut.length > 0) {
    const minutes = Math.round(request.settings.backoff.timeoutSeconds / 60);
    const state = request.progress.workspaceState;
    const waiting = state && state !== 'AVAILABLE' ? ` (the WorkSpace was ${state})` : '';
    const error = timedOut.map((r) => `${r.applicationId}: still ${r.lastState ?? 'unsettled'}`).join('; ');
    outcomes.push({ kind: 'deployment-timed-out', transition: 'timed-out', applicationIds: timedOut.map((r) => r.applicationId), reason: `Deployment to ${ws} not settled after ${minutes} min${waiting}: ${names(timedOut)}`, error: clip(error) });
  }
  const unavailable = results.filter((r) => r.outcome === 'skipped-unavailable');
  if (unavailable.length > 0) {
    outcomes.push({ kind: 'deployment-skipped', transition: 'skipped', applicationIds: unavailable.map((r) => r.applicationId), reason: `Not deployed to ${ws}: ${request.unavailable}` });
  }
  return outcomes;
}

/** What the sweeper should leave alone until something changes: incompatible applications, or all when the WorkSpace could take none. */
function parkedOf(request: DeploymentRequest, results: readonly ApplicationResult[], at: number): ParkedDeployment | undefined {
  const parked = results.filter((r) => r.outcome === 'skipped-incompatible' || r.outcome === 'skipped-unavailable').map((r) => r.applicationId);
  if (parked.length === 0) return undefined;
  return {
    at,
    applicationIds: parked,
    ...(request.unavailable && request.progress.workspaceState ? { workspaceState: request.progress.workspaceState } : {}),
  };
}

function pendingNames(request: DeploymentRequest): string {
  const pending = Object.entries(request.applications).filter(([, app]) => !app.incompatible && (app.state === 'PENDING_INSTALL' || app.state === 'PENDING_UNINSTALL'));
  return pending.map(([id, app]) => nameOf(id, app)).join(', ') || 'its applications';
}

function nameOf(applicationId: string, record: ApplicationRecord | undefined): string {
  return record?.name ? `${record.name} (${applicationId})` : applicationId;
}

function clip(text: string, max = 4000): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

async function audit(
  request: DeploymentRequest,
  deps: DeploymentDeps,
  kind: AuditKind,
  reason: string,
  at: number,
  error?: string,
  idSuffix: string = kind,
): Promise<void> {
  await recordAudit(deps.documents, deps.auditTable, {
    target: `workspace/${request.workspaceId}`,
    kind,
    actor: actorOf(request),
    reason: clip(reason),
    ...(error ? { error } : {}),
    correlationId: request.correlationId,
    at,
    id: `${deps.execution}-${idSuffix}`,
  });
}

async function publish(
  request: DeploymentRequest,
  deps: DeploymentDeps,
  transition: DeploymentTransition,
  applicationIds: string[],
  reason: string,
  at: number,
  extra: { force?: boolean; error?: string | undefined } = {},
): Promise<void> {
  await tryPublish(
    deps.eventBridge,
    deps.eventBus,
    applicationDeployment,
    {
      workspaceId: request.workspaceId,
      transition,
      applicationIds,
      reason: clip(reason),
      actor: actorOf(request),
      execution: deps.execution,
      ...(extra.force !== undefined ? { force: extra.force } : {}),
      ...(extra.error ? { error: extra.error } : {}),
    },
    request.correlationId,
    at,
    { logger: deps.logger },
  );
}
