import {
  DescribeApplicationAssociationsCommand,
  DescribeApplicationsCommand,
  DescribeWorkspacesCommand,
  type WorkSpacesClient,
} from '@aws-sdk/client-workspaces';
import { isHeld, parkedState, readDeploymentHolds } from './deployment-hold.ts';
import type { DeploymentSettings } from './deployment-request.ts';
import { startDeployment, type StarterDeps, type StartOutcome } from './start-deployment.ts';

/**
 * The deployment sweeper's pass: CloudTrail delivery to EventBridge is best effort, so every
 * association left PENDING_INSTALL / PENDING_UNINSTALL longer than the grace period gets a
 * workflow, unless one is running on its WorkSpace or its problem was already reported.
 *
 * Primary course:
 * 1. Every application (DescribeApplications, paged), then each one's WorkSpace associations
 *    (DescribeApplicationAssociations, paged): the stale pending ones, by WorkSpace.
 * 2. The WorkSpaces' holds, in one batch: a WorkSpace held by a running workflow is covered.
 * 3. A WorkSpace whose stale applications were all parked by the last workflow (incompatible, or
 *    the WorkSpace could take none) is left alone — reported once, not every sweep — unless the
 *    WorkSpace's state changed since (DescribeWorkspaces, 25 a call): a STOPPED WorkSpace that was
 *    only reported and now runs gets its deployment.
 * 4. The rest: one workflow each, named after the WorkSpace and the sweep (a sweep retried by
 *    Lambda starts the same executions, once).
 */
export interface SweepDeps extends StarterDeps {
  workspaces: WorkSpacesClient;
}

export interface SweepResult {
  applications: number;
  /** WorkSpaces with associations pending longer than the grace period. */
  stale: number;
  started: Array<{ workspaceId: string } & StartOutcome>;
  /** Left alone: their problem was reported by the last workflow and nothing changed since. */
  parked: string[];
  /** A workflow already runs on them. */
  covered: string[];
}

const PAGE = 25;
const PENDING = new Set(['PENDING_INSTALL', 'PENDING_UNINSTALL']);

export async function sweep(
  deps: SweepDeps,
  options: { sweepId: string; now: number; gracePeriodMs: number; settings: DeploymentSettings },
): Promise<SweepResult> {
  const applicationIds = await listApplicationIds(deps.workspaces);
  const stale = new Map<string, string[]>();
  for (const applicationId of applicationIds) {
    for (const workspaceId of await stalePendingWorkspaces(deps.workspaces, applicationId, options.now - options.gracePeriodMs)) {
      stale.set(workspaceId, [...(stale.get(workspaceId) ?? []), applicationId]);
    }
  }

  const holds = await readDeploymentHolds(deps.documents, deps.stateTable, [...stale.keys()]);
  const covered = [...stale.keys()].filter((id) => isHeld(holds.get(id), options.now));
  const candidates = [...stale].filter(([id]) => !covered.includes(id));
  const parkedStates = await statesOf(deps.workspaces, candidates.filter(([id, apps]) => parkedState(holds.get(id), apps) !== undefined).map(([id]) => id));
  const parked = candidates.filter(([id, apps]) => {
    const state = parkedState(holds.get(id), apps);
    // Parked for incompatibility (no state recorded), or the WorkSpace is as it was when reported.
    return state !== undefined && (state === '' || parkedStates.get(id) === state);
  }).map(([id]) => id);

  const started: SweepResult['started'] = [];
  const trigger = { source: 'sweeper', sweepId: options.sweepId, at: options.now } as const;
  for (const [workspaceId] of candidates.filter(([id]) => !parked.includes(id))) {
    started.push({ workspaceId, ...(await startDeployment(deps, workspaceId, trigger, options.settings, options.now)) });
  }
  return { applications: applicationIds.length, stale: stale.size, started, parked, covered };
}

async function listApplicationIds(client: WorkSpacesClient): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new DescribeApplicationsCommand({ MaxResults: PAGE, NextToken }));
    for (const application of page.Applications ?? []) if (application.ApplicationId) ids.push(application.ApplicationId);
    NextToken = page.NextToken;
  } while (NextToken);
  return ids;
}

/** WorkSpaces where the application has waited in PENDING_* since before `before` (epoch ms). */
async function stalePendingWorkspaces(client: WorkSpacesClient, applicationId: string, before: number): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeApplicationAssociationsCommand({ ApplicationId: applicationId, AssociatedResourceTypes: ['WORKSPACE'], MaxResults: PAGE, NextToken }),
    );
    for (const association of page.Associations ?? []) {
      const since = (association.LastUpdatedTime ?? association.Created)?.getTime();
      if (association.AssociatedResourceId && PENDING.has(association.State ?? '') && since !== undefined && since < before) {
        ids.push(association.AssociatedResourceId);
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return ids;
}

/** The states of WorkSpaces, 25 a call (DescribeWorkspaces' limit). */
async function statesOf(client: WorkSpacesClient, workspaceIds: readonly string[]): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  for (let i = 0; i < workspaceIds.length; i += PAGE) {
    const { Workspaces = [] } = await client.send(new DescribeWorkspacesCommand({ WorkspaceIds: workspaceIds.slice(i, i + PAGE) }));
    for (const workspace of Workspaces) if (workspace.WorkspaceId && workspace.State) states.set(workspace.WorkspaceId, workspace.State);
  }
  return states;
}
