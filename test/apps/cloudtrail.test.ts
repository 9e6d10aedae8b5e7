import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES, parseWorkspacesApiCall } from '#lib/apps/cloudtrail.ts';
import { cloudTrailEvent } from '#local/cloudtrail.ts';
import { loadEvent } from '#test/support/events.ts';

type CloudTrailSample = {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown> & {
    eventName: string;
    requestParameters: Record<string, unknown> | null;
    responseElements: Record<string, unknown> | null;
    userIdentity: Record<string, unknown>;
  };
};

const associate = () => loadEvent<CloudTrailSample>('cloudtrail/associate-workspace-application');

/** The associate sample turned into another call. */
function call(eventName: string, requestParameters: unknown, responseElements: unknown = null): CloudTrailSample {
  const event = associate();
  return { ...event, detail: { ...event.detail, eventName, requestParameters, responseElements } } as CloudTrailSample;
}

describe('parseWorkspacesApiCall: the sample events', () => {
  it('reads a successful association: the WorkSpace, the application, who made the call, when and where', () => {
    // Act
    const parsed = parseWorkspacesApiCall(associate());
    // Assess
    expect(parsed).toEqual({
      ok: true,
      call: {
        eventId: 'e1f0d9c8-7b6a-4d5e-8f9a-0b1c2d3e4f5a',
        eventName: 'AssociateWorkspaceApplication',
        workspaceIds: ['ws-berlin0002'],
        applicationId: 'wsa-visio2024a',
        actor: 'arn:aws:sts::123456789012:assumed-role/WorkSpacesAdmin/alice',
        at: Date.parse('2026-11-23T09:14:07Z'),
        region: 'us-east-1',
        account: '123456789012',
      },
    });
  });

  it('starts nothing for a failed call, and says which error it failed with', () => {
    const parsed = parseWorkspacesApiCall(loadEvent('cloudtrail/associate-workspace-application-failed'));
    expect(parsed).toMatchObject({ ok: false, reason: 'failed-call' });
    expect(!parsed.ok && parsed.detail).toContain('detail.errorCode: AssociateWorkspaceApplication failed with OperatingSystemNotCompatibleException');
  });

  it('reads a disassociation by an IAM user', () => {
    const parsed = parseWorkspacesApiCall(loadEvent('cloudtrail/disassociate-workspace-application'));
    expect(parsed).toMatchObject({
      ok: true,
      call: {
        eventName: 'DisassociateWorkspaceApplication',
        workspaceIds: ['ws-berlin0001'],
        applicationId: 'wsa-office365a',
        actor: 'arn:aws:iam::123456789012:user/bob',
      },
    });
  });
});

describe('parseWorkspacesApiCall: the other calls that matter', () => {
  it.each([
    {
      name: 'takes the WorkSpace of a ModifyWorkspaceProperties call',
      event: call('ModifyWorkspaceProperties', { workspaceId: 'ws-a1b2c3d4e', workspaceProperties: { computeTypeName: 'POWER' } }),
      workspaceIds: ['ws-a1b2c3d4e'],
    },
    {
      name: 'takes every WorkSpace of a StartWorkspaces call, once each',
      event: call('StartWorkspaces', {
        startWorkspaceRequests: [{ workspaceId: 'ws-a1b2c3d4e' }, { workspaceId: 'ws-z9y8x7w6v' }, { workspaceId: 'ws-a1b2c3d4e' }],
      }),
      workspaceIds: ['ws-a1b2c3d4e', 'ws-z9y8x7w6v'],
    },
    {
      name: 'takes the WorkSpaces of a CreateWorkspaces call from its pending requests',
      event: call(
        'CreateWorkspaces',
        { workspaces: [{ directoryId: 'd-1234567890', userName: 'carol', bundleId: 'wsb-abcdefghi' }] },
        { failedRequests: [], pendingRequests: [{ workspaceId: 'ws-n3w0n3abc', userName: 'carol', state: 'PENDING' }] },
      ),
      workspaceIds: ['ws-n3w0n3abc'],
    },
    {
      name: 'finds no WorkSpace in a CreateWorkspaces call whose response CloudTrail did not record',
      event: call('CreateWorkspaces', { workspaces: [{ directoryId: 'd-1234567890', userName: 'carol' }] }, null),
      workspaceIds: [],
    },
    {
      name: 'finds no WorkSpace in a CreateWorkspaces call whose requests all failed',
      event: call('CreateWorkspaces', { workspaces: [] }, { failedRequests: [{ errorCode: 'ResourceAlreadyExistsException' }] }),
      workspaceIds: [],
    },
  ])('$name', ({ event, workspaceIds }) => {
    const parsed = parseWorkspacesApiCall(event);
    expect(parsed.ok && parsed.call.workspaceIds).toEqual(workspaceIds);
    expect(parsed.ok && parsed.call.applicationId).toBeUndefined();
  });

  it('names an AWS service as the actor when no principal ARN is recorded', () => {
    const event = associate();
    event.detail.userIdentity = { type: 'AWSService', invokedBy: 'workspaces.amazonaws.com' };
    const parsed = parseWorkspacesApiCall(event);
    expect(parsed.ok && parsed.call.actor).toBe('service:workspaces.amazonaws.com');
  });
});

describe('parseWorkspacesApiCall: what it refuses', () => {
  const cases: Array<{ name: string; event: () => unknown; reason: string; detail: string }> = [
    {
      name: 'refuses an event from another service',
      event: () => ({ ...associate(), source: 'aws.appstream' }),
      reason: 'unsupported-event',
      detail: 'source: "aws.appstream"',
    },
    {
      name: 'refuses an event that is not a CloudTrail API call',
      event: () => ({ ...associate(), 'detail-type': 'WorkSpaces Access' }),
      reason: 'unsupported-event',
      detail: 'detail-type',
    },
    {
      name: 'refuses a WorkSpaces call that starts no deployment',
      event: () => call('RebootWorkspaces', { rebootWorkspaceRequests: [{ workspaceId: 'ws-a1b2c3d4e' }] }),
      reason: 'unsupported-event',
      detail: 'detail.eventName: RebootWorkspaces',
    },
    {
      name: 'calls PascalCase parameters malformed, naming the field',
      event: () => call('AssociateWorkspaceApplication', { WorkspaceId: 'ws-f8k2m4p7q', ApplicationId: 'wsa-3kd9w2x7v' }),
      reason: 'malformed',
      detail: 'detail.requestParameters.WorkspaceId: PascalCase key; CloudTrail records lowerCamelCase (workspaceId)',
    },
    {
      name: 'calls PascalCase keys inside a list malformed, naming the item',
      event: () => call('StartWorkspaces', { startWorkspaceRequests: [{ WorkspaceId: 'ws-a1b2c3d4e' }] }),
      reason: 'malformed',
      detail: 'detail.requestParameters.startWorkspaceRequests.0.WorkspaceId: PascalCase key',
    },
    {
      name: 'calls PascalCase response elements of CreateWorkspaces malformed',
      event: () => call('CreateWorkspaces', {}, { PendingRequests: [{ WorkspaceId: 'ws-a1b2c3d4e' }] }),
      reason: 'malformed',
      detail: 'detail.responseElements.PendingRequests: PascalCase key',
    },
    {
      name: 'calls an association without its application malformed, naming the field',
      event: () => call('AssociateWorkspaceApplication', { workspaceId: 'ws-f8k2m4p7q' }),
      reason: 'malformed',
      detail: 'detail.requestParameters.applicationId',
    },
    {
      name: 'calls an association with no request parameters malformed',
      event: () => call('DisassociateWorkspaceApplication', null),
      reason: 'malformed',
      detail: 'detail.requestParameters: is null',
    },
    {
      name: 'calls a WorkSpace id that is not one malformed',
      event: () => call('ModifyWorkspaceProperties', { workspaceId: 'i-0123456789abcdef0' }),
      reason: 'malformed',
      detail: 'detail.requestParameters.workspaceId: must be a WorkSpace id',
    },
    {
      name: 'calls an event without an eventID malformed',
      event: () => {
        const event = associate();
        delete event.detail.eventID;
        return event;
      },
      reason: 'malformed',
      detail: 'detail.eventID',
    },
    {
      name: 'calls an event without a time it can read malformed',
      event: () => {
        const event = associate();
        event.detail.eventTime = 'yesterday';
        return event;
      },
      reason: 'malformed',
      detail: 'detail.eventTime',
    },
    {
      name: 'calls a principal with no identity at all malformed',
      event: () => {
        const event = associate();
        event.detail.userIdentity = { type: 'Unknown' };
        return event;
      },
      reason: 'malformed',
      detail: 'detail.userIdentity',
    },
    {
      name: 'refuses an event larger than EventBridge delivers',
      event: () => {
        const event = associate();
        event.detail.userAgent = 'x'.repeat(MAX_EVENT_BYTES);
        return event;
      },
      reason: 'malformed',
      detail: "over EventBridge's 262144-byte limit",
    },
    { name: 'refuses something that is not an event', event: () => 'hello', reason: 'malformed', detail: 'event' },
    { name: 'refuses undefined', event: () => undefined, reason: 'malformed', detail: 'not JSON-serializable' },
    {
      name: 'refuses an event without a detail',
      event: () => ({ ...associate(), detail: undefined }),
      reason: 'malformed',
      detail: 'detail',
    },
  ];

  it.each(cases)('$name', ({ event, reason, detail }) => {
    const parsed = parseWorkspacesApiCall(event());
    expect(parsed).toMatchObject({ ok: false, reason });
    expect(!parsed.ok && parsed.detail).toContain(detail);
  });

  it('calls a failed call failed even when its parameters are odd: a refused call starts nothing', () => {
    const event = call('AssociateWorkspaceApplication', { WorkspaceId: 'ws-f8k2m4p7q' });
    event.detail.errorCode = 'AccessDenied';
    expect(parseWorkspacesApiCall(event)).toMatchObject({ ok: false, reason: 'failed-call' });
  });

  it('never throws on a value JSON cannot hold', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(parseWorkspacesApiCall(circular)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseWorkspacesApiCall({ n: 10n })).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('parseWorkspacesApiCall: the events the local cloud emits', () => {
  const caller = {
    type: 'IAMUser' as const,
    principalId: 'AIDAEXAMPLE',
    arn: 'arn:aws:iam::123456789012:user/dana',
    accountId: '123456789012',
    accessKeyId: 'AKIAEXAMPLE',
    userName: 'dana',
  };
  const emitted = (operation: string, request: unknown, response?: unknown, error?: { code: string; message: string }) =>
    cloudTrailEvent({
      eventSource: 'workspaces.amazonaws.com',
      operation,
      request,
      response,
      ...(error ? { error } : {}),
      caller,
      requestId: 'req-1',
      at: Date.parse('2026-11-23T09:14:07Z'),
      region: 'eu-west-1',
      accountId: '123456789012',
      sourceIp: '127.0.0.1',
      userAgent: 'test',
    });

  it.each([
    { operation: 'AssociateWorkspaceApplication', request: { WorkspaceId: 'ws-a1b2c3d4e', ApplicationId: 'wsa-3kd9w2x7v' }, response: {}, ids: ['ws-a1b2c3d4e'] },
    { operation: 'StartWorkspaces', request: { StartWorkspaceRequests: [{ WorkspaceId: 'ws-a1b2c3d4e' }] }, response: {}, ids: ['ws-a1b2c3d4e'] },
    {
      operation: 'CreateWorkspaces',
      request: { Workspaces: [{ DirectoryId: 'd-1234567890', UserName: 'dana', BundleId: 'wsb-abcdefghi' }] },
      response: { FailedRequests: [], PendingRequests: [{ WorkspaceId: 'ws-n3w0n3abc', UserName: 'dana' }] },
      ids: ['ws-n3w0n3abc'],
    },
  ])('reads $operation as the local cloud records it', ({ operation, request, response, ids }) => {
    const parsed = parseWorkspacesApiCall(emitted(operation, request, response));
    expect(parsed).toMatchObject({ ok: true, call: { eventName: operation, workspaceIds: ids, actor: caller.arn, region: 'eu-west-1' } });
  });

  it('reads a call the local cloud refused as failed', () => {
    const event = emitted('AssociateWorkspaceApplication', { WorkspaceId: 'ws-a1b2c3d4e', ApplicationId: 'wsa-3kd9w2x7v' }, undefined, {
      code: 'ResourceAlreadyExistsException',
      message: 'already associated',
    });
    expect(parseWorkspacesApiCall(event)).toMatchObject({ ok: false, reason: 'failed-call' });
  });
});
