import { z } from 'zod';
import type { Actor } from '#lib/audit/entry.ts';
import { callBasics, isFailure, parseApiCall, readPart, type Failure, type ParseFailureReason } from '#lib/events/cloudtrail-call.ts';

/**
 * The WorkSpaces API calls that can start an application deployment, read from the "AWS API Call
 * via CloudTrail" events EventBridge delivers.
 *
 * Input: anything (an EventBridge event, hopefully). Output: the call — which WorkSpaces it
 * concerns, which application if one, who made it, when and where — or why there is none. Pure:
 * it never throws, whatever it is given, and it never trusts the event for state (the caller
 * re-reads the WorkSpace's associations before acting; events may be duplicated or missed).
 *
 * Primary course: lib/events/cloudtrail-call.ts reads the event (size, envelope, source
 * aws.workspaces, a supported `eventName`, `errorCode` → 'failed-call': a refused call changed
 * nothing, so it starts nothing; the detail's ids, time and caller), then the WorkSpace and
 * application ids come from its parameters in CloudTrail's lowerCamelCase. A PascalCase key
 * (`WorkspaceId`) is 'malformed', said in words: the SDK's shape, not CloudTrail's, means the
 * event was not written by CloudTrail.
 *
 * Where the WorkSpace ids come from:
 * - Associate/DisassociateWorkspaceApplication, ModifyWorkspaceProperties: `requestParameters.workspaceId`;
 * - StartWorkspaces: `requestParameters.startWorkspaceRequests[].workspaceId`;
 * - CreateWorkspaces: `responseElements.pendingRequests[].workspaceId` (the request has no ids yet);
 *   none when CloudTrail recorded no response.
 */

export const SUPPORTED_EVENT_NAMES = [
  'AssociateWorkspaceApplication',
  'DisassociateWorkspaceApplication',
  'CreateWorkspaces',
  'ModifyWorkspaceProperties',
  'StartWorkspaces',
] as const;
export type WorkspacesEventName = (typeof SUPPORTED_EVENT_NAMES)[number];

export const WORKSPACES_SOURCE = 'aws.workspaces';
export { CLOUDTRAIL_DETAIL_TYPE, MAX_EVENT_BYTES } from '#lib/events/cloudtrail-call.ts';

/** As the WorkSpaces API documents them. */
const WORKSPACE_ID = /^ws-[0-9a-z]{8,63}$/;
const APPLICATION_ID = /^wsa-[0-9a-z]{8,63}$/;

export interface WorkspacesApiCall {
  /** CloudTrail's `eventID`: the same call delivered twice carries the same id. */
  eventId: string;
  eventName: WorkspacesEventName;
  /** Distinct, in the order the event lists them; may be empty (CreateWorkspaces with no response recorded). */
  workspaceIds: string[];
  /** Associate/DisassociateWorkspaceApplication only. */
  applicationId?: string;
  /**
   * Who made the call, as the audit table names actors: the principal's ARN, else
   * `service:<invokedBy>` (an AWS service acting on its own), else `principal:<principalId>`.
   */
  actor: Actor;
  /** `eventTime`, epoch milliseconds. */
  at: number;
  region: string;
  account: string;
}

export type { ParseFailureReason };

export type ParsedApiCall = { ok: true; call: WorkspacesApiCall } | Failure;

const workspaceId = z.string().regex(WORKSPACE_ID, 'must be a WorkSpace id (ws-…)');
const applicationId = z.string().regex(APPLICATION_ID, 'must be an application id (wsa-…)');

const applicationCall = z.object({ workspaceId, applicationId });
const modifyCall = z.object({ workspaceId });
/**
 * StartWorkspaces and CreateWorkspaces take at most 25 WorkSpaces a call, so CloudTrail never
 * records more. A longer list is not CloudTrail's; acting on it would mean a Describe call per id
 * in one invocation, past its timeout, and Lambda retrying that.
 */
const MAX_WORKSPACES_PER_CALL = 25;
const workspaceList = z
  .array(z.object({ workspaceId }))
  .max(MAX_WORKSPACES_PER_CALL, `lists more than ${MAX_WORKSPACES_PER_CALL} WorkSpaces, the most one call takes`);
const startCall = z.object({ startWorkspaceRequests: workspaceList.min(1) });
const createResponse = z.object({ pendingRequests: workspaceList.optional() });

type Found = { workspaceIds: string[]; applicationId?: string };

const ACCEPTED = { [WORKSPACES_SOURCE]: { eventSource: 'workspaces.amazonaws.com', eventNames: SUPPORTED_EVENT_NAMES } };

export function parseWorkspacesApiCall(event: unknown): ParsedApiCall {
  const parsed = parseApiCall(event, ACCEPTED);
  if (!parsed.ok) return parsed;
  const { call } = parsed;
  const found = callFields(call.eventName, call.request, call.response);
  if (isFailure(found)) return found;
  return {
    ok: true,
    call: {
      ...callBasics(call),
      workspaceIds: [...new Set(found.workspaceIds)],
      ...(found.applicationId !== undefined ? { applicationId: found.applicationId } : {}),
    },
  };
}

/** The WorkSpace ids and application id an API call names, in CloudTrail's lowerCamelCase. */
function callFields(
  eventName: WorkspacesEventName,
  request: Record<string, unknown> | null,
  response: Record<string, unknown> | null,
): Found | Failure {
  switch (eventName) {
    case 'AssociateWorkspaceApplication':
    case 'DisassociateWorkspaceApplication': {
      const parsed = readPart(applicationCall, request, 'detail.requestParameters');
      if (isFailure(parsed)) return parsed;
      return { workspaceIds: [parsed.workspaceId], applicationId: parsed.applicationId };
    }
    case 'ModifyWorkspaceProperties': {
      const parsed = readPart(modifyCall, request, 'detail.requestParameters');
      if (isFailure(parsed)) return parsed;
      return { workspaceIds: [parsed.workspaceId] };
    }
    case 'StartWorkspaces': {
      const parsed = readPart(startCall, request, 'detail.requestParameters');
      if (isFailure(parsed)) return parsed;
      return { workspaceIds: parsed.startWorkspaceRequests.map((r) => r.workspaceId) };
    }
    case 'CreateWorkspaces': {
      if (response === null) return { workspaceIds: [] };
      const parsed = readPart(createResponse, response, 'detail.responseElements');
      if (isFailure(parsed)) return parsed;
      return { workspaceIds: (parsed.pendingRequests ?? []).map((r) => r.workspaceId) };
    }
  }
}
