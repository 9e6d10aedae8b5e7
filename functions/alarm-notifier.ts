import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SnsSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import middy from '@middy/core';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { documentClient } from '#lib/aws/clients.ts';
import { requireEnv } from '#lib/config/env.ts';
import { parseAlarmMessage } from '#lib/notify/alarm-notice.ts';
import { notifyDepsFromEnv } from '#lib/notify/notify-env.ts';
import { notifyOperators, SlackDeliveryError, worthRetrying } from '#lib/notify/notify-operators.ts';

/**
 * alarmNotifier: CloudWatch alarms (function errors, failed or timed-out workflows, failed events
 * waiting in the dead-letter queue; serverless.yml and plugins/alarms.cjs) → the alarm topic (SNS)
 * → one Slack message per state change, through the notifier's routes, pace and retries
 * (lib/notify/notify-operators.ts): ALARM goes to the critical webhook, OK (resolved) to info,
 * INSUFFICIENT_DATA to warning.
 *
 * A message that is not a CloudWatch alarm is logged with the field at fault and dropped: retrying
 * cannot fix it. Slack refusing for good (4xx) is recorded as notification-undelivered and
 * dropped; Slack maybe taking it later (429, 5xx, no answer) fails the invocation, so SNS's
 * asynchronous retries and then the failure destination see it.
 */
const auditTable = requireEnv('AUDIT_TABLE_NAME');
const notify = notifyDepsFromEnv((entry) => recordAudit(documentClient(), auditTable, entry));
const logger = new Logger();

type Outcome = 'delivered' | 'rejected' | 'undeliverable';

async function alarmNotifier(event: unknown): Promise<{ outcomes: Outcome[] }> {
  const envelope = SnsSchema.safeParse(event);
  if (!envelope.success) {
    logger.error('Rejected an input that is not an SNS notification; it is not retried', { issues: envelope.error.message });
    return { outcomes: ['rejected'] };
  }
  const outcomes: Outcome[] = [];
  // SNS delivers one record an invocation; each is handled in turn if ever there are more.
  for (const { Sns: sns } of envelope.data.Records) outcomes.push(await notifyAlarm(sns.Message, { messageId: sns.MessageId, timestamp: sns.Timestamp }));
  return { outcomes };
}

async function notifyAlarm(message: string, sns: { messageId: string; timestamp: string }): Promise<Outcome> {
  const alarm = parseAlarmMessage(message, sns);
  if (!alarm.ok) {
    logger.error('Rejected an SNS message that is not a CloudWatch alarm state change; it is not retried', { messageId: sns.messageId, issues: alarm.issues });
    return 'rejected';
  }
  const { notice, event } = alarm;
  const delivery = await notifyOperators(notice, event, notify);
  // The route's parameter name, never its URL.
  const details = { title: notice.title, severity: notice.severity, attempts: delivery.attempts, route: delivery.route.parameter };
  if (delivery.delivered) {
    logger.info('Alarm delivered to Slack', details);
    return 'delivered';
  }
  logger.error('Slack did not take the alarm; recorded as notification-undelivered', { ...details, reason: delivery.reason });
  if (!worthRetrying(delivery)) return 'undeliverable';
  throw new SlackDeliveryError(`Slack did not take the alarm after ${delivery.attempts} attempts: ${delivery.reason}`);
}

export const handler = middy(alarmNotifier).use(injectLambdaContext(logger, { resetKeys: true }));
