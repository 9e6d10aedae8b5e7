import type { AuditEntry } from '#lib/audit/entry.ts';
import type { OperatorNotice } from '#lib/events/operator-notice.ts';
import { noticeToSlack } from './slack-message.ts';
import { postToSlack, type Delivery, type WebhookOptions } from './slack-webhook.ts';
import { undeliveredEntry, type NotifyingEventRef } from './undelivered.ts';
import { rateLimitedFetch, type WebhookRateLimiter } from './webhook-rate-limit.ts';
import { routeFor, type WebhookRoute, type WebhookRoutes } from './webhook-routes.ts';

export interface NotifyDeps {
  routes: WebhookRoutes;
  /** The webhook URL in a route's SSM parameter (a secret, fetched and cached by the caller). */
  webhookUrl: (route: WebhookRoute) => Promise<string>;
  /** Spaces posts to one webhook a second apart; shared across invocations of a container. */
  limiter: WebhookRateLimiter;
  /** Writes an audit entry (recordAudit bound to the audit table); a failed write throws. */
  recordAudit: (entry: AuditEntry) => Promise<unknown>;
  webhook?: WebhookOptions;
}

export type NotifyResult = Delivery & { route: WebhookRoute };

/**
 * Use case: tell the operators.
 * Input: a notice and the event that carried it (id, time, correlation id).
 * Output: whether Slack took it, after retries, and the route it took (never the URL).
 * Primary course: format as Block Kit within Slack's limits → pick the webhook for the notice's
 * severity (its own route, else the default) → wait for the webhook's turn (one post a second)
 * → post → retry 429/5xx → report.
 * Alternative course: Slack would not take it → record `notification-undelivered` in the audit
 * history (idempotent per event) → report; the caller decides whether to fail or drop.
 */
export async function notifyOperators(notice: OperatorNotice, event: NotifyingEventRef, deps: NotifyDeps): Promise<NotifyResult> {
  const route = routeFor(deps.routes, notice.severity);
  const url = await deps.webhookUrl(route);
  const delivery = await postToSlack(url, noticeToSlack(notice), {
    ...deps.webhook,
    fetch: rateLimitedFetch(deps.limiter, deps.webhook?.fetch),
  });
  if (!delivery.delivered) await deps.recordAudit(undeliveredEntry(notice, delivery, event));
  return { ...delivery, route };
}
