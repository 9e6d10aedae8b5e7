import { createHash } from 'node:crypto';
import type { CaughtError } from '#lib/aws/caught-error.ts';
import type { Actor } from '#lib/audit/entry.ts';
import type { ApplicationSettings } from '#lib/policy/schema.ts';
import type { Direction } from './associations.ts';
import { backoffPolicy, type BackoffPolicy } from './backoff.ts';

/**
 * The input of the `deploy-applications` workflow (statemachines/deploy-applications.asl.yml),
 * written by whoever starts it (the CloudTrail reactor or the sweeper, lib/apps/start-deployment.ts)
 * and carried, updated, through every state: which WorkSpace, why, with which settings, and what
 * the workflow has seen and done so far. Everything the steps need is here, so a step is a pure
 * function of its input and what it reads from AWS, and a retried step sees the same input.
 */
export interface DeploymentRequest {
  workspaceId: string;
  /** What started the workflow: a CloudTrail event (with who made the call) or the sweeper. */
  trigger: DeploymentTrigger;
  /** Ties the audit items, domain events and logs of one workflow together. */
  correlationId: string;
  /** Epoch ms when the starter decided to start (the event's time, the sweep's time). */
  requestedAt: number;
  settings: DeploymentSettings;
  progress: DeploymentProgress;
  /** What the workflow knows about each application it is deploying, by application id. */
  applications: Record<string, ApplicationRecord>;
  /** Why the workflow cannot deploy to the WorkSpace at all (stopped by policy, terminated…). */
  unavailable?: string;
  /** Set by the workflow's Catch when a step failed for good. */
  error?: CaughtError;
}

export type DeploymentTrigger =
  | { source: 'cloudtrail'; eventId: string; eventName: string; actor: Actor; at: number }
  | { source: 'sweeper'; sweepId: string; at: number };

/** The policy file's `applications` settings that the workflow runs by, frozen at its start. */
export interface DeploymentSettings {
  stoppedWorkspaces: 'start' | 'report';
  backoff: BackoffPolicy;
}

export interface DeploymentProgress {
  /**
   * When the last look was due, epoch ms: the execution's start for the first look, then the
   * previous look's time plus the wait between them. A step's time is therefore the same for
   * every retry of it, so the audit items it writes are written once (their key includes the
   * time) and read in order. Unset before the first look.
   */
  lookAt?: number;
  /** When the workflow's first look was due (its start): the timeout counts from here. */
  startedAt?: number;
  /** Looks since the last deployment began (the backoff attempt: the next wait doubles with it). */
  looks: number;
  /** The wait before the next look, seconds (the workflow's Wait state reads it). */
  waitSeconds: number;
  /** DeployWorkspaceApplications calls accepted, Force ones included. */
  deploys: number;
  forceRedeploys: number;
  /** The workflow started the (STOPPED) WorkSpace. */
  startedWorkspace: boolean;
  /** Nothing more to do: the workflow goes to Finish. */
  done: boolean;
  /** Done because the policy's timeout passed with associations still unsettled. */
  timedOut?: boolean;
  /** The WorkSpace's State at the last look. */
  workspaceState?: string;
}

/** One application the workflow deals with, as it last saw it. */
export interface ApplicationRecord {
  name?: string;
  direction?: Direction;
  /** The association's State at the last look. */
  state?: string;
  /** For ERROR: the association's StateReason. */
  errorCode?: string;
  errorMessage?: string;
  /** Not deployed: the pre-check found the WorkSpace cannot take it; the reason in words. */
  incompatible?: string;
}

/** The workflow's settings from the policy file's `applications` section. */
export function deploymentSettings(applications: ApplicationSettings): DeploymentSettings {
  return {
    stoppedWorkspaces: applications.stoppedWorkspaces,
    backoff: backoffPolicy({
      initialSeconds: applications.firstWaitSeconds,
      maxSeconds: applications.maxWaitSeconds,
      timeoutSeconds: applications.timeoutMinutes * 60,
      maxForceRedeploys: applications.maxForceRedeploys,
    }),
  };
}

/**
 * The longest a deploy-applications execution runs: the settings' timeout (180 min at most,
 * lib/policy/schema.ts) plus one last look with its retries and the finish with its retries (well
 * under 15 min, see the ASL's Retry blocks). The state machine's TimeoutSeconds is this, a
 * backstop; the hold a starter writes (DEPLOYMENT_HOLD_MS) outlasts it, so no second workflow
 * starts on a WorkSpace while the first may still run.
 */
export const DEPLOYMENT_WORKFLOW_TIMEOUT_SECONDS = 4 * 3600;
export const DEPLOYMENT_HOLD_MS = DEPLOYMENT_WORKFLOW_TIMEOUT_SECONDS * 1000 + 15 * 60_000;
/** How often a WorkSpace being started, or not yet AVAILABLE, is looked at. */
export const START_POLL_SECONDS = 60;

/**
 * The execution name for a WorkSpace and what started the workflow: the same event (delivered
 * twice) gives the same name, which Step Functions starts once. Names are at most 80 characters of
 * [A-Za-z0-9-_]; WorkSpace ids are shorter than 64 and the trigger is hashed to 16 hex digits.
 */
export function deploymentExecutionName(workspaceId: string, trigger: DeploymentTrigger): string {
  const key = trigger.source === 'cloudtrail' ? `cloudtrail:${trigger.eventId}` : `sweeper:${trigger.sweepId}`;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${workspaceId.slice(0, 63)}-${hash}`;
}

/** The first input of a workflow; its times fill in at the first look (the execution's start). */
export function newDeploymentRequest(
  workspaceId: string,
  trigger: DeploymentTrigger,
  settings: DeploymentSettings,
): DeploymentRequest {
  const execution = deploymentExecutionName(workspaceId, trigger);
  return {
    workspaceId,
    trigger,
    correlationId: `deploy-${execution}`,
    requestedAt: trigger.at,
    settings,
    progress: {
      looks: 0,
      waitSeconds: 0,
      deploys: 0,
      forceRedeploys: 0,
      startedWorkspace: false,
      done: false,
    },
    applications: {},
  };
}

/** Who the workflow acts for: the principal whose call started it, or the sweeper. */
export function actorOf(request: DeploymentRequest): Actor {
  return request.trigger.source === 'cloudtrail' ? request.trigger.actor : 'sweeper';
}
