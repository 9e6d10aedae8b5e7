import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import middy from '@middy/core';
import { MissingEnvironmentError, requireEnv } from '#lib/config/env.ts';
import { notifyOperators } from '#lib/notify/notify-operators.ts';
import { notifyingEvent } from '#lib/notify/notifying-events.ts';

/**
 * notifier: notifying domain events from the euc-autopilot bus (Operator Notice, Capacity Changed,
 * Capacity Change Failed, Capacity Change Deferred, Scaling Conflict; lib/notify/notifying-events.ts)
 * → one Slack message each. It runs apart from scaling, invoked asynchronously by EventBridge, so
 * Slack being slow or down never holds up a scaling step.
 * A malformed event is logged and dropped (retrying cannot fix it); a notice Slack would not take
 * after retries fails the invocation so the asynchronous retry and the failure destination see it.
 */
const webhookParameter = requireEnv('SLACK_WEBHOOK_PARAMETER');
const logger = new Logger();

export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';
}

/** The webhook URL, a decrypted SecureString cached for 5 minutes across warm invocations. */
async function readWebhookUrl(): Promise<string> {
  const url = await getParameter(webhookParameter, { decrypt: true, maxAge: 300 });
  if (!url) {
    throw new MissingEnvironmentError(
      `SSM parameter ${webhookParameter} (SLACK_WEBHOOK_PARAMETER) is empty; put the Slack webhook URL there as a SecureString.`,
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
  const delivery = await notifyOperators(notice, { webhookUrl: readWebhookUrl });
  if (delivery.delivered) {
    logger.info('Notice delivered to Slack', { attempts: delivery.attempts, title: notice.title });
    return { outcome: 'delivered' };
  }
  logger.error('Slack did not take the notice', { attempts: delivery.attempts, reason: delivery.reason });
  if (delivery.lastStatus !== undefined && delivery.lastStatus < 500 && delivery.lastStatus !== 429) {
    return { outcome: 'undeliverable' };
  }
  throw new SlackDeliveryError(`Slack did not take the notice after ${delivery.attempts} attempts: ${delivery.reason}`);
}

export const handler = middy(notifier).use(injectLambdaContext(logger, { resetKeys: true }));
