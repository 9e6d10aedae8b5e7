import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { auditKinds, dayOf, fromItem, isoOf, type AuditKind, type AuditRecord } from './entry.ts';

/**
 * Reading the audit trail: one target over a time range, or every target on one day. Both page
 * through DynamoDB until `limit` entries are found (absent: all of them), so a caller gets whole
 * answers; bound large ranges with `since`/`until` or `limit`.
 */
export type AuditOrder = 'newest-first' | 'oldest-first';

export interface TargetAuditQuery {
  target: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  limit?: number;
  /** Default `newest-first`: a target's history is read from the latest change back. */
  order?: AuditOrder;
}

export interface DayAuditQuery {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** Only these kinds (absent or empty: all). */
  kinds?: readonly AuditKind[];
  limit?: number;
  /** Default `oldest-first`: a day reads as a log, in the order things happened. */
  order?: AuditOrder;
}

/**
 * Use case: what happened to this target between two times?
 * Input: the table, a target, an optional [since, until) range in epoch ms.
 * Output: its entries, newest first unless asked otherwise.
 * Primary course: Query pk = target with the sort key bounded by the range's ISO times
 * (`<iso>#id` ≥ `<iso since>` and < `<iso until>`, so both ends hold to the millisecond).
 */
export async function queryAudit(client: DynamoDBDocumentClient, table: string, query: TargetAuditQuery): Promise<AuditRecord[]> {
  const { target, since, until } = query;
  checkTime(since, 'since');
  checkTime(until, 'until');
  if (since !== undefined && until !== undefined && since >= until) {
    throw new RangeError(`since (${isoOf(since)}) must be before until (${isoOf(until)})`);
  }
  // DynamoDB refuses names and values an expression does not use: add `#sk` only with a range.
  const names: Record<string, string> = { '#pk': 'pk' };
  const values: Record<string, unknown> = { ':pk': target };
  let range = '';
  if (since !== undefined || until !== undefined) names['#sk'] = 'sk';
  if (since !== undefined && until !== undefined) {
    // BETWEEN is inclusive; `<iso until>` sorts before every `<iso until>#id`, so until stays exclusive.
    range = ' AND #sk BETWEEN :from AND :to';
    values[':from'] = isoOf(since);
    values[':to'] = isoOf(until);
  } else if (since !== undefined) {
    range = ' AND #sk >= :from';
    values[':from'] = isoOf(since);
  } else if (until !== undefined) {
    range = ' AND #sk < :to';
    values[':to'] = isoOf(until);
  }
  return queryAll(
    client,
    {
      TableName: table,
      KeyConditionExpression: `#pk = :pk${range}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: (query.order ?? 'newest-first') === 'oldest-first',
    },
    query.limit,
  );
}

/**
 * Use case: what happened across all targets on this day?
 * Input: the table, a UTC day, optionally the kinds of interest.
 * Output: that day's entries, oldest first unless asked otherwise.
 * Primary course: Query the `byDay` index (day, sk), filtering by kind when asked.
 */
export async function queryAuditByDay(client: DynamoDBDocumentClient, table: string, query: DayAuditQuery): Promise<AuditRecord[]> {
  if (!isCalendarDay(query.day)) {
    throw new RangeError(`day must be a calendar date YYYY-MM-DD (UTC), got ${JSON.stringify(query.day)}`);
  }
  const kinds = query.kinds ?? [];
  const unknown = kinds.filter((kind) => !(auditKinds as readonly string[]).includes(kind));
  if (unknown.length > 0) throw new RangeError(`unknown audit kind(s) ${unknown.join(', ')}; known: ${auditKinds.join(', ')}`);

  const names: Record<string, string> = { '#day': 'day' };
  const values: Record<string, unknown> = { ':day': query.day };
  let filter: string | undefined;
  if (kinds.length > 0) {
    names['#kind'] = 'kind';
    kinds.forEach((kind, index) => (values[`:kind${index}`] = kind));
    filter = `#kind IN (${kinds.map((_, index) => `:kind${index}`).join(', ')})`;
  }
  return queryAll(
    client,
    {
      TableName: table,
      IndexName: 'byDay',
      KeyConditionExpression: '#day = :day',
      ...(filter ? { FilterExpression: filter } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: (query.order ?? 'oldest-first') === 'oldest-first',
    },
    query.limit,
  );
}

/** Pages until `limit` matching items (DynamoDB's own Limit counts items before the filter). */
async function queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput, limit: number | undefined): Promise<AuditRecord[]> {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`limit must be a whole number ≥ 1, got ${limit}`);
  const records: AuditRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        ...input,
        ...(limit !== undefined && !input.FilterExpression ? { Limit: limit - records.length } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      records.push(fromItem(item));
      if (limit !== undefined && records.length >= limit) return records;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}

function checkTime(ms: number | undefined, name: string): void {
  if (ms !== undefined && !(Number.isInteger(ms) && ms >= 0 && ms <= 253402300799999)) {
    throw new RangeError(`${name} must be epoch milliseconds between 1970 and 9999, got ${ms}`);
  }
}

/** `YYYY-MM-DD` naming a day that exists (no 2026-02-30). */
function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(ms) && dayOf(ms) === day;
}
