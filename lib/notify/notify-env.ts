import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { MissingEnvironmentError } from '#lib/config/env.ts';
import type { NotifyDeps } from './notify-operators.ts';
import { webhookRateLimiter } from './webhook-rate-limit.ts';
import { webhookRoutesFromEnv, type WebhookRoute } from './webhook-routes.ts';

/**
 * How the functions that post to Slack (notifier, slackDigest) reach it, from the environment
 * serverless.yml gives both, read once at cold start (a bad value fails it, naming the fix):
 * the webhook routes (lib/notify/webhook-routes.ts), the pace (`SLACK_POST_INTERVAL_MS`) and the
 * webhook URLs, read from SSM SecureStrings; with the caller's way of writing audit entries.
 * Each function keeps its own limiter: the notifier posts Operator Notices, slackDigest digests.
 */
export function notifyDepsFromEnv(recordAudit: NotifyDeps['recordAudit'], env: NodeJS.ProcessEnv = process.env): NotifyDeps {
  return {
    recordAudit,
    routes: webhookRoutesFromEnv(env),
    webhookUrl: readWebhookUrl,
    limiter: webhookRateLimiter({ intervalMs: postInterval(env.SLACK_POST_INTERVAL_MS) }),
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

/** SLACK_POST_INTERVAL_MS: ms between two posts to one webhook (default 1000, Slack's pace), checked at cold start. */
function postInterval(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) {
    throw new MissingEnvironmentError(`SLACK_POST_INTERVAL_MS must be a whole number of milliseconds from 0 to 60000 (Slack's pace is 1000), got ${JSON.stringify(value)}.`);
  }
  return ms;
}
