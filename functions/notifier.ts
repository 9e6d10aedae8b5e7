import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import middy from '@middy/core';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { documentClient } from '#lib/aws/clients.ts';
import { requireEnv } from '#lib/config/env.ts';
import { appendToDigest } from '#lib/notify/digest-store.ts';
import { notifyDepsFromEnv } from '#lib/notify/notify-env.ts';
import { notifyOperators, SlackDeliveryError, worthRetrying } from '#lib/notify/notify-operators.ts';
import { notifyingEvent } from '#lib/notify/notifying-events.ts';

/**
 * notifier: notifying domain events from the euc-autopilot bus (Operator Notice, Capacity Changed,
 * Capacity Change Failed, Capacity Change Deferred, Scaling Conflict; lib/notify/notifying-events.ts)
 * → Slack. An Operator Notice is posted at once, one message each, to the webhook for its severity
 * (lib/notify/webhook-routes.ts). The capacity events are not posted here: each becomes a line of
 * its tick's digest in the state table (lib/notify/digest-store.ts, keyed by the event's
 * correlation id, once per event id), which `slackDigest` posts as one message once the tick's
 * changes are in (functions/slack-digest.ts). A tick that scales 12 pools is one message, not 12.
 * An entry the table will not hold (a digest grown past DynamoDB's item size) is posted at once.
 *
 * It runs apart from scaling, invoked asynchronously by EventBridge, so Slack being slow or down
 * never holds up a scaling step. With reserved concurrency 1, this container is the only poster
 * of notices: its rate limiter keeps each webhook to one post a second across invocations.
 * A malformed event is logged and dropped (retrying cannot fix it). A notice Slack would not take
 * is recorded as `notification-undelivered` in the audit table first; then an answer retrying
 * cannot fix (4xx) drops it, and anything else fails the invocation so the asynchronous retry and
 * the failure destination see it. A failed digest write fails it the same way.
 */
const auditTable = requireEnv('AUDIT_TABLE_NAME');
const stateTable = requireEnv('STATE_TABLE_NAME');
const notify = notifyDepsFromEnv((entry) => recordAudit(documentClient(), auditTable, entry));
const logger = new Logger();

type Outcome = 'delivered' | 'digested' | 'rejected' | 'undeliverable';

async function notifier(event: unknown): Promise<{ outcome: Outcome }> {
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
  const { correlationId, notice, digest } = formatted;
  logger.appendKeys({ correlationId, detailType });
  const source = { id: envelope.data.id, at: Date.parse(envelope.data.time), correlationId };

  if (digest) {
    // The writer's clock starts the digest's settling (the local clock in the local cloud).
    const added = await appendToDigest(documentClient(), stateTable, correlationId, { id: source.id, at: source.at, ...digest, notice }, Date.now());
    if (added.outcome !== 'refused') {
      logger.info(added.outcome === 'appended' ? 'Notice added to its digest' : 'Notice already in its digest (delivered again)', { title: notice.title });
      return { outcome: 'digested' };
    }
    logger.warn('The digest would not take the notice; posting it on its own', { reason: added.reason, title: notice.title });
  }

  const delivery = await notifyOperators(notice, source, notify);
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
  if (!worthRetrying(delivery)) return { outcome: 'undeliverable' };
  throw new SlackDeliveryError(`Slack did not take the notice after ${delivery.attempts} attempts: ${delivery.reason}`);
}

export const handler = middy(notifier).use(injectLambdaContext(logger, { resetKeys: true }));
