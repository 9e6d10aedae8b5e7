import { documentClient, eventBridgeClient } from '#lib/aws/clients.ts';
import { requireEnv } from '#lib/config/env.ts';
import type { WorkflowStepDeps } from '#lib/workflow/step-deps.ts';

/**
 * The tables and bus a workflow step function reads from its environment at cold start, and the
 * deps of one invocation built from them.
 */
export function workflowStepEnvironment() {
  const stateTable = requireEnv('STATE_TABLE_NAME');
  const auditTable = requireEnv('AUDIT_TABLE_NAME');
  const eventBus = requireEnv('EVENT_BUS_NAME');
  return (logger: WorkflowStepDeps['logger'], execution: string): WorkflowStepDeps => ({
    documents: documentClient(),
    eventBridge: eventBridgeClient(),
    stateTable,
    auditTable,
    eventBus,
    logger,
    execution,
  });
}
