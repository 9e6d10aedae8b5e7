import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PublishLogger } from '#lib/events/publish.ts';

/**
 * What a step of either workflow (capacity-change, deploy-applications) works with besides its
 * AWS service clients: the state and audit tables, the domain-event bus, a logger, and the
 * execution it belongs to (the name its audit items and holds are keyed by).
 */
export interface WorkflowStepDeps {
  documents: DynamoDBDocumentClient;
  eventBridge: EventBridgeClient;
  stateTable: string;
  auditTable: string;
  eventBus: string;
  logger: PublishLogger & { info(message: string, ...extra: Array<Record<string, unknown>>): void };
  execution: string;
}
