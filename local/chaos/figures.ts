import { actionsOf, repeated, unaudited, type Action } from './actions.ts';
import type { RunRecord, Sample } from './run.ts';
import type { OperatorAction } from './scenario.ts';

/**
 * The campaign's figures for one run (the goals: every one 0) and the comparison of the faulted
 * run's capacity, minute by minute, with the clean run's.
 */
export interface RunFigures {
  /** euc-autopilot's actions on the account (CloudTrail) with no audit item of theirs. */
  auditLost: Action[];
  /** The same action applied again (actions.ts `repeated`). */
  duplicateActions: Action[];
  /** Two workflows of one state machine on one target (pool, fleet or WorkSpace) at the same time. */
  overlappingWorkflows: Array<[string, string]>;
  /** Operator (dis)associations the WorkSpace can take that no workflow reported completed. */
  deploymentsNotCompleted: Array<{ action: OperatorAction; state: string }>;
  /**
   * Those made so shortly before the end that they may rightly be unfinished (the sweeper's 30 min
   * grace for an event never delivered, then the install): still pending or installing at the end.
   */
  deploymentsUnderWay: Array<{ action: OperatorAction; state: string }>;
  /** Minutes × targets whose desired capacity was below the sessions in use. */
  belowInUse: Sample[];
  /** Notices (events to the notifier) neither in a Slack message nor recorded notification-undelivered nor waiting in a digest. */
  slackLost: Array<{ eventId: string; detailType: string; what: string }>;
  context: Record<string, number>;
}

export function runFigures(run: RunRecord): RunFigures {
  const actions = actionsOf(run.cloudTrail);
  const ours = actions.filter((action) => action.by !== 'operator');
  const notices = noticesOf(run);
  const undelivered = new Set(run.audit.filter((item) => item.kind === 'notification-undelivered').map((item) => item.id));
  const waiting = new Set(run.waitingInDigests);
  return {
    auditLost: unaudited(actions, run.audit),
    duplicateActions: repeated(actions, initialCapacity(run)),
    overlappingWorkflows: overlappingWorkflows(run),
    ...deploymentOutcomes(run),
    belowInUse: run.samples.filter((sample) => sample.desired < sample.inUse),
    slackLost: notices.filter((notice) => !undelivered.has(notice.eventId) && !waiting.has(notice.eventId) && !inSlack(run, notice)),
    context: {
      'actions by euc-autopilot': ours.length,
      'audit items': run.audit.length,
      'workflow runs': run.executions.length,
      'failed workflow runs': run.executions.filter((execution) => execution.status !== 'SUCCEEDED' && execution.status !== 'RUNNING').length,
      notices: notices.length,
      'Slack posts accepted': run.slackStats.delivered,
      'Slack posts refused': run.slackStats.rejected,
      'notification-undelivered items': undelivered.size,
      'notices waiting in a digest at the end': waiting.size,
      'CloudTrail events': run.cloudTrailDelivery.length,
      'CloudTrail events never delivered': run.cloudTrailDelivery.filter((record) => record.copies === 0).length,
      'CloudTrail events delivered twice': run.cloudTrailDelivery.filter((record) => record.copies === 2).length,
      'overlapping ticks': run.deliveries.filter((delivery) => delivery.overlapping).length,
      'Lambda crashes after a call': run.crashes.length,
      'asynchronous retries': run.deliveries.filter((delivery) => delivery.attempt > 0).length,
      'capacity-change-failed items': run.audit.filter((item) => item.kind === 'capacity-change-failed').length,
      'deployment-completed items': run.audit.filter((item) => item.kind === 'deployment-completed').length,
      'deployment-skipped items': run.audit.filter((item) => item.kind === 'deployment-skipped').length,
      'operator actions refused': run.refused.length,
    },
  };
}

export interface DecisionDiff {
  compared: number;
  /** Minutes × targets whose desired capacity differs. */
  differing: number;
  episodes: Episode[];
}

/** A run of consecutive differing minutes on one target, and how it reads. */
export interface Episode {
  target: string;
  from: number;
  minutes: number;
  clean: number[];
  faulted: number[];
  /** `delayed` when each faulted value is the clean value of at most `lagMinutes` earlier or later. */
  explanation: 'delayed' | 'other';
  lagMinutes: number;
}

/** How far a faulted value may trail or lead the clean run's and still read as the same decision, late or early. */
const MAX_LAG_MINUTES = 15;

export function compareDecisions(clean: RunRecord, faulted: RunRecord): DecisionDiff {
  const cleanAt = new Map(clean.samples.map((sample) => [`${sample.target}@${sample.at}`, sample.desired]));
  const differing = faulted.samples.filter((sample) => {
    const value = cleanAt.get(`${sample.target}@${sample.at}`);
    return value !== undefined && value !== sample.desired;
  });
  const episodes: Episode[] = [];
  for (const sample of differing) {
    const last = episodes.findLast((episode) => episode.target === sample.target);
    const cleanValue = cleanAt.get(`${sample.target}@${sample.at}`)!;
    if (last && last.from + last.minutes * 60_000 === sample.at) {
      last.minutes += 1;
      last.clean.push(cleanValue);
      last.faulted.push(sample.desired);
    } else {
      episodes.push({ target: sample.target, from: sample.at, minutes: 1, clean: [cleanValue], faulted: [sample.desired], explanation: 'other', lagMinutes: 0 });
    }
  }
  for (const episode of episodes) {
    const lag = lagOf(episode, cleanAt);
    if (lag !== undefined) Object.assign(episode, { explanation: 'delayed', lagMinutes: lag });
  }
  return { compared: faulted.samples.filter((sample) => cleanAt.has(`${sample.target}@${sample.at}`)).length, differing: differing.length, episodes };
}

/** The smallest lag (minutes, either way) at which the clean run had every value the faulted run shows. */
function lagOf(episode: Episode, cleanAt: Map<string, number>): number | undefined {
  for (let lag = 1; lag <= MAX_LAG_MINUTES; lag += 1) {
    for (const sign of [1, -1]) {
      const fits = episode.faulted.every((value, minute) => cleanAt.get(`${episode.target}@${episode.from + (minute - sign * lag) * 60_000}`) === value);
      if (fits) return lag;
    }
  }
  return undefined;
}

interface Notice {
  eventId: string;
  at: number;
  detailType: string;
  /** Texts the Slack message about it contains. */
  parts: string[];
  what: string;
}

/** Every event that reached the notifier's rule, once, with what its Slack message must say. */
function noticesOf(run: RunRecord): Notice[] {
  const seen = new Map<string, Notice>();
  for (const delivery of run.deliveries) {
    if (!delivery.rule.includes('notifier') || seen.has(delivery.eventId)) continue;
    const data = ((delivery.detail as { data?: Record<string, unknown> } | undefined)?.data ?? {}) as Record<string, unknown>;
    const parts =
      typeof data.title === 'string'
        ? [data.title]
        : [String(data.targetName ?? data.target ?? ''), ...(data.before !== undefined && data.after !== undefined ? [`${data.before} → ${data.after}`] : [])];
    seen.set(delivery.eventId, { eventId: delivery.eventId, at: Date.parse(delivery.at), detailType: delivery.detailType, parts, what: parts.join(' ') });
  }
  return [...seen.values()];
}

function inSlack(run: RunRecord, notice: Notice): boolean {
  return run.slack.some((message) => message.at >= notice.at - 60_000 && notice.parts.every((part) => textOf(message.payload).includes(part)));
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return '';
  return Object.values(value).map(textOf).join('\n');
}

function initialCapacity(run: RunRecord): Map<string, number> {
  const seed = run.scenario.seed as {
    workspaces?: { pools?: Array<{ PoolId: string; Capacity: { DesiredUserSessions: number } }> };
    appstream?: { fleets?: Array<{ Name: string; ComputeCapacity: { DesiredInstances: number } }> };
  };
  return new Map([
    ...(seed.workspaces?.pools ?? []).map((pool) => [`pool/${pool.PoolId}`, pool.Capacity.DesiredUserSessions] as const),
    ...(seed.appstream?.fleets ?? []).map((fleet) => [`fleet/${fleet.Name}`, fleet.ComputeCapacity.DesiredInstances] as const),
  ]);
}

function overlappingWorkflows(run: RunRecord): Array<[string, string]> {
  const keyed = run.executions.map((execution) => {
    const input = (execution.input ?? {}) as { target?: { kind: string; id: string }; workspaceId?: string };
    const subject = input.target ? `${input.target.kind}/${input.target.id}` : `workspace/${input.workspaceId}`;
    return { ...execution, key: `${execution.stateMachine} ${subject}`, start: Date.parse(execution.startDate), stop: execution.stopDate ? Date.parse(execution.stopDate) : Infinity };
  });
  const pairs: Array<[string, string]> = [];
  keyed.forEach((a, index) => {
    for (const b of keyed.slice(index + 1)) {
      if (a.key === b.key && a.start < b.stop && b.start < a.stop) pairs.push([a.name, b.name]);
    }
  });
  return pairs;
}

const IN_FLIGHT = ['PENDING_INSTALL', 'PENDING_UNINSTALL', 'INSTALLING', 'UNINSTALLING'];
/** The sweeper's grace (30 min) + its period (15 min) + a deployment's timeout (60 min). */
const LATE_MS = 105 * 60_000;

/**
 * Each (dis)association the operator made that the WorkSpace can take must have a
 * `deployment-completed` item naming the application on that WorkSpace after it (before the next
 * action on the same pair), and the last one on a pair must have left the association COMPLETED
 * (installs) or REMOVED/gone (uninstalls).
 */
function deploymentOutcomes(run: RunRecord): Pick<RunFigures, 'deploymentsNotCompleted' | 'deploymentsUnderWay'> {
  const seed = run.scenario.seed as {
    workspaces: {
      workspaces: Array<{ WorkspaceId: string; WorkspaceProperties: { OperatingSystemName: string; ComputeTypeName: string } }>;
      applications: Array<{ ApplicationId: string; Name: string; SupportedOperatingSystemNames: string[]; SupportedComputeTypeNames: string[] }>;
    };
  };
  const missing: Array<{ action: OperatorAction; state: string }> = [];
  const underWay: Array<{ action: OperatorAction; state: string }> = [];
  const pairs = run.scenario.actions.filter((action): action is Extract<OperatorAction, { applicationId: string }> => action.kind === 'associate' || action.kind === 'disassociate');
  pairs.forEach((action, index) => {
    const app = seed.workspaces.applications.find((candidate) => candidate.ApplicationId === action.applicationId)!;
    const properties = seed.workspaces.workspaces.find((candidate) => candidate.WorkspaceId === action.workspaceId)!.WorkspaceProperties;
    const fits = app.SupportedOperatingSystemNames.includes(properties.OperatingSystemName) && app.SupportedComputeTypeNames.includes(properties.ComputeTypeName);
    if (!fits) return;
    const next = pairs.slice(index + 1).find((later) => later.workspaceId === action.workspaceId && later.applicationId === action.applicationId);
    const until = next?.at ?? Infinity;
    const completed = run.audit.some(
      (item) => item.kind === 'deployment-completed' && item.target === `workspace/${action.workspaceId}` && item.at >= action.at && item.at < until && item.reason.includes(app.Name),
    );
    const state = run.associations.get(action.workspaceId)?.find((association) => association.AssociatedResourceId === action.applicationId)?.State ?? 'none';
    const settled = next !== undefined || (action.kind === 'associate' ? state === 'COMPLETED' : state === 'REMOVED' || state === 'none');
    if (completed && settled) return;
    const late = next === undefined && IN_FLIGHT.includes(state) && run.scenario.to - action.at < LATE_MS;
    (late ? underWay : missing).push({ action, state: `${state}${completed ? '' : ', no deployment-completed item'}` });
  });
  return { deploymentsNotCompleted: missing, deploymentsUnderWay: underWay };
}
