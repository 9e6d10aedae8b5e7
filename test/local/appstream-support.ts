import {
  DescribeFleetsCommand,
  type AppStreamClient,
  type CreateFleetCommandInput,
  type Fleet,
} from '@aws-sdk/client-appstream';

/** Shared pieces of the AppStream conformance tests. */

let counter = 0;
/** A fleet or stack name no other test in the file uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A valid single-session ALWAYS_ON CreateFleet input; tests override what they exercise. */
export function fleetInput(name: string, overrides: Partial<CreateFleetCommandInput> = {}): CreateFleetCommandInput {
  return {
    Name: name,
    ImageName: 'Corporate-Apps-2026-11',
    InstanceType: 'stream.standard.medium',
    FleetType: 'ALWAYS_ON',
    ComputeCapacity: { DesiredInstances: 2 },
    ...overrides,
  };
}

/** A valid ELASTIC CreateFleet input. */
export function elasticFleetInput(
  name: string,
  overrides: Partial<CreateFleetCommandInput> = {},
): CreateFleetCommandInput {
  return {
    Name: name,
    InstanceType: 'stream.standard.small',
    FleetType: 'ELASTIC',
    Platform: 'WINDOWS_SERVER_2019',
    MaxConcurrentSessions: 5,
    VpcConfig: { SubnetIds: ['subnet-0a', 'subnet-0b'] },
    ...overrides,
  };
}

export async function describeFleet(client: AppStreamClient, name: string): Promise<Fleet> {
  const { Fleets } = await client.send(new DescribeFleetsCommand({ Names: [name] }));
  const fleet = Fleets?.[0];
  if (!fleet) throw new Error(`DescribeFleets returned no fleet ${name}`);
  return fleet;
}

/** The seed entry of a fleet that is RUNNING with its capacity in place. */
export function seededFleet(name: string, desired: number, extra: Record<string, unknown> = {}) {
  return { ...fleetInput(name, { ComputeCapacity: { DesiredInstances: desired } }), ...extra };
}
