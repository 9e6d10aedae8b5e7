import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import middy from '@middy/core';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { documentClient } from '#lib/aws/clients.ts';
import { MissingEnvironmentError, requireEnv } from '#lib/config/env.ts';
import { notifyOperators } from '#lib/notify/notify-operators.ts';
import { notifyingEvent } from '#lib/notify/notifying-events.ts';
import { webhookRateLimiter } from '#lib/notify/webhook-rate-limit.ts';
import { webhookRoutesFromEnv, type WebhookRoute } from '#lib/notify/webhook-routes.ts';

/**
 * notifier: notifying domain events from the euc-autopilot bus (Operator Notice, Capacity Changed,
 * Capacity Change Failed, Capacity Change Deferred, Scaling Conflict; lib/notify/notifying-events.ts)
 * → one Slack message each, to the webhook for the notice's severity (lib/notify/webhook-routes.ts).
 * It runs apart from scaling, invoked asynchronously by EventBridge, so Slack being slow or down
 * never holds up a scaling step. With reserved concurrency 1, this container is the only poster:
 * its rate limiter keeps each webhook to one post a second across invocations.
 * A malformed event is logged and dropped (retrying cannot fix it). A notice Slack would not take
 * is recorded as `notification-undelivered` in the audit table first; then an answer retrying
 * cannot fix (4xx) drops it, and anything else fails the invocation so the asynchronous retry and
 * the failure destination see it.
 */
const routes = webhookRoutesFromEnv();
const auditTable = requireEnv('AUDIT_TABLE_NAME');
const limiter = webhookRateLimiter({ intervalMs: postInterval(process.env.SLACK_POST_INTERVAL_MS) });
const logger = new Logger();

export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';
}

/** A route's webhook URL, a decrypted SecureString cached for 5 minutes across warm invocations. */
async function readWebhookUrl(route: WebhookRoute): Promise<string> {
  const url = await getParameter(route.parameter, { decrypt: true, maxAge: 300 });
  if (!url) {
    throw new MissingEnvironmentError(
      `SSM parameter ${route.parameter} (${route.source}) is empty; put the Slack webhook URL there as a SecureString.`,
    );
  }
  return url;
}

async function notifier(event: unknown): Promise<{ outcome: 'delivered' | 'rejected' | 'undeliverable' }> {
  const envelope = EventBridgeSchema.safeParse(event);
  if (!envelope.success) {
    logger.error('Rejected an input that is not an EventBridge event; it is not retried', { issues: envelope.error.message });
    return { outcome: 'rejected' };
  }
  const detailType = envelope.data['detail-type'];
  const formatter = notifyingEvent(detailType);
  if (!formatter) {
    logger.error('Rejected an event the notifier has no formatter for; it is not retried', { detailType });
    return { outcome: 'rejected' };
  }
  const formatted = formatter.format(envelope.data.detail);
  if (!formatted.ok) {
    logger.error(`Rejected a malformed ${detailType}; it is not retried`, { issues: formatted.issues });
    return { outcome: 'rejected' };
  }
  const { correlationId, notice } = formatted;
  logger.appendKeys({ correlationId, detailType });
  const source = { id: envelope.data.id, at: Date.parse(envelope.data.time), correlationId };
  const delivery = await notifyOperators(notice, source, {
    routes,
    webhookUrl: readWebhookUrl,
    limiter,
    recordAudit: (entry) => recordAudit(documentClient(), auditTable, entry),
  });
  // The route's parameter name, never its URL.
  const route = delivery.route.parameter;
  if (delivery.delivered) {
    logger.info('Notice delivered to Slack', { attempts: delivery.attempts, title: notice.title, severity: notice.severity, route });
    return { outcome: 'delivered' };
  }
  logger.error('Slack did not take the notice; recorded as notification-undelivered', {
    attempts: delivery.attempts,
    reason: delivery.reason,
    severity: notice.severity,
    route,
  });
  if (delivery.lastStatus !== undefined && delivery.lastStatus < 500 && delivery.lastStatus !== 429) {
    return { outcome: 'undeliverable' };
  }
  throw new SlackDeliveryError(`Slack did not take the notice after ${delivery.attempts} attempts: ${delivery.reason}`);
}

export const handler = middy(notifier).use(injectLambdaContext(logger, { resetKeys: true }));

/** SLACK_POST_INTERVAL_MS: ms between two posts to one webhook (default 1000, Slack's pace), checked at cold start. */
function postInterval(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) {
    throw new MissingEnvironmentError(`SLACK_POST_INTERVAL_MS must be a whole number of milliseconds from 0 to 60000 (Slack's pace is 1000), got ${JSON.stringify(value)}.`);
  }
  return ms;
}
