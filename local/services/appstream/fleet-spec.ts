import type { FleetAttribute, PlatformType, S3Location, StreamView } from '@aws-sdk/client-appstream';
import type { Params } from '../../validation.ts';
import { ARN_PATTERN, NAME_PATTERN, type Views } from './requests.ts';
import type { FleetSpec } from './store.ts';

/**
 * Reading and checking fleet configuration, shared by CreateFleet, UpdateFleet and seeds.
 *
 * Value ranges and what UpdateFleet may change are behaviour, so they follow the API document
 * (/work/shared/seeds/appstream_2017-06-05_fleets.txt, CreateFleet/UpdateFleet) rather than the
 * SDK's model: MaxUserDurationInSeconds 600–57600 and DisconnectTimeoutInSeconds 60–57600, where
 * the SDK's reference says 600–432000 and 60–36000. Wire shapes (member names, types, enums)
 * follow the SDK.
 */
export const FLEET_TYPES = ['ALWAYS_ON', 'ON_DEMAND', 'ELASTIC'] as const;
export const FLEET_STATES = ['STARTING', 'RUNNING', 'STOPPING', 'STOPPED'] as const;
const STREAM_VIEWS: readonly StreamView[] = ['APP', 'DESKTOP'];
const PLATFORMS: readonly PlatformType[] = [
  'WINDOWS',
  'WINDOWS_SERVER_2016',
  'WINDOWS_SERVER_2019',
  'WINDOWS_SERVER_2022',
  'WINDOWS_SERVER_2025',
  'AMAZON_LINUX2',
  'RHEL8',
  'ROCKY_LINUX8',
  'UBUNTU_PRO_2404',
];
/** `stream.<family>.<size>` and `stream.<family>.<generation>.<size>`, e.g. stream.graphics.g4dn.xlarge. */
const INSTANCE_TYPE = /^stream\.[a-z0-9-]+(\.[a-z0-9]+){1,2}$/;
/** Elastic fleets run on stream.standard instances only. */
const ELASTIC_INSTANCE_TYPE = /^stream\.standard\.[a-z0-9]+$/;

/**
 * Session limits in seconds, both ends inclusive. MaxUserDurationInSeconds and
 * DisconnectTimeoutInSeconds: appstream_2017-06-05_fleets.txt, CreateFleet and UpdateFleet
 * ("any numeric value in seconds between 600 and 57600" / "between 60 and 57600").
 */
export const MAX_USER_DURATION = { min: 600, max: 57600 } as const;
export const DISCONNECT_TIMEOUT = { min: 60, max: 57600 } as const;
/**
 * IdleDisconnectTimeoutInSeconds: 0 turns it off, otherwise 60–36000. The 2017 document has no
 * such member, so this is the SDK reference's range, kept until a document says otherwise.
 */
export const IDLE_DISCONNECT_TIMEOUT = { min: 60, max: 36000 } as const;

/** What AWS fills in when CreateFleet leaves them out (all within the ranges above). */
const DEFAULTS = {
  MaxUserDurationInSeconds: 57600,
  DisconnectTimeoutInSeconds: 900,
  IdleDisconnectTimeoutInSeconds: 0,
  EnableDefaultInternetAccess: false,
  StreamView: 'APP',
} satisfies Partial<FleetSpec>;

/** The members UpdateFleet can change (all but Name and FleetType). */
export type FleetAttributes = Partial<Omit<FleetSpec, 'Name' | 'FleetType'>>;

const ATTRIBUTES: { [K in keyof FleetAttributes]-?: (v: Views) => FleetAttributes[K] } = {
  DisplayName: ({ shape }) => shape.string('DisplayName', { max: 100 }),
  Description: ({ shape }) => shape.string('Description', { max: 256 }),
  ImageName: ({ shape }) => shape.string('ImageName', { min: 1 }),
  ImageArn: ({ shape }) => shape.string('ImageArn', { pattern: ARN_PATTERN }),
  InstanceType: ({ rules }) => rules.string('InstanceType', { min: 1, pattern: INSTANCE_TYPE }),
  ComputeCapacity: ({ rules }) => {
    const capacity = rules.object('ComputeCapacity');
    if (!capacity) return undefined;
    const desired = {
      DesiredInstances: capacity.int('DesiredInstances', { min: 0 }),
      DesiredSessions: capacity.int('DesiredSessions', { min: 0 }),
    };
    if ((desired.DesiredInstances === undefined) === (desired.DesiredSessions === undefined))
      rules.fail(
        'ComputeCapacity',
        'Exactly one of DesiredInstances and DesiredSessions must be set',
        rules.raw('ComputeCapacity'),
      );
    return desired.DesiredInstances === undefined
      ? { DesiredSessions: desired.DesiredSessions }
      : { DesiredInstances: desired.DesiredInstances };
  },
  MaxSessionsPerInstance: ({ rules }) => rules.int('MaxSessionsPerInstance', { min: 2 }),
  MaxConcurrentSessions: ({ rules }) => rules.int('MaxConcurrentSessions', { min: 1 }),
  // appstream_2017-06-05_fleets.txt, CreateFleet/UpdateFleet: "The input can be any numeric
  // value in seconds between 600 and 57600." (The SDK's reference allows up to 432000.)
  MaxUserDurationInSeconds: ({ rules }) =>
    rules.int('MaxUserDurationInSeconds', { min: MAX_USER_DURATION.min, max: MAX_USER_DURATION.max }),
  // appstream_2017-06-05_fleets.txt, CreateFleet/UpdateFleet: "The input can be any numeric
  // value in seconds between 60 and 57600." (The SDK's reference stops at 36000.)
  DisconnectTimeoutInSeconds: ({ rules }) =>
    rules.int('DisconnectTimeoutInSeconds', { min: DISCONNECT_TIMEOUT.min, max: DISCONNECT_TIMEOUT.max }),
  // appstream_2017-06-05_fleets.txt predates this member and gives it no range, so there is no
  // document to follow: the range stays the SDK reference's, 0 (off) or 60–36000.
  IdleDisconnectTimeoutInSeconds: ({ rules }) => {
    const seconds = rules.int('IdleDisconnectTimeoutInSeconds', { min: 0, max: IDLE_DISCONNECT_TIMEOUT.max });
    if (seconds !== undefined && seconds > 0 && seconds < IDLE_DISCONNECT_TIMEOUT.min)
      rules.fail(
        'IdleDisconnectTimeoutInSeconds',
        `Member must be 0 (off) or between ${IDLE_DISCONNECT_TIMEOUT.min} and ${IDLE_DISCONNECT_TIMEOUT.max}`,
        seconds,
      );
    return seconds;
  },
  VpcConfig: ({ shape }) => {
    const vpc = shape.object('VpcConfig');
    return vpc && { SubnetIds: vpc.strings('SubnetIds'), SecurityGroupIds: vpc.strings('SecurityGroupIds', { max: 5 }) };
  },
  EnableDefaultInternetAccess: ({ shape }) => shape.bool('EnableDefaultInternetAccess'),
  DomainJoinInfo: ({ shape }) => {
    const domain = shape.object('DomainJoinInfo');
    return (
      domain && {
        DirectoryName: domain.string('DirectoryName'),
        OrganizationalUnitDistinguishedName: domain.string('OrganizationalUnitDistinguishedName', { max: 2000 }),
      }
    );
  },
  IamRoleArn: ({ shape }) => shape.string('IamRoleArn', { pattern: ARN_PATTERN }),
  StreamView: ({ shape }) => shape.enum('StreamView', STREAM_VIEWS),
  Platform: ({ shape }) => shape.enum('Platform', PLATFORMS),
  UsbDeviceFilterStrings: ({ shape }) => shape.strings('UsbDeviceFilterStrings'),
  SessionScriptS3Location: ({ shape }) => {
    const location = shape.object('SessionScriptS3Location');
    return (
      location &&
      ({
        S3Bucket: location.string('S3Bucket', { required: true, min: 3, max: 63 }),
        S3Key: location.string('S3Key', { min: 1, max: 1024 }),
      } satisfies S3Location)
    );
  },
  RootVolumeConfig: ({ rules }) => {
    const volume = rules.object('RootVolumeConfig');
    return volume && { VolumeSizeInGb: volume.int('VolumeSizeInGb', { min: 200, max: 500 }) };
  },
  DisableIMDSV1: ({ shape }) => shape.bool('DisableIMDSV1'),
};

/** The attributes a request sets, each checked on its own. */
export function readAttributes(v: Views): FleetAttributes {
  const attributes: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(ATTRIBUTES)) {
    const value = (read as (v: Views) => unknown)(v);
    if (value !== undefined) attributes[name] = value;
  }
  return attributes as FleetAttributes;
}

/** A new fleet's configuration from a CreateFleet request (or a seed entry). */
export function readNewFleet(v: Views): FleetSpec {
  const Name = v.shape.string('Name', { required: true, pattern: NAME_PATTERN });
  const FleetType = v.shape.enum('FleetType', FLEET_TYPES) ?? 'ON_DEMAND';
  const { InstanceType, ...attributes } = readAttributes(v);
  if (InstanceType === undefined) v.shape.fail('InstanceType', 'Member must not be null');
  const spec: FleetSpec = { Name, FleetType, InstanceType, ...DEFAULTS, ...attributes };
  checkCombination(spec, v.rules);
  return spec;
}

/**
 * Which members go together, checked on the whole configuration so that an update which leaves
 * a fleet inconsistent (say, deleting MaxSessionsPerInstance but keeping DesiredSessions) is
 * refused too.
 */
export function checkCombination(spec: FleetSpec, rules: Params): void {
  const capacity = spec.ComputeCapacity;
  if (spec.FleetType === 'ELASTIC') {
    if (capacity)
      rules.fail('ComputeCapacity', 'Not allowed for ELASTIC fleets; set MaxConcurrentSessions instead', capacity);
    if (spec.MaxConcurrentSessions === undefined) rules.fail('MaxConcurrentSessions', 'Required for ELASTIC fleets');
    if (spec.MaxSessionsPerInstance !== undefined)
      rules.fail('MaxSessionsPerInstance', 'Not allowed for ELASTIC fleets');
    if (spec.DomainJoinInfo) rules.fail('DomainJoinInfo', 'Not allowed for ELASTIC fleets');
    if ((spec.VpcConfig?.SubnetIds?.length ?? 0) < 2)
      rules.fail('VpcConfig.SubnetIds', 'ELASTIC fleets need at least two subnets in different Availability Zones');
    if (!ELASTIC_INSTANCE_TYPE.test(spec.InstanceType))
      rules.fail('InstanceType', 'ELASTIC fleets support stream.standard instance types only', spec.InstanceType);
    return;
  }
  if (spec.MaxConcurrentSessions !== undefined) rules.fail('MaxConcurrentSessions', 'Allowed for ELASTIC fleets only');
  if ((spec.ImageName === undefined) === (spec.ImageArn === undefined))
    rules.fail('ImageName', 'Exactly one of ImageName and ImageArn must be set', spec.ImageName);
  if (!capacity) rules.fail('ComputeCapacity', `Required for ${spec.FleetType} fleets`);
  if (spec.MaxSessionsPerInstance === undefined && capacity.DesiredSessions !== undefined)
    rules.fail(
      'ComputeCapacity.DesiredSessions',
      'Allowed for multi-session fleets (MaxSessionsPerInstance set) only; use DesiredInstances',
      capacity.DesiredSessions,
    );
  if (spec.MaxSessionsPerInstance !== undefined && capacity.DesiredInstances !== undefined)
    rules.fail(
      'ComputeCapacity.DesiredInstances',
      'Multi-session fleets (MaxSessionsPerInstance set) take DesiredSessions instead',
      capacity.DesiredInstances,
    );
}

/** UpdateFleet's AttributesToDelete, as the members they clear. */
const DELETABLE: Record<FleetAttribute, (spec: FleetSpec) => FleetSpec> = {
  VPC_CONFIGURATION: ({ VpcConfig: _, ...spec }) => spec,
  VPC_CONFIGURATION_SECURITY_GROUP_IDS: (spec) => ({ ...spec, VpcConfig: { SubnetIds: spec.VpcConfig?.SubnetIds } }),
  DOMAIN_JOIN_INFO: ({ DomainJoinInfo: _, ...spec }) => spec,
  IAM_ROLE_ARN: ({ IamRoleArn: _, ...spec }) => spec,
  USB_DEVICE_FILTER_STRINGS: ({ UsbDeviceFilterStrings: _, ...spec }) => spec,
  SESSION_SCRIPT_S3_LOCATION: ({ SessionScriptS3Location: _, ...spec }) => spec,
  MAX_SESSIONS_PER_INSTANCE: ({ MaxSessionsPerInstance: _, ...spec }) => spec,
  VOLUME_CONFIGURATION: ({ RootVolumeConfig: _, ...spec }) => spec,
};

/** The AttributesToDelete of an UpdateFleet request (and the deprecated DeleteVpcConfig). */
export function readDeletions(v: Views): FleetAttribute[] {
  const names = Object.keys(DELETABLE) as FleetAttribute[];
  const deletions = (v.shape.strings('AttributesToDelete') ?? []).map((name, index) => {
    if (!(names as string[]).includes(name))
      v.shape.fail(
        `AttributesToDelete.${index + 1}`,
        `Member must satisfy enum value set: [${names.join(', ')}]`,
        name,
      );
    return name as FleetAttribute;
  });
  return v.shape.bool('DeleteVpcConfig') ? [...deletions, 'VPC_CONFIGURATION'] : deletions;
}

/** The configuration after an update: deletions first, then the members set. */
export function updated(spec: FleetSpec, changes: FleetAttributes, deletions: readonly FleetAttribute[]): FleetSpec {
  const base = { ...deletions.reduce((current, attribute) => DELETABLE[attribute](current), spec) };
  // A fleet runs one image: naming it one way replaces the other.
  if (changes.ImageName !== undefined) delete base.ImageArn;
  if (changes.ImageArn !== undefined) delete base.ImageName;
  return { ...base, ...changes };
}

/**
 * What UpdateFleet may change on a RUNNING fleet. appstream_2017-06-05_fleets.txt, UpdateFleet:
 * "All the attributes except the fleet name can be updated in the STOPPED state. When a fleet is in
 * the RUNNING state, only DisplayName and ComputeCapacity can be updated. A fleet cannot be updated
 * in a status of STARTING or STOPPING." (The SDK's reference allows more, e.g. ImageName and the
 * timeouts; the document wins on behaviour.)
 *
 * The document predates ELASTIC fleets. Their capacity is MaxConcurrentSessions (they take no
 * ComputeCapacity, see checkCombination), so it stands in for ComputeCapacity in the same rule:
 * a RUNNING ELASTIC fleet takes DisplayName and MaxConcurrentSessions, and everything else needs
 * the fleet STOPPED. Refusing it would leave ELASTIC fleets unscalable while in use.
 */
export const CHANGEABLE_WHILE_RUNNING: readonly (keyof FleetSpec)[] = [
  'DisplayName',
  'ComputeCapacity',
  'MaxConcurrentSessions',
];

const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);

/**
 * The members an UpdateFleet request would change on a RUNNING fleet that it may not: those it
 * sets to a value other than the current one, and those its deletions would clear. Re-sending an
 * unchanged value (or deleting what the fleet does not have) is tolerated, as AWS does.
 */
export function refusedWhileRunning(
  spec: FleetSpec,
  changes: FleetAttributes,
  deletions: readonly FleetAttribute[],
): string[] {
  const set = (Object.keys(changes) as (keyof FleetAttributes)[]).filter((name) =>
    differs(spec[name], changes[name]),
  );
  const cleared = updated(spec, {}, deletions);
  const deleted = (Object.keys(spec) as (keyof FleetSpec)[]).filter((name) => differs(spec[name], cleared[name]));
  return [...new Set<string>([...set, ...deleted])].filter(
    (name) => !(CHANGEABLE_WHILE_RUNNING as readonly string[]).includes(name),
  );
}
