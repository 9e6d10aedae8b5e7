import type { AuthenticationType, Session } from '@aws-sdk/client-appstream';
import { sha256Hex, stableUuid } from '../../ids.ts';
import { AwsError, compact } from '../../protocol.ts';
import type { Operation } from '../../service.ts';
import { paginate } from '../../paging.ts';
import { COMBINATION, views } from './requests.ts';
import { sessionsPerInstance, type AppStreamStore, type FleetAt } from './store.ts';

/**
 * How the simulated users sign in: SAML federation, as an organisation's staff do. DescribeSessions
 * lists API (streaming URL) sessions unless AuthenticationType says otherwise, so a call without
 * `AuthenticationType: 'SAML'` finds none of them, exactly as on AWS where it surprises people.
 */
export const SIMULATED_AUTHENTICATION_TYPE: AuthenticationType = 'SAML';

const AUTHENTICATION_TYPES: readonly AuthenticationType[] = ['API', 'SAML', 'USERPOOL', 'AWS_AD'];
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

/**
 * The sessions of a fleet at a moment, one per session in use. Session n is the n-th oldest: it
 * keeps its id, user and instance for as long as it lasts; fewer sessions end the newest first.
 * A fleet serving several stacks spreads its sessions over them in turn.
 */
export function simulatedSessions(fleet: FleetAt, stacks: readonly string[]): Session[] {
  const name = fleet.fleet.spec.Name;
  const perInstance = sessionsPerInstance(fleet.fleet.spec);
  return Array.from({ length: stacks.length === 0 ? 0 : fleet.activeSessions }, (_, n) => ({
    Id: stableUuid(`${fleet.fleet.arn}/session/${n}`),
    UserId: `user${n + 1}@example.com`,
    StackName: stacks[n % stacks.length],
    FleetName: name,
    State: 'ACTIVE',
    ConnectionState: 'CONNECTED',
    AuthenticationType: SIMULATED_AUTHENTICATION_TYPE,
    InstanceId: `i-${sha256Hex(`${fleet.fleet.arn}/instance/${Math.floor(n / perInstance)}`).slice(0, 17)}`,
  }));
}

export function sessionOperations(store: AppStreamStore): Record<string, Operation> {
  return {
    /**
     * Past the API model's own checks, every refusal (an unknown stack or fleet included) is
     * InvalidParameterCombinationException: the only error AppStream documents for this call.
     */
    DescribeSessions(input, { now }) {
      const { shape, rules } = views(input);
      const stackName = shape.string('StackName', { required: true, min: 1 });
      const fleetName = shape.string('FleetName', { required: true, min: 1 });
      const userId = shape.string('UserId', { min: 2, max: 128 });
      const instanceId = shape.string('InstanceId', { min: 1 });
      const nextToken = shape.string('NextToken', { min: 1 });
      const given = shape.enum('AuthenticationType', AUTHENTICATION_TYPES);
      const limit = rules.int('Limit', { min: 1, max: MAX_LIMIT }) ?? DEFAULT_LIMIT;
      if (userId !== undefined && given === undefined)
        rules.fail('AuthenticationType', 'Member must be set when UserId is set', given);
      const authenticationType = given ?? 'API';

      const refuse = (message: string) => new AwsError(COMBINATION, message);
      const stack = store.stacks.get(stackName);
      if (!stack) throw refuse(`Stack ${stackName} does not exist.`);
      const fleet = store.fleets.get(fleetName);
      if (!fleet) throw refuse(`Fleet ${fleetName} does not exist.`);
      if (stack.fleet !== fleetName) throw refuse(`Fleet ${fleetName} is not associated with stack ${stackName}.`);
      const sessions = simulatedSessions(store.at(fleet, now), store.stacksOf(fleetName)).filter(
        (session) =>
          session.StackName === stackName &&
          session.AuthenticationType === authenticationType &&
          (userId === undefined || session.UserId === userId) &&
          (instanceId === undefined || session.InstanceId === instanceId),
      );
      const page = paginate(sessions, {
        limit,
        nextToken,
        query: JSON.stringify([stackName, fleetName, userId, instanceId, authenticationType]),
        errorType: COMBINATION,
      });
      return compact({ Sessions: page.page, NextToken: page.nextToken });
    },
  };
}
