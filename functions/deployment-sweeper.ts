import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { deploymentSettings } from '#lib/apps/deployment-request.ts';
import { sweep, type SweepResult } from '#lib/apps/sweep.ts';
import { deploymentStarterEnvironment } from './support/deployment-starter.ts';

/**
 * deployment-sweeper: on its schedule (every 15 minutes), starts the deploy-applications workflow
 * for associations left pending longer than the policy's grace period with no workflow on their
 * WorkSpace — the CloudTrail event that should have started one may never have been delivered.
 * lib/apps/sweep.ts has the rules.
 */
const { settings, clients, starter } = deploymentStarterEnvironment();
const logger = new Logger();

const scheduledEventSchema = z.object({ id: z.string().min(1), time: z.iso.datetime({ offset: true }) });

async function deploymentSweeper(event: unknown, context: Context): Promise<SweepResult | { skipped: string }> {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) {
    logger.error('Rejected an event that is not a scheduled event; it is not retried', { issues: parsed.error.message });
    return { skipped: 'not a scheduled event' };
  }
  logger.appendKeys({ correlationId: `sweep-${parsed.data.id}` });
  if (!settings.autoDeploy) {
    logger.info('Automatic deployment is off (applications.autoDeploy: false); nothing swept');
    return { skipped: 'applications.autoDeploy is false' };
  }
  const result = await sweep(
    { ...starter(context), workspaces: clients.workspaces },
    {
      sweepId: parsed.data.id,
      // The schedule's own time: a retried invocation decides as of the same instant, with the same inputs.
      now: Date.parse(parsed.data.time),
      gracePeriodMs: settings.gracePeriodMinutes * 60_000,
      settings: deploymentSettings(settings),
    },
  );
  logger.info('Swept', { ...result });
  return result;
}

export const handler = middy(deploymentSweeper).use(injectLambdaContext(logger, { resetKeys: true }));
