import { describe, expect, it } from 'vitest';
import { parseCapacityApiCall } from '#lib/capacity/cloudtrail.ts';

const ALICE = 'arn:aws:sts::123456789012:assumed-role/Ops/alice';

/** A CloudTrail event of a pool or fleet call, as EventBridge delivers it. */
function call(source: 'aws.workspaces' | 'aws.appstream', eventName: string, request: unknown, extra: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'evt-envelope-1',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: '123456789012',
    time: '2026-11-23T10:00:00Z',
    region: 'eu-central-1',
    resources: [],
    detail: {
      eventTime: '2026-11-23T10:00:00Z',
      eventSource: source === 'aws.workspaces' ? 'workspaces.amazonaws.com' : 'appstream.amazonaws.com',
      eventName,
      eventID: 'evt-1',
      userIdentity: { type: 'AssumedRole', arn: ALICE },
      requestParameters: request,
      responseElements: null,
      ...extra,
    },
  };
}

describe('parseCapacityApiCall', () => {
  it.each([
    { event: call('aws.workspaces', 'UpdateWorkspacesPool', { poolId: 'wspool-berlin001', capacity: { desiredUserSessions: 50 } }), expected: { action: 'update', target: { kind: 'pool', id: 'wspool-berlin001' }, capacity: 50 } },
    { event: call('aws.workspaces', 'UpdateWorkspacesPool', { poolId: 'wspool-berlin001', description: 'x' }), expected: { action: 'update', target: { kind: 'pool', id: 'wspool-berlin001' } } },
    { event: call('aws.workspaces', 'StopWorkspacesPool', { poolId: 'wspool-berlin001' }), expected: { action: 'stop', target: { kind: 'pool', id: 'wspool-berlin001' } } },
    {
      event: call('aws.workspaces', 'CreateWorkspacesPool', { poolName: 'new_pool' }, { responseElements: { workspacesPool: { poolId: 'wspool-new000001' } } }),
      expected: { action: 'create', target: { kind: 'pool', id: 'wspool-new000001' } },
    },
    { event: call('aws.appstream', 'UpdateFleet', { name: 'design', computeCapacity: { desiredInstances: 4 } }), expected: { action: 'update', target: { kind: 'fleet', id: 'design' }, capacity: 4 } },
    { event: call('aws.appstream', 'UpdateFleet', { name: 'elastic', computeCapacity: { desiredSessions: 12 } }), expected: { action: 'update', target: { kind: 'fleet', id: 'elastic' }, capacity: 12 } },
    { event: call('aws.appstream', 'DeleteFleet', { name: 'design' }), expected: { action: 'delete', target: { kind: 'fleet', id: 'design' } } },
  ])('reads $expected.action of $expected.target.kind $expected.target.id', ({ event, expected }) => {
    const parsed = parseCapacityApiCall(event);
    expect(parsed).toEqual({ ok: true, call: expect.objectContaining({ ...expected, actor: ALICE, eventId: 'evt-1', region: 'eu-central-1', account: '123456789012', at: Date.parse('2026-11-23T10:00:00Z') }) });
    if (!('capacity' in expected)) expect(parsed.ok && parsed.call.capacity).toBeUndefined();
  });

  it.each([
    { name: 'a failed call', event: call('aws.workspaces', 'UpdateWorkspacesPool', { poolId: 'wspool-berlin001' }, { errorCode: 'AccessDenied' }), reason: 'failed-call', detail: 'AccessDenied' },
    { name: 'the SDK shape', event: call('aws.workspaces', 'UpdateWorkspacesPool', { PoolId: 'wspool-berlin001' }), reason: 'malformed', detail: 'PascalCase key' },
    { name: 'a bad pool id', event: call('aws.workspaces', 'StartWorkspacesPool', { poolId: 'berlin' }), reason: 'malformed', detail: 'must be a pool id' },
    { name: 'a call it does not handle', event: call('aws.appstream', 'CreateStack', { name: 'x' }), reason: 'unsupported-event', detail: 'CreateStack' },
    { name: 'another service', event: { ...call('aws.appstream', 'UpdateFleet', { name: 'x' }), source: 'aws.ec2' }, reason: 'unsupported-event', detail: 'aws.ec2' },
  ])('refuses $name, saying why', ({ event, reason, detail }) => {
    const parsed = parseCapacityApiCall(event);
    expect(parsed).toMatchObject({ ok: false, reason });
    expect(!parsed.ok && parsed.detail).toContain(detail);
  });
});
