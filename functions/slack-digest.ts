import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { documentClient } from '#lib/aws/clients.ts';
import { requireEnv } from '#lib/config/env.ts';
import { flushDigests, type FlushReport } from '#lib/notify/flush-digests.ts';
import { notifyDepsFromEnv } from '#lib/notify/notify-env.ts';
import { SlackDeliveryError } from '#lib/notify/notify-operators.ts';

/**
 * slackDigest: every minute, posts the Slack digests whose tick has settled (the capacity events
 * the notifier gathered per correlation id; lib/notify/flush-digests.ts), one message each, the
 * notifier's way (same routes, pace, retries and notification-undelivered audit). With reserved
 * concurrency 1 it never races itself, and its rate limiter spaces its own posts.
 *
 * When Slack might take a digest later (429/5xx after the retries) the digests stay and the
 * invocation fails, so the error shows in the function's metrics; serverless.yml sets no
 * asynchronous retries, because the next minute's run is the retry.
 */
const auditTable = requireEnv('AUDIT_TABLE_NAME');
const stateTable = requireEnv('STATE_TABLE_NAME');
const notify = notifyDepsFromEnv((entry) => recordAudit(documentClient(), auditTable, entry));
const logger = new Logger();

const scheduledEventSchema = z.object({ id: z.string().min(1), time: z.string().optional() });

/** The schedule's own time: what settled is judged as of the minute the run is for. */
function runTime(time: string | undefined): number {
  const at = time === undefined ? Number.NaN : Date.parse(time);
  return Number.isNaN(at) ? Date.now() : at;
}

async function slackDigest(event: unknown): Promise<FlushReport | { rejected: true }> {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) {
    logger.error('Rejected an event that is not a scheduled event; it is not retried', { issues: parsed.error.message });
    return { rejected: true };
  }
  const report = await flushDigests(runTime(parsed.data.time), { documents: documentClient(), stateTable, notify, logger });
  if (report.failure !== undefined) {
    throw new SlackDeliveryError(`Slack did not take a digest (${report.waiting} waiting for the next run): ${report.failure}`);
  }
  if (report.posted + report.dropped > 0) logger.info('Digests flushed', { ...report });
  return report;
}

export const handler = middy(slackDigest).use(injectLambdaContext(logger, { resetKeys: true }));
