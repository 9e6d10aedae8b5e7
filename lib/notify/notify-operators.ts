import type { AuditEntry } from '#lib/audit/entry.ts';
import type { OperatorNotice, Severity } from '#lib/events/operator-notice.ts';
import { noticeToSlack, type SlackMessage } from './slack-message.ts';
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

/** Slack did not take a message it might take later: the function fails, so the failure shows. */
export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';
}

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
  return postToOperators({ severity: notice.severity, message: noticeToSlack(notice), notices: [{ notice, event }] }, deps);
}

/** One Slack message and the notices it tells of (one, or a digest's: lib/notify/digest.ts). */
export interface OperatorPost {
  /** Picks the webhook: a digest's is its worst entry's. */
  severity: Severity;
  message: SlackMessage;
  /** Each recorded as `notification-undelivered` (under its own target, by its event) if Slack will not take the message. */
  notices: ReadonlyArray<{ notice: OperatorNotice; event: NotifyingEventRef }>;
}

/** As `notifyOperators`, for a message already formatted: route → rate → post → retry → audit what was not delivered. */
export async function postToOperators(post: OperatorPost, deps: NotifyDeps): Promise<NotifyResult> {
  const route = routeFor(deps.routes, post.severity);
  const url = await deps.webhookUrl(route);
  const delivery = await postToSlack(url, post.message, {
    ...deps.webhook,
    fetch: rateLimitedFetch(deps.limiter, deps.webhook?.fetch),
  });
  if (!delivery.delivered) {
    // One at a time: a failed write throws before the next, and the caller's retry writes again (idempotent per event).
    for (const { notice, event } of post.notices) await deps.recordAudit(undeliveredEntry(notice, delivery, event));
  }
  return { ...delivery, route };
}

/**
 * Whether Slack might take it later: a 429 or a 5xx after the retries, or no answer at all. Any
 * other refusal (a 4xx: a bad payload, a revoked webhook) does not get better by retrying.
 */
export function worthRetrying(delivery: Extract<Delivery, { delivered: false }>): boolean {
  return delivery.lastStatus === undefined || delivery.lastStatus >= 500 || delivery.lastStatus === 429;
}
