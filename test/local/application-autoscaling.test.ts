import {
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
  type RegisterScalableTargetCommandInput,
} from '@aws-sdk/client-application-auto-scaling';
import { describe, expect, it } from 'vitest';
import { useLocalCloud } from '#test/support/cloud.ts';

/**
 * Conformance of the local cloud's Application Auto Scaling (scalable targets of AppStream fleets
 * and WorkSpaces pools) with the API, driven only through the real
 * @aws-sdk/client-application-auto-scaling.
 */
const FLEET_DIMENSION = 'appstream:fleet:DesiredCapacity';
const POOL_DIMENSION = 'workspaces:workspacespool:DesiredUserSessions';

function fleetTarget(name: string, overrides: Partial<RegisterScalableTargetCommandInput> = {}): RegisterScalableTargetCommandInput {
  return {
    ServiceNamespace: 'appstream',
    ResourceId: `fleet/${name}`,
    ScalableDimension: FLEET_DIMENSION,
    MinCapacity: 1,
    MaxCapacity: 10,
    ...overrides,
  };
}

describe('Application Auto Scaling in the local cloud', () => {
  const local = useLocalCloud();

  it('registers a fleet as a scalable target and describes it as AWS does', async () => {
    // Act
    const { ScalableTargetARN } = await local.clients.autoscaling.send(new RegisterScalableTargetCommand(fleetTarget('office-apps')));
    const { ScalableTargets = [] } = await local.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'appstream', ResourceIds: ['fleet/office-apps'] }),
    );
    // Assess
    expect(ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\/[0-9a-f]{36}$/);
    expect(ScalableTargets).toEqual([
      {
        ServiceNamespace: 'appstream',
        ResourceId: 'fleet/office-apps',
        ScalableDimension: FLEET_DIMENSION,
        MinCapacity: 1,
        MaxCapacity: 10,
        RoleARN:
          'arn:aws:iam::123456789012:role/aws-service-role/appstream.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_AppStreamFleet',
        CreationTime: new Date('2026-11-23T06:00:00Z'),
        SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
        ScalableTargetARN,
      },
    ]);
  });

  it('registers a WorkSpaces pool with its own namespace and dimension', async () => {
    await local.clients.autoscaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'workspaces',
        ResourceId: 'workspacespool/wspool-abc123def',
        ScalableDimension: POOL_DIMENSION,
        MinCapacity: 0,
        MaxCapacity: 50,
      }),
    );
    const { ScalableTargets = [] } = await local.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'workspaces' }),
    );
    expect(ScalableTargets.map((target) => [target.ResourceId, target.ScalableDimension])).toEqual([
      ['workspacespool/wspool-abc123def', POOL_DIMENSION],
    ]);
  });

  it('updates a registered target in place: members left out keep their values', async () => {
    // Prepare
    await local.clients.autoscaling.send(new RegisterScalableTargetCommand(fleetTarget('updated-fleet')));
    // Act
    await local.clients.autoscaling.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'appstream',
        ResourceId: 'fleet/updated-fleet',
        ScalableDimension: FLEET_DIMENSION,
        MaxCapacity: 20,
        SuspendedState: { ScheduledScalingSuspended: true },
      }),
    );
    // Assess
    const { ScalableTargets = [] } = await local.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'appstream', ResourceIds: ['fleet/updated-fleet'] }),
    );
    expect(ScalableTargets).toHaveLength(1);
    expect(ScalableTargets[0]).toMatchObject({
      MinCapacity: 1,
      MaxCapacity: 20,
      SuspendedState: { DynamicScalingInSuspended: false, ScheduledScalingSuspended: true },
    });
  });

  it('deregisters a target, and answers ObjectNotFoundException for one that is not registered', async () => {
    await local.clients.autoscaling.send(new RegisterScalableTargetCommand(fleetTarget('short-lived')));
    const target = { ServiceNamespace: 'appstream', ResourceId: 'fleet/short-lived', ScalableDimension: FLEET_DIMENSION } as const;
    await local.clients.autoscaling.send(new DeregisterScalableTargetCommand(target));
    const { ScalableTargets } = await local.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'appstream', ResourceIds: ['fleet/short-lived'] }),
    );
    expect(ScalableTargets).toEqual([]);
    await expect(local.clients.autoscaling.send(new DeregisterScalableTargetCommand(target))).rejects.toMatchObject({
      name: 'ObjectNotFoundException',
    });
  });

  it('filters by resource ids and dimension, and pages with MaxResults and NextToken', async () => {
    // Prepare
    const names = Array.from({ length: 5 }, (_, index) => `paged-${index}`);
    for (const name of names) await local.clients.autoscaling.send(new RegisterScalableTargetCommand(fleetTarget(name)));
    const resourceIds = names.map((name) => `fleet/${name}`);
    // Act
    const first = await local.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'appstream',
        ResourceIds: [...resourceIds, 'fleet/never-registered'],
        ScalableDimension: FLEET_DIMENSION,
        MaxResults: 3,
      }),
    );
    const second = await local.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'appstream',
        ResourceIds: [...resourceIds, 'fleet/never-registered'],
        ScalableDimension: FLEET_DIMENSION,
        MaxResults: 3,
        NextToken: first.NextToken,
      }),
    );
    // Assess
    expect(first.ScalableTargets?.map((target) => target.ResourceId)).toEqual(resourceIds.slice(0, 3));
    expect(first.NextToken).toBeTypeOf('string');
    expect(second.ScalableTargets?.map((target) => target.ResourceId)).toEqual(resourceIds.slice(3));
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses a NextToken from another query with InvalidNextTokenException', async () => {
    for (const name of ['token-a', 'token-b']) await local.clients.autoscaling.send(new RegisterScalableTargetCommand(fleetTarget(name)));
    const { NextToken } = await local.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'appstream', MaxResults: 1 }),
    );
    await expect(
      local.clients.autoscaling.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: 'appstream', ResourceIds: ['fleet/token-a'], NextToken }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });

  it.each([
    ['a new target without MinCapacity and MaxCapacity', { MinCapacity: undefined, MaxCapacity: undefined }, /MinCapacity and MaxCapacity are required/],
    ['a minimum above the maximum', { MinCapacity: 5, MaxCapacity: 2 }, /cannot be greater than maximum/],
    ['a dimension of another namespace', { ScalableDimension: POOL_DIMENSION }, /Unsupported scalable dimension/],
    ['a resource id of another kind', { ResourceId: 'service/default/web' }, /Unsupported resource ID/],
    ['a negative capacity', { MinCapacity: -1 }, /MinCapacity.*greater than or equal to 0/],
    ['an unknown namespace', { ServiceNamespace: 'photon' }, /ServiceNamespace.*enum value set/],
    ['a namespace the local cloud does not emulate', { ServiceNamespace: 'ecs', ResourceId: 'service/default/web', ScalableDimension: 'ecs:service:DesiredCount' }, /emulates Application Auto Scaling for appstream and workspaces only/],
  ] as const)('refuses %s with ValidationException', async (_case, overrides, message) => {
    const input = { ...fleetTarget('refused'), ...overrides } as RegisterScalableTargetCommandInput;
    await expect(local.clients.autoscaling.send(new RegisterScalableTargetCommand(input))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a dimension without resource ids, as the API reference requires', async () => {
    await expect(
      local.clients.autoscaling.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: 'appstream', ScalableDimension: FLEET_DIMENSION }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('finds nothing in a namespace it does not emulate', async () => {
    const { ScalableTargets } = await local.clients.autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }));
    expect(ScalableTargets).toEqual([]);
  });

  it('takes scalable targets from a seed, checked as RegisterScalableTarget checks them', async () => {
    await local.admin.seed({
      applicationAutoScaling: { scalableTargets: [fleetTarget('seeded-fleet', { MinCapacity: 2, MaxCapacity: 4 })] },
    });
    const { ScalableTargets = [] } = await local.clients.autoscaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'appstream', ResourceIds: ['fleet/seeded-fleet'] }),
    );
    expect(ScalableTargets[0]).toMatchObject({ MinCapacity: 2, MaxCapacity: 4 });
    await expect(
      local.admin.seed({ applicationAutoScaling: { scalableTargets: [fleetTarget('bad-seed', { MinCapacity: 9, MaxCapacity: 1 })] } }),
    ).rejects.toThrow(/applicationAutoScaling\.scalableTargets\[0\].*cannot be greater than maximum/);
  });

  it('records registrations in CloudTrail under application-autoscaling.amazonaws.com', async () => {
    await local.admin.clearCloudTrail();
    await local.clients.autoscaling.send(new RegisterScalableTargetCommand(fleetTarget('audited')));
    const [event] = await local.admin.cloudTrail();
    expect(event).toMatchObject({
      source: 'aws.application-autoscaling',
      detail: {
        eventSource: 'application-autoscaling.amazonaws.com',
        eventName: 'RegisterScalableTarget',
        requestParameters: { serviceNamespace: 'appstream', resourceId: 'fleet/audited' },
      },
    });
  });
});
