import {
  DescribeFleetsCommand,
  ListTagsForResourceCommand,
  StartFleetCommand,
  StopFleetCommand,
  UpdateFleetCommand,
  type AppStreamClient,
  type Fleet,
} from '@aws-sdk/client-appstream';
import type { CapacityModel, FleetTarget } from './types.ts';

/**
 * AppStream fleets adapter. DescribeFleets takes no page size: it is paged by NextToken as the
 * service chooses, one call per page.
 */
export async function describeAllFleets(client: AppStreamClient): Promise<Fleet[]> {
  const fleets: Fleet[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeFleetsCommand({ NextToken: nextToken }));
    fleets.push(...(page.Fleets ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return fleets;
}

/** One fleet by name: one DescribeFleets call (Names), undefined when it does not exist. */
export async function describeFleet(client: AppStreamClient, name: string): Promise<Fleet | undefined> {
  try {
    const { Fleets = [] } = await client.send(new DescribeFleetsCommand({ Names: [name] }));
    return Fleets.find((fleet) => fleet.Name === name);
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** A fleet's tags: one ListTagsForResource call. */
export async function fleetTags(client: AppStreamClient, fleetArn: string): Promise<Record<string, string>> {
  const { Tags = {} } = await client.send(new ListTagsForResourceCommand({ ResourceArn: fleetArn }));
  return Tags;
}

export function capacityModelOf(fleet: Pick<Fleet, 'FleetType' | 'MaxSessionsPerInstance'>): CapacityModel {
  if (fleet.FleetType === 'ELASTIC') return 'fleet-elastic';
  return (fleet.MaxSessionsPerInstance ?? 1) > 1 ? 'fleet-sessions' : 'fleet-instances';
}

export function fleetTarget(fleet: Fleet): Omit<FleetTarget, 'matchedSelectors' | 'tags'> {
  const name = required(fleet.Name, 'Name');
  const status = fleet.ComputeCapacityStatus;
  const capacityModel = capacityModelOf(fleet);
  const base = {
    kind: 'fleet' as const,
    id: name,
    name,
    arn: fleet.Arn ?? '',
    state: required(fleet.State, 'State'),
    fleetType: fleet.FleetType,
    sessionsPerInstance: capacityModel === 'fleet-sessions' ? (fleet.MaxSessionsPerInstance ?? 1) : 1,
    capacityModel,
  };
  switch (capacityModel) {
    case 'fleet-instances':
      return {
        ...base,
        unit: 'instances',
        desired: status?.Desired ?? 0,
        actual: status?.Running ?? 0,
        active: status?.InUse ?? 0,
        available: status?.Available ?? 0,
      };
    case 'fleet-sessions':
      return {
        ...base,
        unit: 'sessions',
        desired: status?.DesiredUserSessions ?? 0,
        actual: status?.ActualUserSessions ?? 0,
        active: status?.ActiveUserSessions ?? 0,
        available: status?.AvailableUserSessions ?? 0,
      };
    default: {
      // ELASTIC: the ceiling is the capacity; sessions in use are reported as instances in use.
      const ceiling = fleet.MaxConcurrentSessions ?? 0;
      const active = status?.ActiveUserSessions ?? status?.InUse ?? 0;
      return { ...base, unit: 'sessions', desired: ceiling, actual: ceiling, active, available: Math.max(0, ceiling - active) };
    }
  }
}

export async function setFleetCapacity(client: AppStreamClient, name: string, model: CapacityModel, n: number): Promise<void> {
  const change =
    model === 'fleet-elastic'
      ? { MaxConcurrentSessions: n }
      : model === 'fleet-sessions'
        ? { ComputeCapacity: { DesiredSessions: n } }
        : { ComputeCapacity: { DesiredInstances: n } };
  await client.send(new UpdateFleetCommand({ Name: name, ...change }));
}

export async function startFleet(client: AppStreamClient, name: string): Promise<void> {
  await client.send(new StartFleetCommand({ Name: name }));
}

export async function stopFleet(client: AppStreamClient, name: string): Promise<void> {
  await client.send(new StopFleetCommand({ Name: name }));
}

function required<T>(value: T | undefined, member: string): T {
  if (value === undefined) throw new Error(`DescribeFleets returned a fleet without ${member}`);
  return value;
}
