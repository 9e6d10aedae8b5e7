import { DeleteCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { digestEntrySchema, type Digest, type DigestEntry } from './digest.ts';

/**
 * Slack digests (lib/notify/digest.ts) waiting to be posted, in the state table, one item each:
 *
 * | attribute   | value                                                                           |
 * | ----------- | ------------------------------------------------------------------------------- |
 * | `pk`        | `digest`: every digest in one partition                                         |
 * | `sk`        | the correlation id (`tick-<scheduled event id>` for a capacity tick's events)   |
 * | `entries`   | the entries, in the order they were stored (`list_append`)                       |
 * | `eventIds`  | string set of the entries' EventBridge event ids: a redelivered event is stored once |
 * | `firstAt`   | epoch ms of the first entry's write (the writer's clock): the digest settles from then |
 * | `expiresAt` | epoch seconds, a day after `firstAt` (TTL): a digest nothing could post does not stay |
 *
 * Why one partition with the correlation id as sort key: the notifier adds an entry with one
 * UpdateItem addressed by the event alone. A sort key starting with `firstAt` (so the flusher
 * could Query `sk < now − settle`) would make it find the tick's item first (a read, or an
 * index) and race the flusher's delete. The partition only ever holds digests not yet posted,
 * the ticks of the last two minutes or so (and, while Slack is down, those it refused), so the
 * flusher's Query of the whole partition, filtered by `firstAt`, reads about what a key range
 * would, and never Scans the table. Slack sees a few digests a minute at most, far below a
 * partition's limits.
 *
 * An item is bounded by DynamoDB's 400 KB: a tick's digest holds its entries (about 1 KB each,
 * a few hundred fit); an append the table refuses for size is `refused`, and the notifier posts
 * that notice on its own, as it does an entry that would not read back as one.
 */
export const DIGEST_PARTITION = 'digest';
/** A day: long enough for Slack to come back, short enough that a stuck digest does not linger. */
export const DIGEST_TTL_SECONDS = 86_400;
/** DynamoDB's limit on a sort key (UTF-8 bytes). */
const MAX_SORT_KEY_BYTES = 1024;

export type AppendResult = { outcome: 'appended' } | { outcome: 'duplicate' } | { outcome: 'refused'; reason: string };

const names = { '#entries': 'entries', '#eventIds': 'eventIds', '#firstAt': 'firstAt', '#expiresAt': 'expiresAt' };

/**
 * Adds an entry to its correlation id's digest, creating the digest with the first one; `now`
 * (epoch ms) is kept as `firstAt` by the first. An event whose id the digest holds already (a
 * redelivery, a Lambda retry) is `duplicate` and changes nothing.
 */
export async function appendToDigest(
  client: DynamoDBDocumentClient,
  table: string,
  correlationId: string,
  entry: DigestEntry,
  now: number,
): Promise<AppendResult> {
  if (Buffer.byteLength(correlationId, 'utf8') > MAX_SORT_KEY_BYTES) {
    return { outcome: 'refused', reason: `the correlation id is longer than a key may be (${MAX_SORT_KEY_BYTES} bytes)` };
  }
  // The flusher reads entries back with this schema: one that would not read back is never stored,
  // or it would keep its whole digest from being posted.
  const checked = digestEntrySchema.safeParse(entry);
  if (!checked.success) return { outcome: 'refused', reason: `the entry would not read back: ${checked.error.message}` };
  try {
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: DIGEST_PARTITION, sk: correlationId },
        UpdateExpression:
          'SET #entries = list_append(if_not_exists(#entries, :none), :entry), #firstAt = if_not_exists(#firstAt, :now), #expiresAt = if_not_exists(#expiresAt, :expiresAt) ADD #eventIds :ids',
        // A missing set contains nothing, so the first entry passes too.
        ConditionExpression: 'NOT contains(#eventIds, :id)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':entry': [checked.data],
          ':none': [],
          ':now': now,
          ':expiresAt': Math.floor(now / 1000) + DIGEST_TTL_SECONDS,
          ':ids': new Set([entry.id]),
          ':id': entry.id,
        },
      }),
    );
    return { outcome: 'appended' };
  } catch (error) {
    if (nameOf(error) === 'ConditionalCheckFailedException') return { outcome: 'duplicate' };
    // The one validation error a well-formed update can meet: the item would pass 400 KB.
    if (nameOf(error) === 'ValidationException' && /size/i.test(messageOf(error))) return { outcome: 'refused', reason: messageOf(error) };
    throw error;
  }
}

const itemSchema = z.object({
  sk: z.string().min(1),
  firstAt: z.number().int(),
  entries: z.array(digestEntrySchema).min(1),
});

export interface StoredDigests {
  digests: Digest[];
  /** Items that do not read as a digest (never written by this code): left to their TTL. */
  malformed: Array<{ correlationId: string; issues: string }>;
}

/** The digests whose first entry was stored at `cutoff` (epoch ms) or before, oldest first. */
export async function settledDigests(client: DynamoDBDocumentClient, table: string, cutoff: number): Promise<StoredDigests> {
  const items = await queryDigests(client, table, {
    FilterExpression: '#firstAt <= :cutoff',
    ExpressionAttributeNames: { '#firstAt': 'firstAt' },
    ExpressionAttributeValues: { ':cutoff': cutoff },
  });
  const read = items.map(toDigest);
  return {
    digests: read.flatMap((one) => ('digest' in one ? [one.digest] : [])).sort((a, b) => a.firstAt - b.firstAt),
    malformed: read.flatMap((one) => ('issues' in one ? [one] : [])),
  };
}

/** One correlation id's digest as stored now, if there is one. */
export async function readDigest(client: DynamoDBDocumentClient, table: string, correlationId: string): Promise<Digest | undefined> {
  const [item] = await queryDigests(client, table, {
    KeyConditionExpression: 'pk = :pk AND sk = :sk',
    ExpressionAttributeValues: { ':pk': DIGEST_PARTITION, ':sk': correlationId },
  });
  if (!item) return undefined;
  const read = toDigest(item);
  return 'digest' in read ? read.digest : undefined;
}

export type RemoveResult = 'deleted' | 'kept-newer' | 'gone';

export class DigestRaceError extends Error {
  override readonly name = 'DigestRaceError';
}

/** Attempts to remove the posted entries while new ones keep arriving; the notifier adds one at a time, so one retry is the most seen. */
const REMOVE_ATTEMPTS = 4;

/**
 * Removes what was posted: the whole digest (`deleted`) when it holds exactly the posted
 * entries, else (entries arrived while Slack was being posted to) only the posted ones, and the
 * rest settle again from `now` (`kept-newer`). `gone`: nothing is stored under it any more. The
 * event ids stay with the newer entries, so a posted event delivered again is still a duplicate.
 */
export async function removePosted(client: DynamoDBDocumentClient, table: string, posted: Digest, now: number): Promise<RemoveResult> {
  const key = { pk: DIGEST_PARTITION, sk: posted.correlationId };
  const postedIds = new Set(posted.entries.map((entry) => entry.id));
  let seen = posted.entries.length;
  for (let attempt = 1; attempt <= REMOVE_ATTEMPTS; attempt += 1) {
    const current = attempt === 1 ? posted : await readDigest(client, table, posted.correlationId);
    if (!current) return 'gone';
    seen = current.entries.length;
    const rest = current.entries.filter((entry) => !postedIds.has(entry.id));
    // Only if the entries are still those just read: an entry added meanwhile is never removed unposted.
    const unchanged = { ConditionExpression: 'size(#entries) = :seen', ExpressionAttributeValues: { ':seen': seen } };
    try {
      if (rest.length === 0) {
        await client.send(new DeleteCommand({ TableName: table, Key: key, ...unchanged, ExpressionAttributeNames: { '#entries': 'entries' } }));
        return 'deleted';
      }
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'SET #entries = :rest, #firstAt = :now',
          ConditionExpression: unchanged.ConditionExpression,
          ExpressionAttributeNames: { '#entries': 'entries', '#firstAt': 'firstAt' },
          ExpressionAttributeValues: { ...unchanged.ExpressionAttributeValues, ':rest': rest, ':now': now },
        }),
      );
      return 'kept-newer';
    } catch (error) {
      if (nameOf(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }
  throw new DigestRaceError(`Digest ${posted.correlationId} kept changing while its posted entries were removed (${seen} entries at the last look)`);
}

async function queryDigests(
  client: DynamoDBDocumentClient,
  table: string,
  query: { KeyConditionExpression?: string; FilterExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> },
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: query.KeyConditionExpression ?? 'pk = :pk',
        ...(query.FilterExpression ? { FilterExpression: query.FilterExpression } : {}),
        ...(query.ExpressionAttributeNames ? { ExpressionAttributeNames: query.ExpressionAttributeNames } : {}),
        ExpressionAttributeValues: { ':pk': DIGEST_PARTITION, ...query.ExpressionAttributeValues },
        // Right after the notifier's write: the flusher must see every entry it is about to remove.
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function toDigest(item: Record<string, unknown>): { digest: Digest } | { correlationId: string; issues: string } {
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) return { correlationId: String(item.sk), issues: parsed.error.message };
  const { sk, firstAt, entries } = parsed.data;
  return { digest: { correlationId: sk, firstAt, entries } };
}

function nameOf(error: unknown): unknown {
  return (error as { name?: unknown } | null)?.name;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
