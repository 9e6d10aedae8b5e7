import { z } from 'zod';
import type { Actor } from '#lib/audit/entry.ts';
import { callBasics, isFailure, parseApiCall, readPart, type Failure } from '#lib/events/cloudtrail-call.ts';
import type { TargetKind } from '#lib/targets/index.ts';

/**
 * The pool and fleet calls the CloudTrail reactor hears (lib/events/cloudtrail-call.ts reads the
 * event): a capacity change, a start or stop, a creation or deletion, whoever made it. Output: the
 * target, what was done, the new capacity for an update, who and when — or why there is none. Pure.
 *
 * Where the target comes from: WorkSpaces Pools by `requestParameters.poolId` (CreateWorkspacesPool
 * by `responseElements.workspacesPool.poolId`: the request has no id yet; none when CloudTrail
 * recorded no response), AppStream fleets by `requestParameters.name`. The new capacity of an
 * update: `capacity.desiredUserSessions` (pools), `computeCapacity.desiredInstances` or
 * `.desiredSessions` (fleets); an update that changes something else has none.
 */
export const POOL_EVENT_NAMES = ['UpdateWorkspacesPool', 'StartWorkspacesPool', 'StopWorkspacesPool', 'CreateWorkspacesPool', 'TerminateWorkspacesPool'] as const;
export const FLEET_EVENT_NAMES = ['UpdateFleet', 'StartFleet', 'StopFleet', 'CreateFleet', 'DeleteFleet'] as const;
type CapacityEventName = (typeof POOL_EVENT_NAMES)[number] | (typeof FLEET_EVENT_NAMES)[number];

export type CapacityAction = 'update' | 'start' | 'stop' | 'create' | 'delete';

export interface CapacityApiCall {
  eventId: string;
  eventName: CapacityEventName;
  action: CapacityAction;
  target: { kind: TargetKind; id: string };
  /** For an update that sets the capacity: the new value, in the target's unit. */
  capacity?: number;
  actor: Actor;
  at: number;
  region: string;
  account: string;
}

export type ParsedCapacityCall = { ok: true; call: CapacityApiCall } | Failure;

const ACCEPTED = {
  'aws.workspaces': { eventSource: 'workspaces.amazonaws.com', eventNames: POOL_EVENT_NAMES },
  'aws.appstream': { eventSource: 'appstream.amazonaws.com', eventNames: FLEET_EVENT_NAMES },
};

const ACTIONS: Record<CapacityEventName, CapacityAction> = {
  UpdateWorkspacesPool: 'update',
  StartWorkspacesPool: 'start',
  StopWorkspacesPool: 'stop',
  CreateWorkspacesPool: 'create',
  TerminateWorkspacesPool: 'delete',
  UpdateFleet: 'update',
  StartFleet: 'start',
  StopFleet: 'stop',
  CreateFleet: 'create',
  DeleteFleet: 'delete',
};

const capacity = z.number().int().min(0);
const poolId = z.string().regex(/^wspool-[0-9a-z]{9}$/, 'must be a pool id (wspool-…)');
const fleetName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/, 'must be a fleet name');
const poolCall = z.object({ poolId, capacity: z.object({ desiredUserSessions: capacity }).optional() });
const poolCreated = z.object({ workspacesPool: z.object({ poolId }) });
const fleetCall = z.object({
  name: fleetName,
  computeCapacity: z.object({ desiredInstances: capacity.optional(), desiredSessions: capacity.optional() }).optional(),
});

export function parseCapacityApiCall(event: unknown): ParsedCapacityCall {
  const parsed = parseApiCall(event, ACCEPTED);
  if (!parsed.ok) return parsed;
  const { call } = parsed;
  const found = targetOf(call.eventName, call.request, call.response);
  if (isFailure(found)) return found;
  return {
    ok: true,
    call: {
      ...callBasics(call),
      action: ACTIONS[call.eventName],
      target: found.target,
      ...(found.capacity !== undefined ? { capacity: found.capacity } : {}),
    },
  };
}

function targetOf(
  eventName: CapacityEventName,
  request: Record<string, unknown> | null,
  response: Record<string, unknown> | null,
): { target: CapacityApiCall['target']; capacity?: number } | Failure {
  if (eventName === 'CreateWorkspacesPool') {
    const created = readPart(poolCreated, response, 'detail.responseElements');
    if (isFailure(created)) return created;
    return { target: { kind: 'pool', id: created.workspacesPool.poolId } };
  }
  if ((POOL_EVENT_NAMES as readonly string[]).includes(eventName)) {
    const pool = readPart(poolCall, request, 'detail.requestParameters');
    if (isFailure(pool)) return pool;
    const desired = pool.capacity?.desiredUserSessions;
    return { target: { kind: 'pool', id: pool.poolId }, ...(desired !== undefined ? { capacity: desired } : {}) };
  }
  const fleet = readPart(fleetCall, request, 'detail.requestParameters');
  if (isFailure(fleet)) return fleet;
  const desired = fleet.computeCapacity?.desiredInstances ?? fleet.computeCapacity?.desiredSessions;
  return { target: { kind: 'fleet', id: fleet.name }, ...(eventName === 'UpdateFleet' && desired !== undefined ? { capacity: desired } : {}) };
}
