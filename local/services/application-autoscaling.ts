import { ScalableDimension, ServiceNamespace } from '@aws-sdk/client-application-auto-scaling';
import { arn } from '../arn.ts';
import { sha256Hex } from '../ids.ts';
import { paginate } from '../paging.ts';
import { AwsError, compact, epochSeconds } from '../protocol.ts';
import { checkSeed, SEED_ERROR } from '../seed-errors.ts';
import type { Emulator, EmulatorDeps } from '../service.ts';
import { Params, type Input } from '../validation.ts';

/**
 * Application Auto Scaling (`AnyScaleFrontendService.*`, JSON 1.1), as much as euc-autopilot needs
 * to see whether a native scaler owns a pool or fleet: registering, deregistering and describing
 * scalable targets for AppStream fleets (`fleet/<name>`, `appstream:fleet:DesiredCapacity`) and
 * WorkSpaces pools (`workspacespool/<pool id>`, `workspaces:workspacespool:DesiredUserSessions`).
 * Scaling policies, scheduled actions and the scaling itself are not emulated: a registered
 * target here never changes a fleet's or pool's capacity.
 *
 * Not checked, unlike AWS: that the fleet or pool exists (AWS answers ValidationException), and
 * the caller's permission to create the service-linked role. Other namespaces are valid in
 * requests; DescribeScalableTargets finds nothing in them and RegisterScalableTarget refuses them.
 *
 * Seeds read `applicationAutoScaling.scalableTargets`: a list of RegisterScalableTarget requests.
 */
interface Supported {
  dimension: string;
  resource: RegExp;
  example: string;
  /** The service-linked role Application Auto Scaling creates for the namespace. */
  role: string;
}

const SUPPORTED: Partial<Record<string, Supported>> = {
  [ServiceNamespace.APPSTREAM]: {
    dimension: ScalableDimension.AppstreamFleetDesiredCapacity,
    resource: /^fleet\/[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$/,
    example: 'fleet/sample-fleet',
    role: 'appstream.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_AppStreamFleet',
  },
  [ServiceNamespace.WORKSPACES]: {
    dimension: ScalableDimension.WorkSpacesWorkSpacesPoolDesiredUserSessions,
    resource: /^workspacespool\/wspool-[0-9a-z]{9}$/,
    example: 'workspacespool/wspool-123456789',
    // Named after the AppStream one; the user guide's list of roles is the reference to check.
    role: 'workspaces.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_WorkSpacesPool',
  },
};

const NAMESPACES = Object.values(ServiceNamespace);
const DIMENSIONS = Object.values(ScalableDimension);
const INVALID = 'ValidationException';
/** DescribeScalableTargets: MaxResults is 1–50 and defaults to 50. */
const MAX_RESULTS = 50;
const RESOURCE_ID = { required: true, min: 1, max: 1600 } as const;

interface ScalableTarget {
  namespace: string;
  resourceId: string;
  dimension: string;
  min: number;
  max: number;
  roleArn: string;
  createdAt: number;
  suspended: { DynamicScalingInSuspended: boolean; DynamicScalingOutSuspended: boolean; ScheduledScalingSuspended: boolean };
  arn: string;
}

export function createApplicationAutoScalingEmulator(deps: EmulatorDeps): Emulator {
  /** Registered targets by namespace, resource and dimension, in registration order. */
  const targets = new Map<string, ScalableTarget>();
  const keyOf = (namespace: string, resourceId: string, dimension: string) => `${namespace}|${resourceId}|${dimension}`;

  function register(p: Params, now: number): ScalableTarget {
    const namespace = p.enum('ServiceNamespace', NAMESPACES, { required: true });
    const resourceId = p.string('ResourceId', RESOURCE_ID);
    const dimension = p.enum('ScalableDimension', DIMENSIONS, { required: true });
    const min = p.int('MinCapacity', { min: 0 });
    const max = p.int('MaxCapacity', { min: 0 });
    const roleArn = p.string('RoleARN', { min: 1, max: 1600 });
    const suspended = p.object('SuspendedState');
    // Checked as AWS checks them; tags are not kept (nothing here lists them).
    readTags(p);
    supported(namespace, resourceId, dimension);
    const key = keyOf(namespace, resourceId, dimension);
    const existing = targets.get(key);
    if (!existing && (min === undefined || max === undefined))
      throw new AwsError(INVALID, 'MinCapacity and MaxCapacity are required for registering a new scalable target.');
    const next: ScalableTarget = existing
      ? { ...existing, suspended: { ...existing.suspended } }
      : {
          namespace,
          resourceId,
          dimension,
          min: 0,
          max: 0,
          roleArn: arn('iam', '', deps.accountId, `role/aws-service-role/${SUPPORTED[namespace]?.role ?? ''}`),
          createdAt: now,
          suspended: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
          arn: arn('application-autoscaling', deps.region, deps.accountId, `scalable-target/${sha256Hex(key).slice(0, 36)}`),
        };
    next.min = min ?? next.min;
    next.max = max ?? next.max;
    if (next.min > next.max)
      throw new AwsError(INVALID, `Minimum capacity (${next.min}) cannot be greater than maximum capacity (${next.max}).`);
    if (roleArn !== undefined) next.roleArn = roleArn;
    if (suspended) {
      for (const flag of Object.keys(next.suspended) as Array<keyof ScalableTarget['suspended']>)
        next.suspended[flag] = suspended.bool(flag) ?? next.suspended[flag];
    }
    targets.set(key, next);
    return next;
  }

  return {
    targetPrefix: 'AnyScaleFrontendService',
    eventSource: 'application-autoscaling.amazonaws.com',
    operations: {
      RegisterScalableTarget(input, { now }) {
        return { ScalableTargetARN: register(Params.of(input, INVALID), now).arn };
      },

      DeregisterScalableTarget(input) {
        const p = Params.of(input, INVALID);
        const namespace = p.enum('ServiceNamespace', NAMESPACES, { required: true });
        const resourceId = p.string('ResourceId', RESOURCE_ID);
        const dimension = p.enum('ScalableDimension', DIMENSIONS, { required: true });
        if (!targets.delete(keyOf(namespace, resourceId, dimension)))
          throw new AwsError(
            'ObjectNotFoundException',
            `No scalable target registered for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
          );
        return {};
      },

      DescribeScalableTargets(input) {
        const p = Params.of(input, INVALID);
        const namespace = p.enum('ServiceNamespace', NAMESPACES, { required: true });
        const resourceIds = p.strings('ResourceIds', { item: { min: 1, max: 1600 } });
        const dimension = p.enum('ScalableDimension', DIMENSIONS);
        const limit = p.int('MaxResults', { min: 1, max: MAX_RESULTS }) ?? MAX_RESULTS;
        const token = p.string('NextToken', { max: 2048 });
        if (dimension !== undefined && !resourceIds?.length)
          throw new AwsError(INVALID, 'If you specify a scalable dimension, you must also specify a resource ID.');
        const wanted = resourceIds?.length ? new Set(resourceIds) : undefined;
        const matching = [...targets.values()].filter(
          (target) =>
            target.namespace === namespace &&
            (wanted === undefined || wanted.has(target.resourceId)) &&
            (dimension === undefined || target.dimension === dimension),
        );
        const { page, nextToken } = paginate(matching, {
          limit,
          nextToken: token,
          query: JSON.stringify({ namespace, resourceIds, dimension }),
          errorType: 'InvalidNextTokenException',
        });
        return compact({ ScalableTargets: page.map(view), NextToken: nextToken });
      },
    },
    seed(document, now) {
      const section = (document as { applicationAutoScaling?: unknown }).applicationAutoScaling;
      if (section === undefined) return;
      if (!isObject(section) || (section.scalableTargets !== undefined && !Array.isArray(section.scalableTargets)))
        throw new RangeError('seed.applicationAutoScaling must be an object with a `scalableTargets` list');
      const entries = (section.scalableTargets ?? []) as unknown[];
      entries.forEach((entry, index) => {
        const path = `applicationAutoScaling.scalableTargets[${index}]`;
        if (!isObject(entry)) throw new RangeError(`seed.${path} must be a RegisterScalableTarget request`);
        checkSeed(path, () => register(new Params(entry, SEED_ERROR, `${path}.`), now));
      });
    },
  };
}

/** Refuses namespaces the local cloud does not emulate, and resources and dimensions of the wrong kind. */
function supported(namespace: string, resourceId: string, dimension: string): void {
  const rules = SUPPORTED[namespace];
  if (!rules)
    throw new AwsError(
      INVALID,
      `The local cloud emulates Application Auto Scaling for ${Object.keys(SUPPORTED).join(' and ')} only, not ${namespace}.`,
    );
  if (dimension !== rules.dimension)
    throw new AwsError(INVALID, `Unsupported scalable dimension ${dimension} for service namespace ${namespace}; use ${rules.dimension}.`);
  if (!rules.resource.test(resourceId))
    throw new AwsError(INVALID, `Unsupported resource ID ${resourceId} for service namespace ${namespace}; expected e.g. ${rules.example}.`);
}

function readTags(p: Params): Record<string, string> | undefined {
  const tags = p.raw('Tags');
  if (tags === undefined || tags === null) return undefined;
  if (!isObject(tags) || Object.values(tags).some((value) => typeof value !== 'string'))
    p.fail('Tags', 'Member must be a map of strings', tags);
  return tags as Record<string, string>;
}

function view(target: ScalableTarget) {
  return {
    ServiceNamespace: target.namespace,
    ResourceId: target.resourceId,
    ScalableDimension: target.dimension,
    MinCapacity: target.min,
    MaxCapacity: target.max,
    RoleARN: target.roleArn,
    CreationTime: epochSeconds(target.createdAt),
    SuspendedState: target.suspended,
    ScalableTargetARN: target.arn,
  };
}

function isObject(value: unknown): value is Input {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
