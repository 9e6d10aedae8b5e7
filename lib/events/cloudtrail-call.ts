import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import { actorSchema, type Actor } from '#lib/audit/entry.ts';

/**
 * One AWS API call from an "AWS API Call via CloudTrail" event as EventBridge delivers it, for
 * the calls a caller cares about (the WorkSpaces application calls, the pool and fleet calls).
 * Pure and total: it never throws, whatever it is given, and never trusts the event for state.
 *
 * Primary course:
 * 1. Oversize: EventBridge does not deliver events above 256 KB, so anything larger is not one.
 * 2. The envelope (the Powertools EventBridge schema; a PutEvents entry — `Source`, `DetailType`,
 *    `Detail` — is named as such); detail-type "AWS API Call via CloudTrail", one of the accepted
 *    sources, and one of its accepted `eventName`s — else 'unsupported-event'.
 * 3. A detail member CloudTrail writes in lowerCamelCase found only in PascalCase (`ErrorCode`,
 *    `RequestParameters`) → 'malformed', said in words: read as absent, `ErrorCode` would turn a
 *    refused call into a successful one.
 * 4. `errorCode` present → 'failed-call': a refused call changed nothing.
 * 5. The rest of the detail: `eventID`, `eventTime`, `userIdentity`, and `requestParameters` /
 *    `responseElements` as CloudTrail writes them (lowerCamelCase; `readPart` says so in words
 *    when it finds the SDK's PascalCase instead).
 *
 * Every failure's `detail` starts with the path of the field at fault. Values quoted from the
 * event are cut to a few hundred characters: the detail goes into a log line, and an event may
 * carry 256 KB in one string.
 */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
/** EventBridge's limit on one event (PutEvents entry), in bytes. */
export const MAX_EVENT_BYTES = 256 * 1024;

/** What a caller accepts: per EventBridge source, the service's CloudTrail event source and the call names. */
export type AcceptedCalls<Name extends string> = Record<string, { eventSource: string; eventNames: readonly Name[] }>;

export interface ApiCall<Name extends string> {
  /** CloudTrail's `eventID`: the same call delivered twice carries the same id. */
  eventId: string;
  eventName: Name;
  source: string;
  request: Record<string, unknown> | null;
  response: Record<string, unknown> | null;
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
/** Where an unsupported event was refused, in the order the checks run. */
const REFUSAL_FIELDS = ['detail-type', 'source', 'detail.eventName', 'detail.eventSource'] as const;
export type RefusalField = (typeof REFUSAL_FIELDS)[number];
export type Failure = { ok: false; reason: ParseFailureReason; detail: string; refusedAt?: RefusalField };
export type Parsed<T> = { ok: true; call: T } | Failure;

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

/** The detail members CloudTrail writes that a caller reads (lowerCamelCase, as CloudTrail writes them). */
const DETAIL_MEMBERS = ['eventName', 'eventSource', 'errorCode', 'errorMessage', 'eventID', 'eventTime', 'userIdentity', 'requestParameters', 'responseElements'];

/** zod's own message for a member that is absent says "received undefined"; say "missing" instead. */
const PARSE_OPTIONS = {
  error: (issue: z.core.$ZodRawIssue) => {
    if (issue.code !== 'invalid_type' || issue.input !== undefined) return undefined;
    // A required `unknown` (the envelope's detail) expects "nonoptional", which says nothing.
    return issue.expected === 'nonoptional' ? 'missing' : `missing (expected ${issue.expected})`;
  },
};

const detailSchema = z.object({
  eventID: z.string().min(1).max(256),
  eventTime: z.iso.datetime({ offset: true }),
  userIdentity: userIdentitySchema,
  requestParameters: z.record(z.string(), z.unknown()).nullable().optional(),
  responseElements: z.record(z.string(), z.unknown()).nullable().optional(),
});

export function parseApiCall<Name extends string>(event: unknown, accepted: AcceptedCalls<Name>): Parsed<ApiCall<Name>> {
  try {
    return parse(event, accepted);
  } catch (error) {
    // Nothing below is expected to throw; a getter or proxy in a hand-made input might.
    return malformed(`event: could not be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

function parse<Name extends string>(event: unknown, accepted: AcceptedCalls<Name>): Parsed<ApiCall<Name>> {
  const size = sizeOf(event);
  if (size === undefined) return malformed('event: not JSON-serializable');
  if (size > MAX_EVENT_BYTES) return malformed(`event: ${size} bytes, over EventBridge's ${MAX_EVENT_BYTES}-byte limit`);
  if (isPutEventsEntry(event)) {
    return malformed('event: a PutEvents request entry (Source, DetailType, Detail), not an event as EventBridge delivers it ({ source, detail-type, detail, … })');
  }

  const envelope = EventBridgeSchema.safeParse(event, PARSE_OPTIONS);
  if (!envelope.success) return malformed(issues(envelope.error));
  const { source, account, region, id } = envelope.data;
  const detailType = envelope.data['detail-type'];
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) return unsupported('detail-type', `${quote(detailType)} is not "${CLOUDTRAIL_DETAIL_TYPE}"`);
  const service = Object.hasOwn(accepted, source) ? accepted[source] : undefined;
  if (!service) return unsupported('source', `${quote(source)} is not ${Object.keys(accepted).map((s) => `"${s}"`).join(' or ')}`);

  const pascal = pascalCaseMember(envelope.data.detail);
  if (pascal) return malformed(pascal);
  const head = headSchema.safeParse(envelope.data.detail, PARSE_OPTIONS);
  if (!head.success) return malformed(issues(head.error, ['detail']));
  const { eventName, eventSource, errorCode, errorMessage } = head.data;
  if (!(service.eventNames as readonly string[]).includes(eventName)) return unsupported('detail.eventName', `${cut(eventName)} is not a call this handles`);
  if (eventSource !== undefined && eventSource !== service.eventSource) {
    return unsupported('detail.eventSource', `${quote(eventSource)} is not ${service.eventSource}`);
  }
  if (errorCode !== undefined) {
    const message = errorMessage ? `: ${cut(errorMessage)}` : '';
    return { ok: false, reason: 'failed-call', detail: `detail.errorCode: ${eventName} failed with ${cut(errorCode)}${message} (event ${cut(id)})` };
  }

  const detail = detailSchema.safeParse(envelope.data.detail, PARSE_OPTIONS);
  if (!detail.success) return malformed(issues(detail.error, ['detail']));
  const { eventID, eventTime, userIdentity, requestParameters, responseElements } = detail.data;
  const actor = actorOf(userIdentity);
  if (actor === undefined) return malformed('detail.userIdentity: has no IAM/STS arn, invokedBy or principalId');
  return {
    ok: true,
    call: {
      eventId: eventID,
      eventName: eventName as Name,
      source,
      request: requestParameters ?? null,
      response: responseElements ?? null,
      actor,
      at: Date.parse(eventTime),
      region,
      account,
    },
  };
}

/**
 * Of two refusals of the same event by callers that accept different calls, the one that got
 * further: an AssociateWorkspaceApplication with a foreign `eventSource` is refused for its
 * event source by the caller that knows the call, and only for its name by the other one. On a
 * tie, `b`: pass the caller that accepts more sources second, so a foreign source is refused
 * naming all of them.
 */
export function furthestRefusal(a: Failure, b: Failure): Failure {
  const rank = (failure: Failure) => (failure.refusedAt === undefined ? REFUSAL_FIELDS.length : REFUSAL_FIELDS.indexOf(failure.refusedAt));
  return rank(a) > rank(b) ? a : b;
}

/** What every caller's result keeps of the call: its id, caller, time, account and Region. */
export function callBasics<Name extends string>(call: ApiCall<Name>): Pick<ApiCall<Name>, 'eventId' | 'eventName' | 'actor' | 'at' | 'region' | 'account'> {
  const { eventId, eventName, actor, at, region, account } = call;
  return { eventId, eventName, actor, at, region, account };
}

/**
 * One part of the detail through its schema, after a look for PascalCase keys (the SDK's shape)
 * in it and in the objects of its arrays, so the error says what is wrong rather than "missing".
 */
export function readPart<T>(schema: z.ZodType<T>, value: Record<string, unknown> | null, at: string): T | Failure {
  if (value === null) return malformed(`${at}: is null or missing`);
  const pascal = pascalCaseKey(value, at);
  if (pascal) return malformed(pascal);
  const parsed = schema.safeParse(value, PARSE_OPTIONS);
  if (!parsed.success) return malformed(issues(parsed.error, at.split('.')));
  return parsed.data;
}

export function isFailure<T>(value: T | Failure): value is Failure {
  return typeof value === 'object' && value !== null && 'ok' in value && (value as { ok: unknown }).ok === false;
}

/** A detail member found only as its PascalCase twin (`ErrorCode` for `errorCode`), said in words. */
function pascalCaseMember(detail: unknown): string | undefined {
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return undefined;
  const member = DETAIL_MEMBERS.find((name) => !Object.hasOwn(detail, name) && Object.hasOwn(detail, pascal(name)));
  return member && `detail.${pascal(member)}: PascalCase key; CloudTrail records lowerCamelCase (${member})`;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The shape of a PutEvents request entry, which someone may hand a function instead of the event it becomes. */
function isPutEventsEntry(event: unknown): boolean {
  if (event === null || typeof event !== 'object') return false;
  return ['Source', 'DetailType', 'Detail'].some((key) => Object.hasOwn(event, key)) && !Object.hasOwn(event, 'detail-type');
}

/** The first PascalCase key in the object or the objects of its arrays (one level), said in words. */
function pascalCaseKey(value: Record<string, unknown>, at: string): string | undefined {
  for (const [key, inner] of Object.entries(value)) {
    if (/^[A-Z]/.test(key)) {
      const camel = key.charAt(0).toLowerCase() + key.slice(1);
      return `${at}.${cut(key)}: PascalCase key; CloudTrail records lowerCamelCase (${cut(camel)})`;
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
    .map((issue) => `${[...prefix, ...issue.path.map((key) => cut(String(key)))].join('.') || 'event'}: ${issue.message}`)
    .join('; ');
}

export function malformed(detail: string): Failure {
  return { ok: false, reason: 'malformed', detail };
}

function unsupported(field: RefusalField, why: string): Failure {
  return { ok: false, reason: 'unsupported-event', detail: `${field}: ${why}`, refusedAt: field };
}

/** At most this many characters of a value quoted from the event go into a failure's detail. */
const QUOTE_LIMIT = 200;

/** A value from the event, cut to QUOTE_LIMIT characters, saying how long it was when cut. */
function cut(value: string): string {
  return value.length <= QUOTE_LIMIT ? value : `${value.slice(0, QUOTE_LIMIT)}… (${value.length} characters)`;
}

function quote(value: string): string {
  return `"${cut(value)}"`;
}
