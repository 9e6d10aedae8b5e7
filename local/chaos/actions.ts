import type { AuditRecord } from '#lib/audit/entry.ts';
import type { CloudTrailEvent } from '../cloudtrail.ts';

/**
 * What was done to the account, read from the CloudTrail record (every mutating call the
 * emulators applied, with its caller), not from what the product says it did: the ground truth
 * the audit table and the duplicate count are checked against.
 */
export interface Action {
  at: number;
  /** `pool/<id>`, `fleet/<name>`, `workspace/<id>`. */
  target: string;
  operation: string;
  /** The function that called (`capacityChangeStep`…), or `operator`. */
  by: string;
  /** The capacity set, for updates. */
  value?: number;
  /** DeployWorkspaceApplications with Force. */
  force?: boolean;
  eventID: string;
}

/** Audit kinds an action of euc-autopilot must have (one item per call). */
const AUDITED: Record<string, AuditRecord['kind'][]> = {
  UpdateWorkspacesPool: ['capacity-changed'],
  UpdateFleet: ['capacity-changed'],
  StartWorkspacesPool: ['started'],
  StartFleet: ['started'],
  StartWorkspaces: ['started'],
  StopWorkspacesPool: ['stopped'],
  StopFleet: ['stopped'],
  DeployWorkspaceApplications: ['deployment-started', 'deployment-retried'],
};

/** The operator's calls that start a deployment's story on a WorkSpace. */
const ASSOCIATIONS = ['AssociateWorkspaceApplication', 'DisassociateWorkspaceApplication'];

const FUNCTION_PREFIX = 'euc-autopilot-local-';

/** Successful calls that change a pool, a fleet or a WorkSpace, in time order. */
export function actionsOf(cloudTrail: readonly CloudTrailEvent[]): Action[] {
  return cloudTrail
    .filter((event) => !event.detail.errorCode && (event.detail.eventName in AUDITED || ASSOCIATIONS.includes(event.detail.eventName)))
    .map((event) => {
      const request = event.detail.requestParameters ?? {};
      const session = /:assumed-role\/[^/]+\/(.+)$/.exec(event.detail.userIdentity.arn)?.[1];
      const capacity = (request.capacity ?? request.computeCapacity) as Record<string, number> | undefined;
      const value = capacity?.desiredUserSessions ?? capacity?.desiredInstances ?? capacity?.desiredSessions;
      return {
        at: Date.parse(event.detail.eventTime),
        target: targetOf(request),
        operation: event.detail.eventName,
        by: session?.startsWith(FUNCTION_PREFIX) ? session.slice(FUNCTION_PREFIX.length) : 'operator',
        ...(value === undefined ? {} : { value }),
        ...(request.force === undefined ? {} : { force: request.force === true }),
        eventID: event.detail.eventID,
      };
    });
}

function targetOf(request: Record<string, unknown>): string {
  if (typeof request.poolId === 'string') return `pool/${request.poolId}`;
  if (typeof request.name === 'string') return `fleet/${request.name}`;
  if (typeof request.workspaceId === 'string') return `workspace/${request.workspaceId}`;
  const started = (request.startWorkspaceRequests as Array<{ workspaceId?: string }> | undefined)?.[0]?.workspaceId;
  return `workspace/${started ?? '?'}`;
}

/**
 * euc-autopilot's actions with no audit item of theirs. Each action takes one item of its target
 * and kind (and value, for capacity) written between 75 min before it (the workflow's longest
 * wait before acting; an item carries the time of the look before its step) and a minute after.
 */
export function unaudited(actions: readonly Action[], audit: readonly AuditRecord[]): Action[] {
  const unused = [...audit];
  const missing: Action[] = [];
  for (const action of actions) {
    const kinds = AUDITED[action.operation];
    if (!kinds || action.by === 'operator') continue;
    const index = unused.findIndex(
      (item) =>
        item.target === action.target &&
        kinds.includes(item.kind) &&
        (action.value === undefined || item.after === action.value) &&
        item.at <= action.at + 60_000 &&
        item.at >= action.at - 75 * 60_000,
    );
    if (index < 0) missing.push(action);
    else unused.splice(index, 1);
  }
  return missing;
}

/**
 * Actions of euc-autopilot that repeat what is already so: a capacity set to the value the target
 * was last set to, a start or stop right after the same, a deployment without Force made again
 * with no (dis)association on that WorkSpace since the last one.
 */
export function repeated(actions: readonly Action[], initial: ReadonlyMap<string, number>): Action[] {
  const lastValue = new Map(initial);
  const lastPower = new Map<string, string>();
  const deployedSinceChange = new Set<string>();
  const found: Action[] = [];
  for (const action of actions) {
    const ours = action.by !== 'operator';
    switch (action.operation) {
      case 'UpdateWorkspacesPool':
      case 'UpdateFleet':
        if (ours && action.value !== undefined && lastValue.get(action.target) === action.value) found.push(action);
        if (action.value !== undefined) lastValue.set(action.target, action.value);
        break;
      case 'StartWorkspacesPool':
      case 'StartFleet':
      case 'StopWorkspacesPool':
      case 'StopFleet': {
        const power = action.operation.startsWith('Start') ? 'start' : 'stop';
        if (ours && lastPower.get(action.target) === power) found.push(action);
        lastPower.set(action.target, power);
        break;
      }
      case 'AssociateWorkspaceApplication':
      case 'DisassociateWorkspaceApplication':
        deployedSinceChange.delete(action.target);
        break;
      case 'DeployWorkspaceApplications':
        if (action.force) break;
        if (deployedSinceChange.has(action.target)) found.push(action);
        deployedSinceChange.add(action.target);
        break;
    }
  }
  return found;
}
