import { randomUUID } from 'node:crypto';
import type { UserIdentity } from './identity.ts';
import { isoSeconds } from './time.ts';

/**
 * CloudTrail as EventBridge delivers it: every mutating call made to an emulated service becomes
 * an "AWS API Call via CloudTrail" event, failed calls included (with errorCode/errorMessage), in
 * the shape AWS records: lowerCamelCase requestParameters, responseElements only where the
 * service records them (null otherwise).
 */
export interface CloudTrailEvent {
  version: '0';
  id: string;
  'detail-type': 'AWS API Call via CloudTrail';
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: CloudTrailDetail;
}

export interface CloudTrailDetail {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
}

export interface ApiCall {
  eventSource: string;
  operation: string;
  request: unknown;
  response?: unknown;
  error?: { code: string; message: string };
  caller: UserIdentity;
  requestId: string;
  at: number;
  region: string;
  accountId: string;
  sourceIp: string;
  userAgent: string;
}

/** Read-only calls are not delivered to EventBridge by CloudTrail. */
export function isMutating(operation: string): boolean {
  return !/^(Describe|List|Get)/.test(operation);
}

/**
 * Operations whose results CloudTrail records in responseElements. For the rest (updates,
 * start/stop, associations) WorkSpaces and AppStream record null.
 */
function recordsResponse(operation: string): boolean {
  return operation.startsWith('Create');
}

export function cloudTrailEvent(call: ApiCall): CloudTrailEvent {
  const eventTime = isoSeconds(call.at);
  const service = call.eventSource.split('.')[0] ?? call.eventSource;
  const eventId = randomUUID();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${service}`,
    account: call.accountId,
    time: eventTime,
    region: call.region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: call.caller,
      eventTime,
      eventSource: call.eventSource,
      eventName: call.operation,
      awsRegion: call.region,
      sourceIPAddress: call.sourceIp,
      userAgent: call.userAgent,
      requestParameters: asRecord(lowerCamelKeys(call.request)),
      responseElements:
        call.error || !recordsResponse(call.operation) ? null : asRecord(lowerCamelKeys(call.response)),
      ...(call.error ? { errorCode: call.error.code, errorMessage: call.error.message } : {}),
      requestID: call.requestId,
      eventID: eventId,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: call.accountId,
      eventCategory: 'Management',
    },
  };
}

/** CloudTrail writes parameter names in lowerCamelCase (`PoolId` → `poolId`). */
export function lowerCamelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.charAt(0).toLowerCase() + key.slice(1), lowerCamelKeys(inner)]),
  );
}

function asRecord(value: unknown): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return Object.keys(value).length === 0 ? null : (value as Record<string, unknown>);
}
