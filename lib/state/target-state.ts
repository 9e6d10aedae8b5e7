import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Override } from '#lib/overrides/override.ts';
import { batchGetItems } from './batch-get.ts';

/**
 * What euc-autopilot remembers about each managed target between ticks, one item per target in
 * the state table (pk = target key, sk = "state"). Every write is conditional on the version read,
 * so when two ticks overlap only the first applies its decision; the second learns it lost and
 * does nothing (the change is never applied twice).
 */
export interface TargetState {
  /** `pool/<id>` or `fleet/<name>`. */
  target: string;
  /** 0 for a target never written; each write increments it. */
  version: number;
  lastChange?: { at: number; from: number; to: number; cause: 'schedule' | 'usage' | 'limits' };
  lastUsageScaleOutAt?: number;
  /** Recent usage recommendations, for the scale-in stabilization window (oldest first). */
  usageRecommendations: Array<{ at: number; value: number }>;
  /** Set while the target is in a state that defers changes, so "deferred" is recorded once. */
  deferred?: { since: number; state: string };
  /** Set while a conflict (e.g. native Application Auto Scaling) keeps euc-autopilot off it. */
  conflict?: { since: number; reason: string };
  /** A capacity-change workflow working on the target; ticks leave it alone until `until`. */
  inFlight?: { execution: string; desired: number; until: number };
  /** The last dry-run decision recorded, so an unchanged one is not recorded every tick. */
  lastDryRun?: { action: string; desired: number };
  /** The last change that failed, so the same change is not retried (and reported) every tick. */
  lastFailure?: { at: number; desired: number; reason: string };
  /** An operator's time-boxed hold, floor or pause (lib/overrides), kept until the tick sees it expire. */
  override?: Override;
}

export class StaleStateError extends Error {
  override readonly name = 'StaleStateError';
}

const SORT_KEY = 'state';

export function emptyState(target: string): TargetState {
  return { target, version: 0, usageRecommendations: [] };
}

/** Reads the states of many targets (targets never written have the empty state). */
export async function readStates(
  client: DynamoDBDocumentClient,
  table: string,
  targets: readonly string[],
): Promise<Map<string, TargetState>> {
  const states = new Map(targets.map((target) => [target, emptyState(target)]));
  const items = await batchGetItems(client, table, targets.map((target) => ({ pk: target, sk: SORT_KEY })));
  for (const item of items) {
    const state = fromItem(item);
    states.set(state.target, state);
  }
  return states;
}

/**
 * Writes the next state of a target if nobody wrote it since `previous` was read; otherwise
 * throws StaleStateError (another tick won the race).
 */
export async function writeState(
  client: DynamoDBDocumentClient,
  table: string,
  previous: TargetState,
  next: Omit<TargetState, 'target' | 'version'>,
): Promise<TargetState> {
  const written: TargetState = { ...next, target: previous.target, version: previous.version + 1 };
  try {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: { pk: written.target, sk: SORT_KEY, ...withoutUndefined(written) },
        ConditionExpression: previous.version === 0 ? 'attribute_not_exists(pk)' : '#version = :version',
        ...(previous.version === 0
          ? {}
          : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': previous.version } }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new StaleStateError(`${previous.target} was changed by another run since version ${previous.version}`, { cause: error });
    }
    throw error;
  }
  return written;
}

/**
 * Ends a workflow's hold on its target, if the hold is still that workflow's (a later tick may
 * have taken over after the hold expired), recording in the same write why its change failed
 * when it did (`lastFailure`, so a tick backs off instead of failing the same change every
 * minute). Bumps the version so a tick that read the old state cannot write over it. False when
 * the hold was no longer the workflow's: nothing is written then.
 */
export function releaseInFlight(
  client: DynamoDBDocumentClient,
  table: string,
  target: string,
  execution: string,
  failure?: NonNullable<TargetState['lastFailure']>,
): Promise<boolean> {
  return updateHeld(client, { table, target, execution }, {
    update: `REMOVE inFlight SET #version = #version + :one${failure ? ', lastFailure = :failure' : ''}`,
    values: failure ? { ':failure': failure } : {},
  });
}

/**
 * Confirms, right before a workflow acts on its target, that the hold is still that workflow's and
 * lasts at least until `actBefore` (the latest time the action may still be under way): one
 * conditional write, which also bumps the version so a tick that read the state earlier cannot
 * claim over it. False when the hold was released, expired too soon or taken over by a later
 * tick: the workflow must then leave the target alone.
 */
export function confirmInFlight(
  client: DynamoDBDocumentClient,
  table: string,
  target: string,
  execution: string,
  actBefore: number,
): Promise<boolean> {
  return updateHeld(client, { table, target, execution }, {
    update: 'SET #version = #version + :one',
    condition: ' AND inFlight.#until > :actBefore',
    names: { '#until': 'until' },
    values: { ':actBefore': actBefore },
  });
}

/**
 * Sets (or, with `undefined`, clears) a target's override, creating the state item if the target
 * was never ticked; bumps the version so a tick that read the state before cannot write over it.
 * Clearing with `onlyId` leaves a different (newer) override alone: false then.
 */
export async function writeOverride(
  client: DynamoDBDocumentClient,
  table: string,
  target: string,
  override: Override | undefined,
  onlyId?: string,
): Promise<boolean> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: target, sk: SORT_KEY },
        UpdateExpression: `SET #version = if_not_exists(#version, :zero) + :one, usageRecommendations = if_not_exists(usageRecommendations, :none)${override ? ', #override = :override' : ' REMOVE #override'}`,
        ...(onlyId ? { ConditionExpression: '#override.id = :id' } : {}),
        ExpressionAttributeNames: { '#version': 'version', '#override': 'override' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':none': [], ...(override ? { ':override': override } : {}), ...(onlyId ? { ':id': onlyId } : {}) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** An update of a target's state that applies only while `execution` holds it; false when it does not. */
async function updateHeld(
  client: DynamoDBDocumentClient,
  where: { table: string; target: string; execution: string },
  change: { update: string; condition?: string; names?: Record<string, string>; values: Record<string, unknown> },
): Promise<boolean> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: where.table,
        Key: { pk: where.target, sk: SORT_KEY },
        UpdateExpression: change.update,
        ConditionExpression: `inFlight.execution = :execution${change.condition ?? ''}`,
        ExpressionAttributeNames: { '#version': 'version', ...change.names },
        ExpressionAttributeValues: { ':execution': where.execution, ':one': 1, ...change.values },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

function fromItem(item: Record<string, unknown>): TargetState {
  const { pk, sk: _sk, ...rest } = item;
  return { ...(rest as Omit<TargetState, 'target'>), target: String(pk), usageRecommendations: (rest.usageRecommendations as TargetState['usageRecommendations']) ?? [] };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
