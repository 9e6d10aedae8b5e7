import { setTimeout as delay } from 'node:timers/promises';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { MissingEnvironmentError } from '#lib/config/env.ts';
import type { NotifyDeps } from './notify-operators.ts';
import { SLACK_POST_INTERVAL_MS, webhookRateLimiter } from './webhook-rate-limit.ts';
import { webhookRoutesFromEnv, type WebhookRoute } from './webhook-routes.ts';

/**
 * How the functions that post to Slack (notifier, slackDigest) reach it, from the environment
 * serverless.yml gives both, read once at cold start (a bad value fails it, naming the fix):
 * the webhook routes (lib/notify/webhook-routes.ts), how real the waits are (`SLACK_WAIT_SCALE`)
 * and the webhook URLs, read from SSM SecureStrings; with the caller's way of writing audit entries.
 * Each function keeps its own limiter: the notifier posts Operator Notices, slackDigest digests.
 */
export function notifyDepsFromEnv(recordAudit: NotifyDeps['recordAudit'], env: NodeJS.ProcessEnv = process.env): NotifyDeps {
  return {
    recordAudit,
    routes: webhookRoutesFromEnv(env),
    webhookUrl: readWebhookUrl,
    ...scaledWaits(waitScale(env.SLACK_WAIT_SCALE)),
  };
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

/**
 * Every wait before a Slack post — the pace of one post a second, the backoff between retries, a
 * Retry-After — times `scale`. 1 in AWS. The local stage sets 0 (serverless.yml `params.local`):
 * its clock stands still while a handler runs, so a wall-clock wait would only slow a simulated
 * day or a test, and its Slack sink takes any rate.
 */
function scaledWaits(scale: number): Pick<NotifyDeps, 'limiter' | 'webhook'> {
  return {
    limiter: webhookRateLimiter({ intervalMs: SLACK_POST_INTERVAL_MS * scale }),
    webhook: { sleep: (ms) => delay(ms * scale) },
  };
}

/** SLACK_WAIT_SCALE: a number from 0 to 1 (default 1), checked at cold start. */
function waitScale(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale < 0 || scale > 1) {
    throw new MissingEnvironmentError(`SLACK_WAIT_SCALE must be a number from 0 (no waiting: the local cloud) to 1 (real waits: AWS), got ${JSON.stringify(value)}.`);
  }
  return scale;
}
