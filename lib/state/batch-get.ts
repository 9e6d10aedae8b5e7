import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { setTimeout as delay } from 'node:timers/promises';
import { backoffDelay } from '#lib/aws/backoff.ts';
import { mapConcurrently } from '#lib/aws/concurrency.ts';

/** BatchGetItem takes at most 100 keys per call. */
export const BATCH_GET_KEYS = 100;
const MAX_ROUNDS = 6;
/** Waits before asking again for unprocessed keys: up to 50 ms, doubling, at most 1 s (full jitter). */
const UNPROCESSED_BASE_DELAY_MS = 50;
const UNPROCESSED_MAX_DELAY_MS = 1_000;
/**
 * Batches read at once: 2,000 targets are 20 batches, 20 round trips one after the other but 3
 * with 8 in flight; 800 consistent reads at a time are far below what a table on demand serves.
 */
export const BATCHES_IN_FLIGHT = 8;

/**
 * Reads many items of one table by key, consistently, in as few calls as DynamoDB allows (100 keys
 * a call, BATCHES_IN_FLIGHT at a time), asking again for the keys DynamoDB leaves unprocessed under
 * load, after a backoff as AWS advises (the SDK backs off on throttling errors, but unprocessed
 * keys come in a successful answer). Missing items are simply not returned.
 */
export async function batchGetItems(
  client: DynamoDBDocumentClient,
  table: string,
  keys: ReadonlyArray<Record<string, unknown>>,
  sleep: (ms: number) => Promise<unknown> = delay,
): Promise<Array<Record<string, unknown>>> {
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) batches.push(keys.slice(i, i + BATCH_GET_KEYS));
  const read = await mapConcurrently(batches, BATCHES_IN_FLIGHT, async (batch) => {
    const items: Array<Record<string, unknown>> = [];
    let pending: Array<Record<string, unknown>> | undefined = batch;
    for (let round = 0; pending && pending.length > 0; round += 1) {
      if (round >= MAX_ROUNDS) throw new Error(`DynamoDB left ${pending.length} items of ${table} unread after ${MAX_ROUNDS} attempts`);
      if (round > 0) await sleep(backoffDelay(round, UNPROCESSED_BASE_DELAY_MS, UNPROCESSED_MAX_DELAY_MS));
      const answer: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(answer.Responses?.[table] ?? []));
      pending = answer.UnprocessedKeys?.[table]?.Keys;
    }
    return items;
  });
  return read.flat();
}
