import { ConditionalCheckFailedException, DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { useLocalCloud } from '#test/support/cloud.ts';

/** DynamoDB is dynalite behind the edge, with the tables serverless.yml declares. */
describe('DynamoDB on the local cloud', () => {
  const local = useLocalCloud();
  const auditTable = 'euc-autopilot-local-audit';
  const stateTable = 'euc-autopilot-local-state';

  it('has the tables serverless.yml declares, with their keys and indexes', async () => {
    const { TableNames } = await local.clients.dynamodb.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining([auditTable, stateTable]));
    const { Table } = await local.clients.dynamodb.send(new DescribeTableCommand({ TableName: auditTable }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byDay']);
  });

  it('refuses a conditional write that would repeat a change, as overlapping ticks rely on', async () => {
    const documents = DynamoDBDocumentClient.from(local.clients.dynamodb);
    const item = { pk: 'pool#wspool-berlin001', sk: 'state', version: 1 };
    const putOnce = () =>
      documents.send(new PutCommand({ TableName: stateTable, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    await putOnce();
    await expect(putOnce()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('answers range queries on the audit table in time order', async () => {
    const documents = DynamoDBDocumentClient.from(local.clients.dynamodb);
    for (const at of ['2026-11-23T08:00:00Z#b', '2026-11-23T07:00:00Z#a', '2026-11-24T07:00:00Z#c']) {
      await documents.send(new PutCommand({ TableName: auditTable, Item: { pk: 'pool#p1', sk: at, day: at.slice(0, 10) } }));
    }
    const { Items } = await documents.send(
      new QueryCommand({
        TableName: auditTable,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': 'pool#p1', ':from': '2026-11-23', ':to': '2026-11-23~' },
      }),
    );
    expect(Items?.map((entry) => entry.sk)).toEqual(['2026-11-23T07:00:00Z#a', '2026-11-23T08:00:00Z#b']);
  });
});
