import type { OperatorNotice } from '#lib/events/operator-notice.ts';
import { noticeToSlack } from './slack-message.ts';
import { postToSlack, type Delivery, type WebhookOptions } from './slack-webhook.ts';

/**
 * Use case: tell the operators.
 * Input: a notice, a way to read the webhook URL (a secret, fetched and cached by the caller).
 * Output: whether Slack took it, after retries.
 * Primary course: format as Block Kit within Slack's limits → post → retry 429/5xx → report.
 */
export async function notifyOperators(
  notice: OperatorNotice,
  deps: { webhookUrl: () => Promise<string>; webhook?: WebhookOptions },
): Promise<Delivery> {
  return postToSlack(await deps.webhookUrl(), noticeToSlack(notice), deps.webhook);
}
