import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchGetItems } from '#lib/state/batch-get.ts';

/** Unprocessed keys, which dynalite never leaves, through a client mock. */
const TABLE = 'state';
const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const key = (index: number) => ({ pk: `pool/wspool-${index}`, sk: 'state' });
beforeEach(() => documents.reset());

describe('reading many state items', () => {
  it('asks for 100 keys a call and nothing more', async () => {
    documents.on(BatchGetCommand).callsFake((input) => ({ Responses: { [TABLE]: input.RequestItems[TABLE].Keys } }));
    const items = await batchGetItems(client, TABLE, Array.from({ length: 250 }, (_, index) => key(index)));
    expect(items).toHaveLength(250);
    expect(documents.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems![TABLE]!.Keys!.length)).toEqual([100, 100, 50]);
  });

  it('asks again for unprocessed keys after a growing, jittered wait, and keeps what came back', async () => {
    documents
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [key(1)] }, UnprocessedKeys: { [TABLE]: { Keys: [key(2), key(3)] } } })
      .resolvesOnce({ Responses: { [TABLE]: [key(2)] }, UnprocessedKeys: { [TABLE]: { Keys: [key(3)] } } })
      .resolvesOnce({ Responses: { [TABLE]: [key(3)] } });
    const waits: number[] = [];

    const items = await batchGetItems(client, TABLE, [key(1), key(2), key(3)], async (ms) => waits.push(ms));

    expect(items).toEqual([key(1), key(2), key(3)]);
    expect(documents.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems![TABLE]!.Keys)).toEqual([
      [key(1), key(2), key(3)],
      [key(2), key(3)],
      [key(3)],
    ]);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThan(50);
    expect(waits[1]).toBeLessThan(100);
  });

  it('gives up, naming the table, when DynamoDB keeps leaving keys unprocessed', async () => {
    documents.on(BatchGetCommand).resolves({ UnprocessedKeys: { [TABLE]: { Keys: [key(1)] } } });
    const waits: number[] = [];
    await expect(batchGetItems(client, TABLE, [key(1)], async (ms) => waits.push(ms))).rejects.toThrow('DynamoDB left 1 items of state unread after 6 attempts');
    expect(waits).toHaveLength(5);
  });
});
