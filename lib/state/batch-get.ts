import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH = 100;
const MAX_ROUNDS = 6;

/**
 * Reads many items of one table by key, consistently, in as few calls as DynamoDB allows (100 keys
 * a call), asking again for the keys DynamoDB leaves unprocessed under load (the SDK already backs
 * off on throttling). Missing items are simply not returned.
 */
export async function batchGetItems(
  client: DynamoDBDocumentClient,
  table: string,
  keys: ReadonlyArray<Record<string, unknown>>,
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < keys.length; i += BATCH) {
    let pending: Array<Record<string, unknown>> | undefined = keys.slice(i, i + BATCH);
    for (let round = 0; pending && pending.length > 0; round += 1) {
      if (round >= MAX_ROUNDS) throw new Error(`DynamoDB left ${pending.length} items of ${table} unread after ${MAX_ROUNDS} attempts`);
      const answer: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(answer.Responses?.[table] ?? []));
      pending = answer.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return items;
}
