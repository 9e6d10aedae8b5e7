import type { FleetState } from '@aws-sdk/client-appstream';
import { checkSeed } from '../../seed-errors.ts';
import type { SeedDocument } from '../../service.ts';
import { FLEET_STATES, readNewFleet } from './fleet-spec.ts';
import { views, type Views } from './requests.ts';
import { readNewStack } from './stacks.ts';
import {
  DEFAULT_PROVISIONING_RATE_PER_MINUTE,
  enter,
  type AppStreamStore,
  type FleetSpec,
  type StackSpec,
} from './store.ts';
import { readTags } from './tags.ts';

/**
 * The `appstream` section of a seed document:
 *
 *   appstream:
 *     fleets:   # CreateFleet input, plus
 *       - { Name: …, …, State: RUNNING, ProvisioningRatePerMinute: 2 }
 *     stacks:   # CreateStack input, plus the fleet to associate
 *       - { Name: …, Fleets: [fleet-name] }
 *
 * A fleet's State defaults to RUNNING, with its desired capacity running at once. Entries are
 * checked as the API checks them, all before any is applied; a fleet or stack of the same name
 * is replaced.
 */
export function seedAppStream(store: AppStreamStore, document: SeedDocument, now: number): void {
  const section = document.appstream;
  if (section === undefined) return;
  if (!isRecord(section)) throw new RangeError('seed.appstream must be an object with `fleets` and `stacks` lists');
  const { fleets, stacks } = checkSeed('appstream', () => {
    const fleets = list(section.fleets, 'appstream.fleets').map(readSeededFleet);
    const known = new Set([...store.fleets.keys(), ...fleets.map((fleet) => fleet.spec.Name)]);
    const stacks = list(section.stacks, 'appstream.stacks').map((entry, index) => readSeededStack(entry, index, known));
    return { fleets, stacks };
  });
  for (const { spec, tags, state, ratePerMinute } of fleets)
    enter(store.newFleet(spec, tags, now, ratePerMinute), state, now);
  for (const { spec, tags, fleet } of stacks) store.newStack(spec, tags, now).fleet = fleet;
}

interface SeededFleet {
  spec: FleetSpec;
  tags: Record<string, string>;
  state: FleetState;
  ratePerMinute: number;
}

interface SeededStack {
  spec: StackSpec;
  tags: Record<string, string>;
  fleet: string | undefined;
}

function readSeededFleet(entry: unknown, index: number): SeededFleet {
  const v: Views = views(record(entry, `appstream.fleets[${index}]`), `appstream.fleets[${index}].`);
  const rate = v.shape.raw('ProvisioningRatePerMinute') ?? DEFAULT_PROVISIONING_RATE_PER_MINUTE;
  if (typeof rate !== 'number' || !(rate > 0))
    v.shape.fail('ProvisioningRatePerMinute', 'Member must be a number greater than 0', rate);
  return {
    spec: readNewFleet(v),
    tags: readTags(v.shape) ?? {},
    state: v.shape.enum('State', FLEET_STATES) ?? 'RUNNING',
    ratePerMinute: rate,
  };
}

function readSeededStack(entry: unknown, index: number, fleets: ReadonlySet<string>): SeededStack {
  const v: Views = views(record(entry, `appstream.stacks[${index}]`), `appstream.stacks[${index}].`);
  const names = v.shape.strings('Fleets') ?? [];
  if (names.length > 1)
    v.shape.fail('Fleets', 'A stack streams from one fleet at a time, as AssociateFleet enforces', names);
  const [fleet] = names;
  if (fleet !== undefined && !fleets.has(fleet))
    v.shape.fail('Fleets.1', 'Member must name a fleet of the seed or of the cloud', fleet);
  return { spec: readNewStack(v), tags: readTags(v.shape) ?? {}, fleet };
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new RangeError(`seed.${path} must be a list`);
  return value;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new RangeError(`seed.${path} must be an object`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
