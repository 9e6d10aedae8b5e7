import type { OperatorNotice } from '#lib/events/operator-notice.ts';
import type { AssociationFailure, ClassifiedAssociation, Direction } from './associations.ts';

/**
 * The one Slack summary of a deploy-applications workflow, as an Operator Notice (the notifier
 * turns it into Block Kit, lib/notify/slack-message.ts).
 *
 * Input: the WorkSpace, each application's outcome, when the workflow started and ended, and who
 * associated the applications (the CloudTrail actor; none when the sweeper found them). Output: an
 * Operator Notice that always fits the notice contract, however many or long the names. Pure, total.
 *
 * Reads as: a title saying what happened on which WorkSpace (the application by name when there is
 * one, counts when there are several); one line per application in the text, with the error and
 * what to do for failures and the reason for incompatible ones; the WorkSpace, applications,
 * outcome counts, duration and actor as facts. Severity by the worst outcome: any failure is
 * critical; a timeout or an incompatible application is a warning; otherwise info.
 */

export type ApplicationOutcome = 'completed' | 'removed' | 'failed' | 'timed-out' | 'skipped-incompatible' | 'skipped-unavailable';

export type ApplicationResult = {
  applicationId: string;
  /** The application's Name from DescribeApplications, when known. */
  name?: string;
  /** Install or uninstall, when known. */
  direction?: Direction;
} & (
  | { outcome: 'completed' | 'removed' }
  | { outcome: 'failed'; failure: AssociationFailure; /** Force redeploys tried for it. */ forceRedeploys?: number }
  | { outcome: 'timed-out'; /** The association's state when time ran out. */ lastState?: string }
  | { outcome: 'skipped-incompatible'; /** From checkCompatibility: what does not match. */ reason: string }
  | { outcome: 'skipped-unavailable'; /** Why the WorkSpace could take no deployment (stopped by policy, terminated…). */ reason: string }
);

export interface DeploymentReport {
  workspaceId: string;
  applications: readonly ApplicationResult[];
  /** Epoch milliseconds. */
  startedAt: number;
  /** Epoch milliseconds. */
  finishedAt: number;
  /** Who associated the applications (a principal ARN from CloudTrail); none when the sweeper found them. */
  associatedBy?: string;
}

/** An association as the workflow last saw it, as the summary tells it: anything unsettled timed out. */
export function resultOf(association: ClassifiedAssociation, extra: { name?: string; forceRedeploys?: number } = {}): ApplicationResult {
  const base = {
    applicationId: association.applicationId,
    ...(extra.name !== undefined ? { name: extra.name } : {}),
  };
  switch (association.phase) {
    case 'terminal':
      if (association.outcome === 'completed') return { ...base, direction: 'install', outcome: 'completed' };
      if (association.outcome === 'removed') return { ...base, direction: 'uninstall', outcome: 'removed' };
      return {
        ...base,
        outcome: 'failed',
        failure: association.failure,
        ...(extra.forceRedeploys !== undefined ? { forceRedeploys: extra.forceRedeploys } : {}),
      };
    case 'pending':
    case 'in-progress':
      return { ...base, direction: association.direction, outcome: 'timed-out', ...lastState(association.state) };
    case 'unknown':
      return { ...base, outcome: 'timed-out', ...lastState(association.state) };
  }
}

const TITLE_MAX = 500;
const TEXT_MAX = 20_000;
const NAME_MAX = 100;
const FACT_MAX = 1_000;
const ACTOR_MAX = 2_048;
const AUTOPILOT = 'euc-autopilot';

const OUTCOME_ORDER: readonly ApplicationOutcome[] = ['completed', 'removed', 'failed', 'timed-out', 'skipped-incompatible', 'skipped-unavailable'];
const OUTCOME_WORDS: Record<ApplicationOutcome, string> = {
  completed: 'installed',
  removed: 'removed',
  failed: 'failed',
  'timed-out': 'timed out',
  'skipped-incompatible': 'skipped as incompatible',
  'skipped-unavailable': 'not deployed',
};

export function deploymentSummaryNotice(report: DeploymentReport): OperatorNotice {
  const { workspaceId, applications } = report;
  const duration = formatDuration(report.finishedAt - report.startedAt);
  const actor = report.associatedBy ? clip(report.associatedBy, ACTOR_MAX) : undefined;
  const facts: OperatorNotice['facts'] = [
    { label: 'WorkSpace', value: clip(workspaceId, FACT_MAX) },
    { label: 'Applications', value: clip(applications.map(nameOf).join(', ') || 'none', FACT_MAX) },
    { label: 'Outcome', value: counts(applications) || 'nothing to deploy' },
    { label: 'Duration', value: duration },
    { label: 'Associated by', value: actor ? principalName(actor) : 'unknown: found by the deployment sweeper' },
  ];
  const redeploys = Math.max(0, ...applications.map((a) => (a.outcome === 'failed' ? (a.forceRedeploys ?? 0) : 0)));
  if (redeploys > 0) facts.push({ label: 'Force redeploys', value: String(redeploys) });

  return {
    severity: severityOf(applications),
    title: clip(titleOf(workspaceId, applications), TITLE_MAX),
    text: clip(applications.map((a) => `• ${line(a, duration)}`).join('\n'), TEXT_MAX),
    facts,
    target: `workspace/${workspaceId}`,
    actor: actor ?? AUTOPILOT,
  };
}

export function severityOf(applications: readonly ApplicationResult[]): OperatorNotice['severity'] {
  if (applications.some((a) => a.outcome === 'failed')) return 'critical';
  if (applications.some((a) => a.outcome === 'timed-out' || a.outcome.startsWith('skipped-'))) return 'warning';
  return 'info';
}

function titleOf(workspaceId: string, applications: readonly ApplicationResult[]): string {
  const ws = `WorkSpace ${workspaceId}`;
  const [only, ...others] = applications;
  if (!only) return `No applications to deploy to ${ws}`;
  if (others.length > 0) return `Deployed applications to ${ws}: ${counts(applications)}`;
  const app = clip(only.name ?? (only.applicationId || 'an unknown application'), NAME_MAX);
  switch (only.outcome) {
    case 'completed':
      return `Installed ${app} on ${ws}`;
    case 'removed':
      return `Removed ${app} from ${ws}`;
    case 'failed':
      if (only.direction === 'install') return `Could not install ${app} on ${ws}`;
      if (only.direction === 'uninstall') return `Could not remove ${app} from ${ws}`;
      return `Could not deploy ${app} to ${ws}`;
    case 'timed-out':
      return `Timed out deploying ${app} to ${ws}`;
    case 'skipped-incompatible':
      return `Skipped ${app} on ${ws}: not compatible`;
    case 'skipped-unavailable':
      return `Could not deploy ${app} to ${ws}`;
  }
}

/** One application's line of the text. */
function line(result: ApplicationResult, duration: string): string {
  const who = nameOf(result);
  switch (result.outcome) {
    case 'completed':
      return `${who}: installed`;
    case 'removed':
      return `${who}: removed`;
    case 'failed': {
      const { code, message, retryable, whatToDo } = result.failure;
      const tries = result.forceRedeploys ? ` after ${plural(result.forceRedeploys, 'Force redeploy')}` : '';
      const kind = retryable ? '' : ' (not retryable)';
      return `${who}: failed${tries} with ${code}${kind}: ${message} What to do: ${whatToDo}`;
    }
    case 'timed-out': {
      const state = result.lastState ? `still ${result.lastState}` : 'not settled';
      return `${who}: ${state} when the workflow timed out after ${duration}. What to do: look at the association in the WorkSpaces console; the sweeper will pick it up again if it is still pending.`;
    }
    case 'skipped-incompatible':
      return `${who}: not deployed, not compatible: ${result.reason}`;
    case 'skipped-unavailable':
      return `${who}: not deployed: ${result.reason}`;
  }
}

/** `2 installed, 1 failed`, in a fixed order. */
function counts(applications: readonly ApplicationResult[]): string {
  return OUTCOME_ORDER.map((outcome) => [outcome, applications.filter((a) => a.outcome === outcome).length] as const)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${n} ${OUTCOME_WORDS[outcome]}`)
    .join(', ');
}

/** `Firefox (wsa-3kd9w2x7v)`, or the id alone. */
function nameOf(result: ApplicationResult): string {
  const id = clip(result.applicationId || 'unknown application', NAME_MAX);
  return result.name ? `${clip(result.name, NAME_MAX)} (${id})` : id;
}

/**
 * A principal as people say it: `alice (role WorkSpacesAdmin)` for an assumed role, `bob` for an
 * IAM user, `root (account …)`; anything else as given.
 */
export function principalName(actor: string): string {
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):(.+)$/.exec(actor);
  if (!match) return actor;
  const [, account, resource = ''] = match;
  const role = /^assumed-role\/([^/]+)\/(.+)$/.exec(resource);
  if (role) return `${role[2]} (role ${role[1]})`;
  const user = /^user\/(?:.*\/)?([^/]+)$/.exec(resource);
  if (user) return `${user[1]}`;
  if (resource === 'root') return `root (account ${account})`;
  return resource;
}

/** `45 s`, `12 min 5 s`, `1 h 2 min`; `unknown` for a duration that is not a number. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  const seconds = Math.round(Math.max(0, ms) / 1000);
  const h = Math.floor(seconds / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return min > 0 ? `${h} h ${min} min` : `${h} h`;
  if (min > 0) return s > 0 ? `${min} min ${s} s` : `${min} min`;
  return `${s} s`;
}

function lastState(state: string | undefined): { lastState?: string } {
  return state ? { lastState: state } : {};
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
