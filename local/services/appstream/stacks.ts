import type { Stack } from '@aws-sdk/client-appstream';
import { AwsError, compact } from '../../protocol.ts';
import type { Operation } from '../../service.ts';
import { paginate } from '../../paging.ts';
import type { Params } from '../../validation.ts';
import { inUse, NAME_PATTERN, notFound, PAGE_SIZE, VALIDATION, views, type Views } from './requests.ts';
import { stackWire, type AppStreamStore, type StackSpec } from './store.ts';
import { readTags } from './tags.ts';

/** A new stack's configuration from a CreateStack request (or a seed entry). */
export function readNewStack({ shape }: Views): StackSpec {
  const url = (name: string) => shape.string(name, { max: 1000 });
  return {
    Name: shape.string('Name', { required: true, pattern: NAME_PATTERN }),
    DisplayName: shape.string('DisplayName', { max: 100 }),
    Description: shape.string('Description', { max: 256 }),
    RedirectURL: url('RedirectURL'),
    FeedbackURL: url('FeedbackURL'),
    EmbedHostDomains: shape.strings('EmbedHostDomains', { max: 20 }),
    // Settings that change nothing here are kept as given once their structure is sound.
    StorageConnectors: structures<Stack['StorageConnectors']>(shape, 'StorageConnectors'),
    UserSettings: structures<Stack['UserSettings']>(shape, 'UserSettings'),
    AccessEndpoints: structures<Stack['AccessEndpoints']>(shape, 'AccessEndpoints'),
    ApplicationSettings:
      shape.object('ApplicationSettings') && (shape.raw('ApplicationSettings') as Stack['ApplicationSettings']),
    StreamingExperienceSettings:
      shape.object('StreamingExperienceSettings') &&
      (shape.raw('StreamingExperienceSettings') as Stack['StreamingExperienceSettings']),
  };
}

function structures<T>(shape: Params, name: string): T | undefined {
  return shape.objects(name) && (shape.raw(name) as T);
}

/**
 * Stacks and their fleet. A stack streams from one fleet at a time (a second association is
 * refused with LimitExceededException); a fleet may serve several stacks.
 */
export function stackOperations(store: AppStreamStore): Record<string, Operation> {
  const pair = (input: unknown) => {
    const { shape } = views(input);
    const fleetName = shape.string('FleetName', { required: true, min: 1 });
    const stackName = shape.string('StackName', { required: true, min: 1 });
    return { fleet: store.fleet(fleetName), stack: store.stack(stackName) };
  };
  const names = (list: string[], nextToken: string | undefined, query: string) => {
    const { page, nextToken: next } = paginate(list, { limit: PAGE_SIZE, nextToken, query, errorType: VALIDATION });
    return compact({ Names: page, NextToken: next });
  };

  return {
    CreateStack(input, { now }) {
      const v = views(input);
      const spec = readNewStack(v);
      const tags = readTags(v.shape) ?? {};
      if (store.stacks.has(spec.Name))
        throw new AwsError('ResourceAlreadyExistsException', `Stack ${spec.Name} already exists.`);
      return { Stack: stackWire(store.newStack(spec, tags, now)) };
    },

    DescribeStacks(input) {
      const { shape } = views(input);
      const requested = shape.strings('Names');
      const stacks = requested?.length ? requested.map((name) => store.stack(name)) : [...store.stacks.values()];
      const { page, nextToken } = paginate(stacks, {
        limit: PAGE_SIZE,
        nextToken: shape.string('NextToken', { min: 1 }),
        query: JSON.stringify(requested ?? []),
        errorType: VALIDATION,
      });
      return compact({ Stacks: page.map(stackWire), NextToken: nextToken });
    },

    AssociateFleet(input) {
      const { fleet, stack } = pair(input);
      const name = fleet.spec.Name;
      if (stack.fleet !== undefined && stack.fleet !== name)
        throw new AwsError(
          'LimitExceededException',
          `Stack ${stack.spec.Name} is already associated with fleet ${stack.fleet}; a stack streams from one fleet at a time.`,
        );
      stack.fleet = name;
      return {};
    },

    DisassociateFleet(input, { now }) {
      const { fleet, stack } = pair(input);
      const name = fleet.spec.Name;
      if (stack.fleet !== name) throw notFound(`Fleet ${name} is not associated with stack ${stack.spec.Name}.`);
      const sessions = store.at(fleet, now).activeSessions;
      if (sessions > 0)
        throw inUse(`Fleet ${name} has ${sessions} streaming sessions; it can be disassociated once they end.`);
      stack.fleet = undefined;
      return {};
    },

    // AppStream documents no errors for these two: an unknown name simply has no associations.
    ListAssociatedStacks(input) {
      const { shape } = views(input);
      const fleetName = shape.string('FleetName', { required: true, min: 1 });
      return names(store.stacksOf(fleetName), shape.string('NextToken', { min: 1 }), fleetName);
    },

    ListAssociatedFleets(input) {
      const { shape } = views(input);
      const stackName = shape.string('StackName', { required: true, min: 1 });
      const fleet = store.stacks.get(stackName)?.fleet;
      return names(fleet === undefined ? [] : [fleet], shape.string('NextToken', { min: 1 }), stackName);
    },
  };
}
