import type {
  ApplicationAssociatedResourceType,
  AssociationErrorCode,
  AssociationState,
} from '@aws-sdk/client-workspaces';
import { AwsError, compact, epochSeconds } from '../../protocol.ts';
import type { Emulator, Operation } from '../../service.ts';
import { Params, type Input } from '../../validation.ts';
import { findDesktop } from './personal.ts';
import {
  APPLICATION_ID,
  APPLICATION_ONLY,
  APPLICATION_OWNER,
  APPLICATION_STATES,
  ASSOCIATION_ERROR_CODES,
  ASSOCIATION_STATES,
  BUNDLE_ID,
  COMPUTE_TYPES,
  ERROR_TYPE,
  IMAGE_ID,
  LICENSE_TYPES,
  MAX_PAGE,
  OPERATING_SYSTEMS,
  RESOURCE_TYPES,
  WORKSPACE_ID,
  newId,
  pageOf,
  seedItems,
  seedTime,
} from './shapes.ts';
import {
  enter,
  settle,
  type Application,
  type Association,
  type Desktop,
  type Settling,
  type StateReason,
  type World,
} from './state.ts';

/**
 * WorkSpaces applications: the application catalog, associating applications with WorkSpaces and
 * deploying them. An association goes PENDING_INSTALL → (deploy) INSTALLING → COMPLETED or ERROR,
 * and after a disassociation PENDING_UNINSTALL → (deploy) UNINSTALLING → REMOVED. A deployment fails
 * when the application does not support the WorkSpace's operating system or compute type (which
 * may have changed since the association), or when a seed scripted a failure.
 */
export function createApplicationsEmulator(world: World): Emulator {
  const associationsOf = (type: ApplicationAssociatedResourceType, resourceId: string, now: number) =>
    settled(
      world.associations.filter((a) => a.resourceType === type && a.resourceId === resourceId),
      now,
    );

  /** The WorkSpace and the application a request names, both of which must exist. */
  const target = (input: unknown, now: number) => {
    const p = Params.of(input, ERROR_TYPE);
    const workspaceId = p.string('WorkspaceId', { required: true, pattern: WORKSPACE_ID });
    const applicationId = p.string('ApplicationId', { required: true, pattern: APPLICATION_ID });
    const desktop = findDesktop(world, workspaceId, now);
    const application = findApplication(world, applicationId);
    const association = associationsOf('WORKSPACE', workspaceId, now).find((a) => a.ApplicationId === applicationId);
    return { desktop, application, association };
  };

  /** Associations of one WorkSpace, bundle or image (bundles and images are known only through seeds). */
  const describeAssociationsOf =
    (type: ApplicationAssociatedResourceType, member: string, pattern: RegExp): Operation =>
    (input, ctx) => {
      const p = Params.of(input, ERROR_TYPE);
      const id = p.string(member, { required: true, pattern });
      p.enums('AssociatedResourceTypes', APPLICATION_ONLY, { required: true });
      if (type === 'WORKSPACE') findDesktop(world, id, ctx.now);
      return { Associations: associationsOf(type, id, ctx.now).map(resourceView) };
    };

  return {
    targetPrefix: 'WorkspacesService',
    eventSource: 'workspaces.amazonaws.com',
    operations: {
      DescribeApplications: (input) => {
        const p = Params.of(input, ERROR_TYPE);
        const filter = {
          ApplicationIds: p.strings('ApplicationIds', { min: 1, max: MAX_PAGE, item: { pattern: APPLICATION_ID } }),
          ComputeTypeNames: p.enums('ComputeTypeNames', COMPUTE_TYPES),
          LicenseType: p.enum('LicenseType', LICENSE_TYPES),
          OperatingSystemNames: p.enums('OperatingSystemNames', OPERATING_SYSTEMS),
          Owner: p.string('Owner', { pattern: APPLICATION_OWNER }),
        };
        // Values within one list filter are alternatives, as in other AWS filters: an application
        // matches ComputeTypeNames [VALUE, POWER] when it supports either.
        const found = [...world.applications.values()].filter(
          (app) =>
            (filter.ApplicationIds?.includes(app.ApplicationId) ?? true) &&
            (filter.ComputeTypeNames?.some((c) => app.SupportedComputeTypeNames.includes(c)) ?? true) &&
            (filter.OperatingSystemNames?.some((os) => app.SupportedOperatingSystemNames.includes(os)) ?? true) &&
            (filter.LicenseType === undefined || filter.LicenseType === app.LicenseType) &&
            (filter.Owner === undefined || filter.Owner === app.Owner),
        );
        const { page, nextToken } = pageOf(p, found, filter);
        return compact({ Applications: page.map(applicationView), NextToken: nextToken });
      },

      AssociateWorkspaceApplication: (input, ctx) => {
        const { desktop, application, association } = target(input, ctx.now);
        const app = application.ApplicationId;
        const ws = desktop.WorkspaceId;
        if (application.State !== 'AVAILABLE')
          throw new AwsError(
            'ApplicationNotSupportedException',
            `Application ${app} is ${application.State}; only AVAILABLE applications can be associated.`,
          );
        const unsupported = incompatibility(application, desktop);
        if (unsupported)
          throw new AwsError(
            unsupported.ErrorCode === 'ValidationError.UnsupportedOperatingSystem'
              ? 'OperatingSystemNotCompatibleException'
              : 'ComputeNotCompatibleException',
            unsupported.ErrorMessage,
          );
        if (association && association.state !== 'REMOVED') {
          if (association.intent === 'uninstall')
            throw new AwsError(
              'ResourceInUseException',
              `Application ${app} is being removed from WorkSpace ${ws} (${association.state}); deploy the removal first.`,
            );
          throw new AwsError(
            'ResourceAlreadyExistsException',
            `Application ${app} is already associated with WorkSpace ${ws} (${association.state}).`,
          );
        }
        const conflict = associationsOf('WORKSPACE', ws, ctx.now)
          .filter((a) => a.intent === 'install' && a.state !== 'REMOVED')
          .map((a) => findApplication(world, a.ApplicationId))
          .find((other) => conflicts(application, other));
        if (conflict)
          throw new AwsError(
            'IncompatibleApplicationsException',
            `Application ${app} cannot be installed next to ${conflict.ApplicationId} (${conflict.Name}) on WorkSpace ${ws}.`,
          );
        const fresh = association ?? addAssociation(world, app, 'WORKSPACE', ws, ctx.now);
        fresh.created = ctx.now;
        fresh.intent = 'install';
        enter(fresh, 'PENDING_INSTALL', ctx.now, SETTLING, world.durations);
        return { Association: resourceView(fresh) };
      },

      DisassociateWorkspaceApplication: (input, ctx) => {
        const { desktop, application, association } = target(input, ctx.now);
        const app = application.ApplicationId;
        const ws = desktop.WorkspaceId;
        if (!association || association.state === 'REMOVED')
          throw new AwsError('ResourceNotFoundException', `Application ${app} is not associated with WorkSpace ${ws}.`);
        if (IN_FLIGHT.includes(association.state))
          throw new AwsError(
            'ResourceInUseException',
            `Application ${app} is ${association.state} on WorkSpace ${ws}; wait for the deployment to finish.`,
          );
        // A second disassociation of an association already on its way out changes nothing.
        if (association.intent === 'install') {
          association.intent = 'uninstall';
          enter(association, 'PENDING_UNINSTALL', ctx.now, SETTLING, world.durations);
        }
        return { Association: resourceView(association) };
      },

      DeployWorkspaceApplications: (input, ctx) => {
        const p = Params.of(input, ERROR_TYPE);
        const id = p.string('WorkspaceId', { required: true, pattern: WORKSPACE_ID });
        const force = p.bool('Force') ?? false;
        const desktop = findDesktop(world, id, ctx.now);
        // Installers run on the WorkSpace itself, so it has to be up: a STOPPED AutoStop WorkSpace
        // must be started (and reach AVAILABLE) first.
        if (desktop.state !== 'AVAILABLE')
          throw new AwsError(
            'OperationNotSupportedException',
            `WorkSpace ${id} is ${desktop.state}; applications can be deployed only to an AVAILABLE WorkSpace.`,
          );
        const associations = associationsOf('WORKSPACE', id, ctx.now);
        const busy = associations.find((a) => IN_FLIGHT.includes(a.state));
        if (busy)
          throw new AwsError(
            'ResourceInUseException',
            `A deployment is already in progress on WorkSpace ${id}: application ${busy.ApplicationId} is ${busy.state}.`,
          );
        // Force "allows previously failed deployments to be retried".
        const due = associations.filter(
          (a) => a.state === 'PENDING_INSTALL' || a.state === 'PENDING_UNINSTALL' || (force && a.state === 'ERROR'),
        );
        for (const association of due) deploy(world, association, desktop, ctx.now);
        return { Deployment: { Associations: due.map(resourceView) } };
      },

      DescribeWorkspaceAssociations: describeAssociationsOf('WORKSPACE', 'WorkspaceId', WORKSPACE_ID),
      DescribeBundleAssociations: describeAssociationsOf('BUNDLE', 'BundleId', BUNDLE_ID),
      DescribeImageAssociations: describeAssociationsOf('IMAGE', 'ImageId', IMAGE_ID),

      DescribeApplicationAssociations: (input, ctx) => {
        const p = Params.of(input, ERROR_TYPE);
        const id = p.string('ApplicationId', { required: true, pattern: APPLICATION_ID });
        const types = p.enums('AssociatedResourceTypes', RESOURCE_TYPES, { required: true });
        findApplication(world, id);
        const found = world.associations.filter((a) => a.ApplicationId === id && types.includes(a.resourceType));
        const { page, nextToken } = pageOf(p, settled(found, ctx.now), { id, types });
        return compact({ Associations: page.map(applicationAssociationView), NextToken: nextToken });
      },
    },
  };
}

/**
 * Seeds `workspaces.applications`, `workspaces.associations` and `workspaces.deploymentFailures`
 * (after the WorkSpaces, which associations and failures refer to).
 */
export function seedApplications(world: World, section: Input, now: number): void {
  for (const p of seedItems(section, 'applications')) {
    const application: Application = {
      ApplicationId: p.string('ApplicationId', { pattern: APPLICATION_ID }) ?? newId('wsa'),
      Name: p.string('Name', { required: true, min: 1, max: 255 }),
      Description: p.string('Description', { max: 2048 }),
      Owner: p.string('Owner', { pattern: APPLICATION_OWNER }) ?? 'AMAZON',
      LicenseType: p.enum('LicenseType', LICENSE_TYPES) ?? 'LICENSED',
      State: p.enum('State', APPLICATION_STATES) ?? 'AVAILABLE',
      SupportedOperatingSystemNames: p.enums('SupportedOperatingSystemNames', OPERATING_SYSTEMS, {
        required: true,
      }),
      SupportedComputeTypeNames: p.enums('SupportedComputeTypeNames', COMPUTE_TYPES, { required: true }),
      created: seedTime(p, 'Created', now),
      conflictsWith: p.strings('ConflictsWith') ?? [],
    };
    world.applications.set(application.ApplicationId, application);
  }

  for (const p of seedItems(section, 'associations')) {
    const applicationId = seededApplication(world, p);
    const { type, resourceId } = seededResource(world, p);
    const state = p.enum('State', ASSOCIATION_STATES) ?? 'COMPLETED';
    const reason = p.object('StateReason');
    const association =
      world.associations.find(
        (a) => a.resourceType === type && a.resourceId === resourceId && a.ApplicationId === applicationId,
      ) ?? addAssociation(world, applicationId, type, resourceId, now);
    association.created = seedTime(p, 'Created', now);
    association.intent = UNINSTALL_STATES.includes(state) ? 'uninstall' : 'install';
    association.reason = reason && seededReason(reason);
    enter(association, state, now, SETTLING, world.durations);
  }

  for (const p of seedItems(section, 'deploymentFailures')) {
    world.failures.push({
      ApplicationId: seededApplication(world, p),
      WorkspaceId: seededDesktop(world, p, p.string('WorkspaceId', { required: true, pattern: WORKSPACE_ID })),
      reason: seededReason(p),
      remaining: p.int('Count', { min: 1 }) ?? 1,
    });
  }
}

const SETTLING: Settling<AssociationState> = {
  INSTALLING: { to: 'COMPLETED', after: 'installSeconds' },
  UNINSTALLING: { to: 'REMOVED', after: 'uninstallSeconds' },
  // Only seeds produce these "queued for deployment" states; they end as a deployment would.
  PENDING_INSTALL_DEPLOYMENT: { to: 'COMPLETED', after: 'installSeconds' },
  PENDING_UNINSTALL_DEPLOYMENT: { to: 'REMOVED', after: 'uninstallSeconds' },
};

/** States in which a deployment is running: the association can be neither changed nor redeployed. */
const IN_FLIGHT: readonly AssociationState[] = [
  'INSTALLING',
  'UNINSTALLING',
  'PENDING_INSTALL_DEPLOYMENT',
  'PENDING_UNINSTALL_DEPLOYMENT',
];
const UNINSTALL_STATES: readonly AssociationState[] = [
  'PENDING_UNINSTALL',
  'PENDING_UNINSTALL_DEPLOYMENT',
  'UNINSTALLING',
  'REMOVED',
];

const RESOURCE_OF = { WorkspaceId: 'WORKSPACE', BundleId: 'BUNDLE', ImageId: 'IMAGE' } as const;
const MEMBER_OF = { WORKSPACE: 'WorkspaceId', BUNDLE: 'BundleId', IMAGE: 'ImageId' } as const;

/** What a seeded failure reports when its seed gives no message. */
const DEFAULT_MESSAGES: Record<AssociationErrorCode, string> = {
  'ValidationError.ApplicationOldVersionExists': 'An older version of the application is installed on the WorkSpace.',
  'ValidationError.InsufficientDiskSpace': 'The WorkSpace does not have enough free disk space for the application.',
  'ValidationError.InsufficientMemory': 'The WorkSpace does not have enough memory for the application.',
  'ValidationError.UnsupportedOperatingSystem':
    'The application does not support the operating system of the WorkSpace.',
  'DeploymentError.InternalServerError': 'The deployment failed because of an internal error.',
  'DeploymentError.WorkspaceUnreachable': 'The WorkSpace could not be reached to deploy the application.',
};

/** Starts the deployment of one association, deciding now how it will end. */
function deploy(world: World, association: Association, desktop: Desktop, now: number): void {
  const installing = association.intent === 'install';
  const failure =
    (installing ? incompatibility(findApplication(world, association.ApplicationId), desktop) : undefined) ??
    takeScriptedFailure(world, association);
  association.reason = failure;
  enter(association, installing ? 'INSTALLING' : 'UNINSTALLING', now, SETTLING, world.durations, failure && 'ERROR');
}

/**
 * Why the application cannot run on the WorkSpace as it is now, in deployment terms. The SDK's
 * AssociationErrorCode has no code for an unsupported compute type; InsufficientMemory is the
 * validation failure a too-small compute type produces.
 */
function incompatibility(application: Application, desktop: Desktop): StateReason | undefined {
  const { OperatingSystemName: os, ComputeTypeName: compute } = desktop.properties;
  if (!application.SupportedOperatingSystemNames.includes(os))
    return {
      ErrorCode: 'ValidationError.UnsupportedOperatingSystem',
      ErrorMessage: `Application ${application.ApplicationId} (${application.Name}) does not support the operating system ${os} of WorkSpace ${desktop.WorkspaceId}.`,
    };
  if (!application.SupportedComputeTypeNames.includes(compute))
    return {
      ErrorCode: 'ValidationError.InsufficientMemory',
      ErrorMessage: `Application ${application.ApplicationId} (${application.Name}) does not support the compute type ${compute} of WorkSpace ${desktop.WorkspaceId}.`,
    };
  return undefined;
}

function takeScriptedFailure(world: World, association: Association): StateReason | undefined {
  const scripted = world.failures.find(
    (f) => f.remaining > 0 && f.ApplicationId === association.ApplicationId && f.WorkspaceId === association.resourceId,
  );
  if (!scripted) return undefined;
  scripted.remaining -= 1;
  return scripted.reason;
}

/** Either side may declare the conflict, by the other's id or name. */
function conflicts(a: Application, b: Application): boolean {
  const names = (app: Application) => [app.ApplicationId, app.Name];
  return names(b).some((n) => a.conflictsWith.includes(n)) || names(a).some((n) => b.conflictsWith.includes(n));
}

function findApplication(world: World, id: string): Application {
  const application = world.applications.get(id);
  if (!application) throw new AwsError('ResourceNotFoundException', `The application ${id} could not be found.`);
  return application;
}

function addAssociation(
  world: World,
  applicationId: string,
  type: ApplicationAssociatedResourceType,
  resourceId: string,
  now: number,
): Association {
  const association: Association = {
    ApplicationId: applicationId,
    resourceType: type,
    resourceId,
    created: now,
    intent: 'install',
    state: 'PENDING_INSTALL',
    updated: now,
  };
  world.associations.push(association);
  return association;
}

function settled(associations: Association[], now: number): Association[] {
  for (const association of associations) settle(association, now);
  return associations;
}

function seededApplication(world: World, p: Params): string {
  const id = p.string('ApplicationId', { required: true, pattern: APPLICATION_ID });
  if (!world.applications.has(id))
    p.fail('ApplicationId', 'Member must name an application of workspaces.applications', id);
  return id;
}

/** An ErrorCode with its ErrorMessage, which defaults to a description of the code. */
function seededReason(p: Params): StateReason {
  const ErrorCode = p.enum('ErrorCode', ASSOCIATION_ERROR_CODES, { required: true });
  return { ErrorCode, ErrorMessage: p.string('ErrorMessage') ?? DEFAULT_MESSAGES[ErrorCode] };
}

/** The one WorkSpace, bundle or image a seeded association names. */
function seededResource(world: World, p: Params): { type: ApplicationAssociatedResourceType; resourceId: string } {
  const [member, ...others] = (['WorkspaceId', 'BundleId', 'ImageId'] as const).filter((name) => p.has(name));
  if (member === undefined || others.length > 0)
    return p.fail('WorkspaceId', 'Exactly one of WorkspaceId, BundleId and ImageId must be given');
  const pattern = { WorkspaceId: WORKSPACE_ID, BundleId: BUNDLE_ID, ImageId: IMAGE_ID }[member];
  const resourceId = p.string(member, { required: true, pattern });
  const type = RESOURCE_OF[member];
  return { type, resourceId: type === 'WORKSPACE' ? seededDesktop(world, p, resourceId) : resourceId };
}

function seededDesktop(world: World, p: Params, id: string): string {
  if (!world.desktops.has(id)) p.fail('WorkspaceId', 'Member must name a WorkSpace of workspaces.workspaces', id);
  return id;
}

function stateView(association: Association) {
  return compact({
    Created: epochSeconds(association.created),
    LastUpdatedTime: epochSeconds(association.updated),
    State: association.state,
    StateReason: association.state === 'ERROR' ? association.reason : undefined,
  });
}

/** An association as a WorkSpace, bundle or image sees it: the application is the associated resource. */
function resourceView(association: Association) {
  return {
    AssociatedResourceId: association.ApplicationId,
    AssociatedResourceType: 'APPLICATION',
    [MEMBER_OF[association.resourceType]]: association.resourceId,
    ...stateView(association),
  };
}

/** An association as the application sees it. */
function applicationAssociationView(association: Association) {
  return {
    ApplicationId: association.ApplicationId,
    AssociatedResourceId: association.resourceId,
    AssociatedResourceType: association.resourceType,
    ...stateView(association),
  };
}

function applicationView(application: Application) {
  const { created, conflictsWith, ...wire } = application;
  return compact({ ...wire, Created: epochSeconds(created) });
}
