import { AwsError, compact } from '../../protocol.ts';
import type { Operation } from '../../service.ts';
import { paginate } from '../../paging.ts';
import {
  checkCombination,
  readAttributes,
  readDeletions,
  readNewFleet,
  refusedWhileRunning,
  updated,
} from './fleet-spec.ts';
import { busy, inUse, NAME_PATTERN, PAGE_SIZE, VALIDATION, views } from './requests.ts';
import { enter, type AppStreamStore } from './store.ts';
import { readTags } from './tags.ts';

/**
 * Fleet lifecycle: created STOPPED; StartFleet → STARTING → RUNNING; StopFleet → STOPPING →
 * STOPPED; deleted only when STOPPED and streaming no stack. Starting a fleet that is starting or
 * running (and stopping one that is stopping or stopped) changes nothing, so retries are safe.
 */
export function fleetOperations(store: AppStreamStore): Record<string, Operation> {
  const named = (input: unknown) => store.fleet(views(input).shape.string('Name', { required: true, min: 1 }));

  return {
    CreateFleet(input, { now }) {
      const v = views(input);
      const spec = readNewFleet(v);
      const tags = readTags(v.shape) ?? {};
      if (store.fleets.has(spec.Name))
        throw new AwsError('ResourceAlreadyExistsException', `Fleet ${spec.Name} already exists.`);
      return { Fleet: store.at(store.newFleet(spec, tags, now), now).wire };
    },

    DescribeFleets(input, { now }) {
      const { shape } = views(input);
      const names = shape.strings('Names');
      const fleets = names?.length ? names.map((name) => store.fleet(name)) : [...store.fleets.values()];
      const { page, nextToken } = paginate(fleets, {
        limit: PAGE_SIZE,
        nextToken: shape.string('NextToken', { min: 1 }),
        query: JSON.stringify(names ?? []),
        errorType: VALIDATION,
      });
      return compact({ Fleets: page.map((fleet) => store.at(fleet, now).wire), NextToken: nextToken });
    },

    UpdateFleet(input, { now }) {
      const v = views(input);
      // The API model leaves Name optional, so a missing one is the service's own refusal.
      const name = v.rules.string('Name', { required: true, pattern: NAME_PATTERN });
      const changes = readAttributes(v);
      const deletions = readDeletions(v);
      const fleet = store.at(store.fleet(name), now);
      if (fleet.state === 'STARTING' || fleet.state === 'STOPPING')
        throw busy(`Fleet ${name} is ${fleet.state} and cannot be updated until it is RUNNING or STOPPED.`);
      // A RUNNING fleet takes DisplayName and ComputeCapacity only (fleet-spec.ts, CHANGEABLE_WHILE_RUNNING).
      const refused = fleet.state === 'RUNNING' ? refusedWhileRunning(fleet.fleet.spec, changes, deletions) : [];
      if (refused.length > 0)
        // The request is well formed; the fleet's state is what forbids it.
        throw new AwsError(
          'OperationNotPermittedException',
          `Fleet ${name} is RUNNING, and a RUNNING fleet accepts changes to DisplayName and ComputeCapacity only; ` +
            `refused: ${refused.join(', ')}. Stop the fleet first (StopFleet), then update it once it is STOPPED.`,
        );
      const next = updated(fleet.fleet.spec, changes, deletions);
      checkCombination(next, v.rules);
      fleet.reconfigure(next);
      return { Fleet: store.at(fleet.fleet, now).wire };
    },

    StartFleet(input, { now }) {
      const fleet = store.at(named(input), now);
      if (fleet.state === 'STOPPING')
        throw busy(`Fleet ${fleet.fleet.spec.Name} is STOPPING; start it once it is STOPPED.`);
      if (fleet.state === 'STOPPED') enter(fleet.fleet, 'STARTING', now);
      return {};
    },

    StopFleet(input, { now }) {
      const fleet = store.at(named(input), now);
      if (fleet.state === 'STARTING' || fleet.state === 'RUNNING') enter(fleet.fleet, 'STOPPING', now);
      return {};
    },

    DeleteFleet(input, { now }) {
      const fleet = store.at(named(input), now);
      const name = fleet.fleet.spec.Name;
      if (fleet.state !== 'STOPPED')
        throw inUse(`Fleet ${name} is ${fleet.state}; stop it and wait until it is STOPPED.`);
      const stacks = store.stacksOf(name);
      if (stacks.length > 0)
        throw inUse(`Fleet ${name} is associated with stack ${stacks.join(', ')}; disassociate it first.`);
      store.fleets.delete(name);
      return {};
    },
  };
}
