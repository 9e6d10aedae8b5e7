import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { EventBridgeEnvelope } from '@aws-lambda-powertools/parser/envelopes/eventbridge';
import { parse } from '@aws-lambda-powertools/parser';
import middy from '@middy/core';
import { MissingEnvironmentError, requireEnv } from '#lib/config/env.ts';
import { operatorNotice } from '#lib/events/operator-notice.ts';
import { notifyOperators } from '#lib/notify/notify-operators.ts';

/**
 * notifier: "Operator Notice" domain events from the euc-autopilot bus → one Slack message each.
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
  const parsed = parse(event, EventBridgeEnvelope, operatorNotice.detailSchema, true);
  if (!parsed.success) {
    logger.error('Rejected a malformed Operator Notice; it is not retried', { issues: parsed.error.message });
    return { outcome: 'rejected' };
  }
  const { metadata, data } = parsed.data;
  logger.appendKeys({ correlationId: metadata.correlationId });
  const delivery = await notifyOperators(data, {
    webhookUrl: readWebhookUrl,
  });
  if (delivery.delivered) {
    logger.info('Notice delivered to Slack', { attempts: delivery.attempts, title: data.title });
    return { outcome: 'delivered' };
  }
  logger.error('Slack did not take the notice', { attempts: delivery.attempts, reason: delivery.reason });
  if (delivery.lastStatus !== undefined && delivery.lastStatus < 500 && delivery.lastStatus !== 429) {
    return { outcome: 'undeliverable' };
  }
  throw new SlackDeliveryError(`Slack did not take the notice after ${delivery.attempts} attempts: ${delivery.reason}`);
}

export const handler = middy(notifier).use(injectLambdaContext(logger, { resetKeys: true }));
