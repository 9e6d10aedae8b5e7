import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toItem, type AuditEntry, type AuditKey } from './entry.ts';

export type AuditWrite = { status: 'recorded'; key: AuditKey } | { status: 'duplicate'; key: AuditKey };

/**
 * Use case: record what happened, once.
 * Input: the audit table's client and name, an entry (validated here: a malformed entry is an
 * `InvalidAuditEntryError`, a bug in the caller).
 * Output: `recorded`, or `duplicate` when an item with the same key is already there.
 * Primary course: derive the key from the entry (target, time, idempotency id) → conditional put
 * (`attribute_not_exists(pk)`) → a failed condition means this entry was written before.
 *
 * Synchronous: it returns once DynamoDB has the item, so callers write before they act on or
 * announce a decision. Throttling and 5xx answers are retried by the SDK (lib/aws/clients.ts);
 * a write that failed after those retries throws. A retry whose first attempt had in fact landed
 * comes back `duplicate`, which is the truth: the entry is there once. The key includes `at`, so
 * a caller that repeats an entry must repeat its time too (the decision's time, not `Date.now()`).
 */
export async function recordAudit(client: DynamoDBDocumentClient, table: string, entry: AuditEntry): Promise<AuditWrite> {
  const item = toItem(entry);
  const key = { pk: item.pk, sk: item.sk };
  try {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { status: 'recorded', key };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as { name?: unknown })?.name === 'ConditionalCheckFailedException') {
      return { status: 'duplicate', key };
    }
    throw error;
  }
}
