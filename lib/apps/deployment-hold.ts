import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '#lib/state/batch-get.ts';

/**
 * One deployment workflow per WorkSpace at a time, in the state table: item pk
 * `workspace/<id>`, sk `deployment`.
 *
 * - A starter (the CloudTrail reactor, the sweeper) claims the WorkSpace with a conditional write
 *   before it starts a workflow: only when nobody holds it, the hold expired, or the hold is
 *   already this execution's (the same event delivered again: StartExecution with the same name
 *   and input is then a no-op). A claim refused means a workflow is running, and that workflow
 *   looks at every association of the WorkSpace until they settle, so it covers what the starter
 *   came for (two associations a second apart: one deployment).
 * - The workflow releases its own hold when it ends, and in the same write records what it left
 *   parked: applications it did not deploy because the WorkSpace cannot take them, or a WorkSpace
 *   it could not deploy to at all (stopped by policy, terminated). The sweeper leaves parked
 *   associations alone, so a problem is reported once, not every sweep; any CloudTrail event
 *   about the WorkSpace (an operator changing it) starts a fresh look regardless.
 */
export interface DeploymentHold {
  workspaceId: string;
  /** The execution holding the WorkSpace, until `until` (epoch ms). */
  execution?: string;
  until?: number;
  parked?: ParkedDeployment;
}

export interface ParkedDeployment {
  /** Epoch ms. */
  at: number;
  /** Applications reported as not deployable (incompatible, or all of them when the WorkSpace was unavailable). */
  applicationIds: string[];
  /** The WorkSpace could take none: its state then (STOPPED with the `report` policy, TERMINATED…). */
  workspaceState?: string;
}

const SORT_KEY = 'deployment';
/** Hold items outlive their last workflow by this long, then DynamoDB's TTL removes them. */
const RETENTION_SECONDS = 30 * 86_400;

export function holdKey(workspaceId: string): { pk: string; sk: string } {
  return { pk: `workspace/${workspaceId}`, sk: SORT_KEY };
}

/**
 * Claims the WorkSpace for `execution` until `until`. True when the claim is this execution's
 * (new, or already its own); false when another execution holds it.
 */
export async function claimDeployment(
  client: DynamoDBDocumentClient,
  table: string,
  claim: { workspaceId: string; execution: string; now: number; until: number },
): Promise<boolean> {
  return conditionalUpdate(client, table, claim.workspaceId, {
    update: 'SET execution = :execution, #until = :until, claimedAt = :now, expiresAt = :expiresAt',
    condition: 'attribute_not_exists(execution) OR #until < :now OR execution = :execution',
    values: {
      ':execution': claim.execution,
      ':until': claim.until,
      ':now': claim.now,
      ':expiresAt': Math.floor(claim.until / 1000) + RETENTION_SECONDS,
    },
  });
}

/**
 * Ends `execution`'s hold, recording what it left parked (or clearing what an earlier workflow
 * parked). False when the hold was not this execution's any more: nothing is written then.
 */
export async function releaseDeployment(
  client: DynamoDBDocumentClient,
  table: string,
  release: { workspaceId: string; execution: string; now: number; parked?: ParkedDeployment },
): Promise<boolean> {
  const { parked } = release;
  return conditionalUpdate(client, table, release.workspaceId, {
    update: parked
      ? 'SET releasedAt = :now, expiresAt = :expiresAt, parked = :parked REMOVE execution, #until'
      : 'SET releasedAt = :now, expiresAt = :expiresAt REMOVE execution, #until, parked',
    condition: 'execution = :execution',
    values: {
      ':execution': release.execution,
      ':now': release.now,
      ':expiresAt': Math.floor(release.now / 1000) + RETENTION_SECONDS,
      ...(parked ? { ':parked': parked } : {}),
    },
  });
}

/**
 * Gives up a claim whose workflow did not start (StartExecution failed or the execution already
 * existed), leaving what an earlier workflow parked as it was. False when the claim was not
 * `execution`'s.
 */
export async function abandonClaim(
  client: DynamoDBDocumentClient,
  table: string,
  claim: { workspaceId: string; execution: string },
): Promise<boolean> {
  return conditionalUpdate(client, table, claim.workspaceId, {
    update: 'REMOVE execution, #until',
    condition: 'execution = :execution',
    values: { ':execution': claim.execution },
  });
}

/** The holds of many WorkSpaces; WorkSpaces never held are left out. */
export async function readDeploymentHolds(
  client: DynamoDBDocumentClient,
  table: string,
  workspaceIds: readonly string[],
): Promise<Map<string, DeploymentHold>> {
  const items = await batchGetItems(client, table, workspaceIds.map(holdKey));
  return new Map(items.map((item) => {
    const hold = fromItem(item);
    return [hold.workspaceId, hold];
  }));
}

/** Whether a hold keeps starters away at `now`. */
export function isHeld(hold: DeploymentHold | undefined, now: number): boolean {
  return hold?.execution !== undefined && (hold.until ?? 0) >= now;
}

/**
 * The WorkSpace state the last workflow parked these applications in: '' when they were parked
 * as incompatible, the state when the WorkSpace could take none; undefined when any of them was
 * not parked (it needs a workflow).
 */
export function parkedState(hold: DeploymentHold | undefined, applicationIds: readonly string[]): string | undefined {
  const parked = hold?.parked;
  if (!parked || !applicationIds.every((id) => parked.applicationIds.includes(id))) return undefined;
  return parked.workspaceState ?? '';
}

async function conditionalUpdate(
  client: DynamoDBDocumentClient,
  table: string,
  workspaceId: string,
  change: { update: string; condition: string; values: Record<string, unknown> },
): Promise<boolean> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: holdKey(workspaceId),
        UpdateExpression: change.update,
        ConditionExpression: change.condition,
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: change.values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

function fromItem(item: Record<string, unknown>): DeploymentHold {
  const workspaceId = String(item.pk).replace(/^workspace\//, '');
  const parked = item.parked && typeof item.parked === 'object' ? (item.parked as ParkedDeployment) : undefined;
  return {
    workspaceId,
    ...(typeof item.execution === 'string' ? { execution: item.execution } : {}),
    ...(typeof item.until === 'number' ? { until: item.until } : {}),
    ...(parked ? { parked } : {}),
  };
}
