import type { Workspace, WorkspaceState } from '@aws-sdk/client-workspaces';

/**
 * Whether a WorkSpace can take a deployment now (DeployWorkspaceApplications needs it AVAILABLE:
 * installers run on the WorkSpace itself), and if not, what the workflow does about it. Pure.
 *
 * - AVAILABLE → 'ready'.
 * - STOPPED → 'stopped-start' or 'stopped-report', by the policy's `applications.stoppedWorkspaces`
 *   (an AutoStop WorkSpace stops when idle; starting it costs its hourly rate until it stops again).
 * - TERMINATING, TERMINATED, ERROR, SUSPENDED, or not found → 'gone': nothing can be deployed.
 * - any other state (PENDING, STARTING, REBOOTING, MAINTENANCE, UNHEALTHY, a state added later…)
 *   → 'not-yet': it may become AVAILABLE; look again until the workflow's timeout.
 */
export type Readiness =
  | { kind: 'ready' }
  | { kind: 'stopped-start' }
  | { kind: 'stopped-report'; reason: string }
  | { kind: 'not-yet'; state: string }
  | { kind: 'gone'; reason: string };

const GONE: ReadonlySet<string> = new Set<WorkspaceState>(['TERMINATING', 'TERMINATED', 'ERROR', 'SUSPENDED']);

export function workspaceReadiness(workspace: Workspace | undefined, stoppedWorkspaces: 'start' | 'report'): Readiness {
  if (!workspace) return { kind: 'gone', reason: 'the WorkSpace no longer exists' };
  const state = workspace.State ?? 'UNKNOWN';
  if (state === 'AVAILABLE') return { kind: 'ready' };
  if (state === 'STOPPED') {
    if (stoppedWorkspaces === 'start') return { kind: 'stopped-start' };
    return {
      kind: 'stopped-report',
      reason: 'the WorkSpace is STOPPED and the policy (applications.stoppedWorkspaces: report) says not to start it; the applications deploy once it runs again',
    };
  }
  if (GONE.has(state)) return { kind: 'gone', reason: `the WorkSpace is ${state}` };
  return { kind: 'not-yet', state };
}
