import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from './credentials.ts';

/**
 * Creates in dynalite the DynamoDB tables serverless.yml declares, from their (variable-resolved)
 * CloudFormation properties, so handlers find the same tables, keys and indexes as in AWS.
 * Properties dynalite has no notion of are AWS-side settings and are skipped: PITR, SSE, and TTL
 * (dynalite neither implements UpdateTimeToLive nor expires items; code must not rely on expiry
 * for correctness, only for housekeeping).
 */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export async function createDeclaredTables(
  endpoint: string,
  region: string,
  resources: Readonly<Record<string, CfnResource>>,
): Promise<string[]> {
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  const created: string[] = [];
  try {
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::DynamoDB::Table') continue;
      const input = tableInput(logicalId, resource.Properties ?? {});
      try {
        await client.send(new CreateTableCommand(input));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      created.push(input.TableName!);
    }
  } finally {
    client.destroy();
  }
  return created;
}

function tableInput(logicalId: string, properties: Record<string, unknown>): CreateTableCommandInput {
  const { TableName, AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, LocalSecondaryIndexes, BillingMode } =
    properties as unknown as Partial<CreateTableCommandInput>;
  if (typeof TableName !== 'string') {
    throw new Error(`resources.${logicalId}.Properties.TableName must be a string once variables are resolved`);
  }
  return {
    TableName,
    AttributeDefinitions,
    KeySchema,
    BillingMode: BillingMode ?? 'PAY_PER_REQUEST',
    ...(GlobalSecondaryIndexes ? { GlobalSecondaryIndexes } : {}),
    ...(LocalSecondaryIndexes ? { LocalSecondaryIndexes } : {}),
  };
}
