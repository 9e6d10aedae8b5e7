import { LOCAL_CREDENTIALS, type LocalCloud } from '#local/cloud.ts';
import { createTargetClients, type TargetClients } from '#lib/targets/index.ts';

/** Shared pieces of the targets adapter tests. */

/**
 * The adapters' clients pointed at a local cloud, as production builds them (retries included),
 * with the backoff shrunk to nothing so a retried throttle costs no wall time.
 */
export function targetClients(cloud: LocalCloud, maxAttempts = 3): TargetClients {
  return createTargetClients({
    endpoint: cloud.url,
    region: cloud.region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts,
    baseDelayMs: 0,
  });
}

/**
 * Records every command the clients send (`WorkSpaces.DescribeWorkspacesPoolsCommand`), once per
 * command whatever its retries: Describe calls leave no CloudTrail record to count.
 */
export function recordCalls(clients: TargetClients): { calls: string[]; count(name: string): number; reset(): void } {
  const calls: string[] = [];
  const note = (service: string, command: unknown) => calls.push(`${service}.${String(command).replace(/Command$/, '')}`);
  const options = { step: 'initialize', name: 'recordCalls' } as const;
  // One add per client: their middleware stacks have different types.
  clients.workspaces.middlewareStack.add((next, context) => (args) => (note('workspaces', context.commandName), next(args)), options);
  clients.appstream.middlewareStack.add((next, context) => (args) => (note('appstream', context.commandName), next(args)), options);
  clients.autoscaling.middlewareStack.add((next, context) => (args) => (note('autoscaling', context.commandName), next(args)), options);
  return {
    calls,
    count: (name) => calls.filter((call) => call.endsWith(`.${name}`)).length,
    reset: () => void calls.splice(0),
  };
}

/** A pool seed entry (RUNNING at its full capacity unless told otherwise). */
export function poolSeed(id: string, name: string, desired: number, extra: Record<string, unknown> = {}) {
  return {
    PoolId: id,
    PoolName: name,
    Description: `${name} desktops`,
    BundleId: 'wsb-0a1b2c3d4',
    DirectoryId: 'd-90670a1b2c',
    Capacity: { DesiredUserSessions: desired },
    ...extra,
  };
}

/** A single-session ALWAYS_ON fleet seed entry (RUNNING with its capacity unless told otherwise). */
export function fleetSeed(name: string, desired: number, extra: Record<string, unknown> = {}) {
  return {
    Name: name,
    ImageName: 'office-apps-2026-11',
    InstanceType: 'stream.standard.medium',
    FleetType: 'ALWAYS_ON',
    ComputeCapacity: { DesiredInstances: desired },
    ...extra,
  };
}

/** A multi-session fleet: `sessions` desired over instances of `perInstance` sessions each. */
export function multiSessionFleetSeed(name: string, sessions: number, perInstance: number, extra: Record<string, unknown> = {}) {
  return fleetSeed(name, 0, { MaxSessionsPerInstance: perInstance, ComputeCapacity: { DesiredSessions: sessions }, ...extra });
}

/** An ELASTIC fleet allowing `maxSessions` concurrent sessions. */
export function elasticFleetSeed(name: string, maxSessions: number) {
  return {
    Name: name,
    InstanceType: 'stream.standard.small',
    FleetType: 'ELASTIC',
    Platform: 'WINDOWS_SERVER_2019',
    MaxConcurrentSessions: maxSessions,
    VpcConfig: { SubnetIds: ['subnet-0a', 'subnet-0b'] },
  };
}

/** Pool ids the emulator accepts: `wspool-` and nine of [0-9a-z]. */
export function poolId(index: number): string {
  return `wspool-${String(index).padStart(9, '0')}`;
}
