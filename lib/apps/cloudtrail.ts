import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import { actorSchema, type Actor } from '#lib/audit/entry.ts';

/**
 * The WorkSpaces API calls that can start an application deployment, read from the "AWS API Call
 * via CloudTrail" events EventBridge delivers.
 *
 * Input: anything (an EventBridge event, hopefully). Output: the call — which WorkSpaces it
 * concerns, which application if one, who made it, when and where — or why there is none. Pure:
 * it never throws, whatever it is given, and it never trusts the event for state (the caller
 * re-reads the WorkSpace's associations before acting; events may be duplicated or missed).
 *
 * Primary course:
 * 1. Oversize: EventBridge does not deliver events above 256 KB, so anything larger is not one.
 * 2. The envelope (the Powertools EventBridge schema); `source` aws.workspaces, detail-type
 *    "AWS API Call via CloudTrail", and one of the supported `eventName`s — else 'unsupported-event'.
 * 3. `errorCode` present → 'failed-call': a refused call changed nothing, so it starts nothing.
 * 4. The rest of the detail: `eventID`, `eventTime`, `userIdentity`, and `requestParameters` /
 *    `responseElements` in CloudTrail's lowerCamelCase. A PascalCase key (`WorkspaceId`) where
 *    CloudTrail writes lowerCamelCase is 'malformed', said in words: the SDK's shape, not
 *    CloudTrail's, means the event was not written by CloudTrail.
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

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
export const WORKSPACES_SOURCE = 'aws.workspaces';
/** EventBridge's limit on one event (PutEvents entry), in bytes. */
export const MAX_EVENT_BYTES = 256 * 1024;

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

export type ParseFailureReason = 'failed-call' | 'unsupported-event' | 'malformed';

export type ParsedApiCall =
  | { ok: true; call: WorkspacesApiCall }
  | { ok: false; reason: ParseFailureReason; detail: string };

const workspaceId = z.string().regex(WORKSPACE_ID, 'must be a WorkSpace id (ws-…)');
const applicationId = z.string().regex(APPLICATION_ID, 'must be an application id (wsa-…)');

/** Just enough to tell what the event is and whether the call failed. */
const headSchema = z.object({
  eventName: z.string().min(1),
  eventSource: z.string().optional(),
  errorCode: z.string().min(1).optional(),
  errorMessage: z.string().optional(),
});

/**
 * `userIdentity` as CloudTrail records it: IAM users, roles and root have an `arn`; AWS services
 * acting on their own have `invokedBy` instead.
 */
const userIdentitySchema = z.object({
  type: z.string().optional(),
  arn: z.string().min(1).optional(),
  principalId: z.string().min(1).optional(),
  invokedBy: z.string().min(1).optional(),
  userName: z.string().min(1).optional(),
});

const detailSchema = z.object({
  eventID: z.string().min(1).max(256),
  eventTime: z.iso.datetime({ offset: true }),
  userIdentity: userIdentitySchema,
  requestParameters: z.record(z.string(), z.unknown()).nullable().optional(),
  responseElements: z.record(z.string(), z.unknown()).nullable().optional(),
});

const applicationCall = z.object({ workspaceId, applicationId });
const modifyCall = z.object({ workspaceId });
const startCall = z.object({ startWorkspaceRequests: z.array(z.object({ workspaceId })).min(1) });
const createResponse = z.object({ pendingRequests: z.array(z.object({ workspaceId })).optional() });

type Found = { workspaceIds: string[]; applicationId?: string };
type Failure = Extract<ParsedApiCall, { ok: false }>;

export function parseWorkspacesApiCall(event: unknown): ParsedApiCall {
  try {
    return parse(event);
  } catch (error) {
    // Nothing below is expected to throw; a getter or proxy in a hand-made input might.
    return malformed(`event: could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

function parse(event: unknown): ParsedApiCall {
  const size = sizeOf(event);
  if (size === undefined) return malformed('event: not JSON-serializable');
  if (size > MAX_EVENT_BYTES) return malformed(`event: ${size} bytes, over EventBridge's ${MAX_EVENT_BYTES}-byte limit`);

  const envelope = EventBridgeSchema.safeParse(event);
  if (!envelope.success) return malformed(issues(envelope.error));
  const { source, account, region, id } = envelope.data;
  const detailType = envelope.data['detail-type'];
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) return unsupported(`detail-type: "${detailType}" is not "${CLOUDTRAIL_DETAIL_TYPE}"`);
  if (source !== WORKSPACES_SOURCE) return unsupported(`source: "${source}" is not "${WORKSPACES_SOURCE}"`);

  const head = headSchema.safeParse(envelope.data.detail);
  if (!head.success) return malformed(issues(head.error, ['detail']));
  const { eventName, eventSource, errorCode, errorMessage } = head.data;
  if (!isSupported(eventName)) return unsupported(`detail.eventName: ${eventName} does not start a deployment`);
  if (eventSource !== undefined && eventSource !== 'workspaces.amazonaws.com') {
    return unsupported(`detail.eventSource: "${eventSource}" is not workspaces.amazonaws.com`);
  }
  if (errorCode !== undefined) {
    const message = errorMessage ? `: ${errorMessage}` : '';
    return { ok: false, reason: 'failed-call', detail: `detail.errorCode: ${eventName} failed with ${errorCode}${message} (event ${id})` };
  }

  const detail = detailSchema.safeParse(envelope.data.detail);
  if (!detail.success) return malformed(issues(detail.error, ['detail']));
  const { eventID, eventTime, userIdentity, requestParameters, responseElements } = detail.data;

  const found = callFields(eventName, requestParameters ?? null, responseElements ?? null);
  if ('ok' in found) return found;

  const actor = actorOf(userIdentity);
  if (actor === undefined) return malformed('detail.userIdentity: has no IAM/STS arn, invokedBy or principalId');

  return {
    ok: true,
    call: {
      eventId: eventID,
      eventName,
      workspaceIds: [...new Set(found.workspaceIds)],
      ...(found.applicationId !== undefined ? { applicationId: found.applicationId } : {}),
      actor,
      at: Date.parse(eventTime),
      region,
      account,
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
      const parsed = read(applicationCall, request, 'detail.requestParameters');
      if ('ok' in parsed) return parsed;
      return { workspaceIds: [parsed.workspaceId], applicationId: parsed.applicationId };
    }
    case 'ModifyWorkspaceProperties': {
      const parsed = read(modifyCall, request, 'detail.requestParameters');
      if ('ok' in parsed) return parsed;
      return { workspaceIds: [parsed.workspaceId] };
    }
    case 'StartWorkspaces': {
      const parsed = read(startCall, request, 'detail.requestParameters');
      if ('ok' in parsed) return parsed;
      return { workspaceIds: parsed.startWorkspaceRequests.map((r) => r.workspaceId) };
    }
    case 'CreateWorkspaces': {
      if (response === null) return { workspaceIds: [] };
      const parsed = read(createResponse, response, 'detail.responseElements');
      if ('ok' in parsed) return parsed;
      return { workspaceIds: (parsed.pendingRequests ?? []).map((r) => r.workspaceId) };
    }
  }
}

/**
 * One part of the detail through its schema, after a look for PascalCase keys (the SDK's shape)
 * in it and in the objects of its arrays, so the error says what is wrong rather than "missing".
 */
function read<T>(schema: z.ZodType<T>, value: Record<string, unknown> | null, at: string): T | Failure {
  if (value === null) return malformed(`${at}: is null`);
  const pascal = pascalCaseKey(value, at);
  if (pascal) return malformed(pascal);
  const parsed = schema.safeParse(value);
  if (!parsed.success) return malformed(issues(parsed.error, at.split('.')));
  return parsed.data;
}

/** The first PascalCase key in the object or the objects of its arrays (one level), said in words. */
function pascalCaseKey(value: Record<string, unknown>, at: string): string | undefined {
  for (const [key, inner] of Object.entries(value)) {
    if (/^[A-Z]/.test(key)) {
      const camel = key.charAt(0).toLowerCase() + key.slice(1);
      return `${at}.${key}: PascalCase key; CloudTrail records lowerCamelCase (${camel})`;
    }
    if (Array.isArray(inner)) {
      for (const [index, item] of inner.entries()) {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
        const found = pascalCaseKey(item as Record<string, unknown>, `${at}.${key}.${index}`);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** The caller as an audit actor; undefined when CloudTrail recorded nothing usable. */
function actorOf(identity: z.infer<typeof userIdentitySchema>): Actor | undefined {
  const candidates = [
    identity.arn,
    identity.invokedBy && `service:${identity.invokedBy}`,
    identity.principalId && `principal:${identity.principalId}`,
  ];
  for (const candidate of candidates) {
    const parsed = actorSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

function isSupported(name: string): name is WorkspacesEventName {
  return (SUPPORTED_EVENT_NAMES as readonly string[]).includes(name);
}

/** The event's size as EventBridge counts it (UTF-8 JSON), or undefined when it is not JSON. */
function sizeOf(event: unknown): number | undefined {
  try {
    const json = JSON.stringify(event);
    return json === undefined ? undefined : Buffer.byteLength(json, 'utf8');
  } catch {
    return undefined;
  }
}

/** Zod issues as `path: message`, the path from the event's root. */
function issues(error: z.ZodError, prefix: readonly string[] = []): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${[...prefix, ...issue.path.map(String)].join('.') || 'event'}: ${issue.message}`)
    .join('; ');
}

function malformed(detail: string): Failure {
  return { ok: false, reason: 'malformed', detail };
}

function unsupported(detail: string): Failure {
  return { ok: false, reason: 'unsupported-event', detail };
}
