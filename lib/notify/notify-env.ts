import { setTimeout as delay } from 'node:timers/promises';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { awsClientConfig } from '#lib/aws/clients.ts';
import { MissingEnvironmentError, waitScale } from '#lib/config/env.ts';
import type { NotifyDeps } from './notify-operators.ts';
import { SLACK_POST_INTERVAL_MS, webhookRateLimiter } from './webhook-rate-limit.ts';
import { webhookRoutesFromEnv, type WebhookRoute } from './webhook-routes.ts';

/**
 * How the functions that post to Slack (notifier, slackDigest) reach it, from the environment
 * serverless.yml gives both, read once at cold start (a bad value fails it, naming the fix):
 * the webhook routes (lib/notify/webhook-routes.ts), how real the waits are (`SLACK_WAIT_SCALE`)
 * and the webhook URLs, read from SSM SecureStrings (through a client retrying as lib/aws/clients.ts
 * says); with the caller's way of writing audit entries.
 * Each function keeps its own limiter: the notifier posts Operator Notices, slackDigest digests.
 */
export function notifyDepsFromEnv(recordAudit: NotifyDeps['recordAudit'], env: NodeJS.ProcessEnv = process.env): NotifyDeps {
  return {
    recordAudit,
    routes: webhookRoutesFromEnv(env),
    webhookUrl: readWebhookUrl,
    ...scaledWaits(waitScale('SLACK_WAIT_SCALE', env)),
  };
}

/** Built on the first read, once per container. */
let ssm: SSMProvider | undefined;

/** A route's webhook URL, a decrypted SecureString cached for 5 minutes across warm invocations. */
async function readWebhookUrl(route: WebhookRoute): Promise<string> {
  ssm ??= new SSMProvider({ clientConfig: awsClientConfig() });
  const url = await ssm.get(route.parameter, { decrypt: true, maxAge: 300 });
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
