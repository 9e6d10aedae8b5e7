import { randomUUID } from 'node:crypto';
import { seededRandom } from './faults.ts';
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

/**
 * CloudTrail's best effort, on purpose: a seeded share of events is never delivered to
 * EventBridge, and a share of the rest is delivered twice (the same event, id and eventID, as a
 * redelivery carries). Both are off until set. The record at `/_local/cloudtrail` keeps every event.
 */
export interface CloudTrailDeliveryFaults {
  /** Share of events never delivered, 0–1. */
  dropProbability?: number;
  /** Share of the delivered events delivered twice, 0–1. */
  duplicateProbability?: number;
  seed?: number;
}

/** What happened to each event: how many copies reached the bus (0, 1 or 2). */
export interface CloudTrailDeliveryRecord {
  eventID: string;
  eventName: string;
  copies: number;
}

export class CloudTrailDelivery {
  private settings: CloudTrailDeliveryFaults = {};
  private random: () => number = seededRandom(1);
  readonly log: CloudTrailDeliveryRecord[] = [];

  set(settings: CloudTrailDeliveryFaults): void {
    for (const key of ['dropProbability', 'duplicateProbability'] as const) {
      const share = settings[key];
      if (share !== undefined && !(share >= 0 && share <= 1)) throw new RangeError(`cloudTrail.${key} must be in [0, 1], got ${share}`);
    }
    this.settings = settings;
    this.random = seededRandom(settings.seed ?? 1);
  }

  /** How many times to put `event` on the bus, drawn now and recorded. */
  copies(event: CloudTrailEvent): number {
    const { dropProbability = 0, duplicateProbability = 0 } = this.settings;
    const copies = this.random() < dropProbability ? 0 : this.random() < duplicateProbability ? 2 : 1;
    this.log.push({ eventID: event.detail.eventID, eventName: event.detail.eventName, copies });
    return copies;
  }
}
