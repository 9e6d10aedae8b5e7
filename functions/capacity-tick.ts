import path from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { awsClientConfig, documentClient, eventBridgeClient } from '#lib/aws/clients.ts';
import { reconcile } from '#lib/capacity/reconcile.ts';
import { requireEnv } from '#lib/config/env.ts';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { createTargetClients } from '#lib/targets/index.ts';

/**
 * capacity-tick: on its schedule (every minute by default), reconcile every managed pool and
 * fleet with the policy file. The policy file is read and validated at cold start: a bad file
 * fails the deployment's first invocation loudly, with the path of each mistake, rather than
 * scaling by half a policy.
 */
const policies = loadPolicyFile(path.resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), requireEnv('POLICY_FILE')));
const stateTable = requireEnv('STATE_TABLE_NAME');
const auditTable = requireEnv('AUDIT_TABLE_NAME');
const eventBus = requireEnv('EVENT_BUS_NAME');
const stateMachineArn = requireEnv('CAPACITY_CHANGE_STATE_MACHINE_ARN');
const logger = new Logger();
const clients = createTargetClients();
const sfn = new SFNClient(awsClientConfig());

const scheduledEventSchema = z.object({ id: z.string().min(1), time: z.string().optional() });

async function capacityTick(event: unknown): Promise<{ targets: number; changes: number }> {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) {
    logger.error('Rejected an event that is not a scheduled event; it is not retried', { issues: parsed.error.message });
    return { targets: 0, changes: 0 };
  }
  const correlationId = `tick-${parsed.data.id}`;
  logger.appendKeys({ correlationId });
  const outcomes = await reconcile(
    policies,
    { clients, documents: documentClient(), eventBridge: eventBridgeClient(), sfn, stateTable, auditTable, eventBus, stateMachineArn, logger },
    Date.now(),
    correlationId,
  );
  const changes = outcomes.filter((outcome) => outcome.outcome === 'change-started');
  for (const outcome of outcomes.filter((o) => o.outcome !== 'unchanged')) {
    logger.info('Target reconciled', { target: outcome.target, policy: outcome.policy, outcome: outcome.outcome, reason: outcome.decision?.reason });
  }
  return { targets: outcomes.length, changes: changes.length };
}

export const handler = middy(capacityTick).use(injectLambdaContext(logger, { resetKeys: true }));
