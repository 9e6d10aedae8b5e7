import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { awsClientConfig, documentClient, eventBridgeClient } from '#lib/aws/clients.ts';
import { reconcile } from '#lib/capacity/reconcile.ts';
import { requireEnv } from '#lib/config/env.ts';
import { policyFileFromEnv } from '#lib/config/policy-file.ts';
import { stateMachineArnFor } from '#lib/config/state-machine.ts';
import { createTargetClients } from '#lib/targets/index.ts';

/**
 * capacity-tick: on its schedule (every minute by default), reconcile every managed pool and
 * fleet with the policy file. The policy file is read and validated at cold start: a bad file
 * fails the deployment's first invocation loudly, with the path of each mistake, rather than
 * scaling by half a policy.
 */
const policies = policyFileFromEnv();
const stateTable = requireEnv('STATE_TABLE_NAME');
const auditTable = requireEnv('AUDIT_TABLE_NAME');
const eventBus = requireEnv('EVENT_BUS_NAME');
const stateMachine = requireEnv('CAPACITY_CHANGE_STATE_MACHINE');
const logger = new Logger();
const clients = createTargetClients();
const sfn = new SFNClient(awsClientConfig());

const scheduledEventSchema = z.object({ id: z.string().min(1), time: z.string().optional() });

function tickTime(time: string | undefined): number {
  const at = time === undefined ? Number.NaN : Date.parse(time);
  return Number.isNaN(at) ? Date.now() : at;
}

async function capacityTick(event: unknown, context: Context): Promise<{ targets: number; changes: number }> {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) {
    logger.error('Rejected an event that is not a scheduled event; it is not retried', { issues: parsed.error.message });
    return { targets: 0, changes: 0 };
  }
  const correlationId = `tick-${parsed.data.id}`;
  logger.appendKeys({ correlationId });
  const outcomes = await reconcile(
    policies,
    { clients, documents: documentClient(), eventBridge: eventBridgeClient(), sfn, stateTable, auditTable, eventBus, stateMachineArn: stateMachineArnFor(stateMachine, context.invokedFunctionArn, 'CAPACITY_CHANGE_STATE_MACHINE'), logger },
    // The schedule's own time: a retried invocation of the same event decides (and audits) as of
    // the same instant, so its audit writes are the same items.
    tickTime(parsed.data.time),
    correlationId,
  );
  const changes = outcomes.filter((outcome) => outcome.outcome === 'change-started');
  for (const outcome of outcomes.filter((o) => o.outcome !== 'unchanged')) {
    logger.info('Target reconciled', { target: outcome.target, policy: outcome.policy, outcome: outcome.outcome, reason: outcome.decision?.reason });
  }
  return { targets: outcomes.length, changes: changes.length };
}

export const handler = middy(capacityTick).use(injectLambdaContext(logger, { resetKeys: true }));
