import { DIGEST_SETTLE_SECONDS } from '#lib/notify/flush-digests.ts';
import type { LocalAdminClient } from '#local/client.ts';
import type { LocalCloud } from '#local/cloud.ts';

/** The deployed name of serverless.yml's `slackDigest` on the local cloud's stage. */
export const SLACK_DIGEST_FUNCTION = 'euc-autopilot-local-slackDigest';

/**
 * Capacity events reach Slack through their tick's digest, which `slackDigest` posts on its
 * one-minute schedule once it has settled. A test on a local cloud without schedules runs it here
 * instead, as its schedule would a settle time and a minute from the local clock's now (the
 * function judges what has settled by the scheduled event's time), so every digest stored until
 * now is posted without moving the clock. Answers what the function returned.
 */
export async function flushSlackDigests(local: { cloud: LocalCloud; admin: LocalAdminClient }): Promise<unknown> {
  const now = (await local.admin.clock()).epochMs;
  const time = new Date(now + (DIGEST_SETTLE_SECONDS + 60) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const invocation = await local.cloud.invoke(SLACK_DIGEST_FUNCTION, {
    version: '0',
    id: `flush-${time}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time,
    region: local.cloud.region,
    resources: [],
    detail: {},
  });
  if (!invocation.ok) throw new Error(`slackDigest failed: ${JSON.stringify(invocation.error)}`);
  return invocation.payload;
}
