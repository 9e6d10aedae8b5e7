import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { digestToSlack, type Digest } from './digest.ts';
import { removePosted, settledDigests } from './digest-store.ts';
import { postToOperators, worthRetrying, type NotifyDeps, type NotifyResult } from './notify-operators.ts';

/**
 * How long a digest waits after its first entry before it is posted. The changes of one tick
 * reach the notifier within about a minute of its first: the tick publishes Deferred and
 * Conflict as it goes (it may run up to its 55 s timeout), and each Capacity Changed comes from
 * a capacity-change workflow the tick started, a few seconds after its start. 90 s covers that
 * with room; with `slackDigest` running every minute, Slack hears of a tick 1.5 to 2.5 minutes
 * after it. A change that comes later (a fleet that had to start first, a failure at the
 * workflow's deadline) finds its tick's digest posted and starts a new one, posted in turn.
 */
export const DIGEST_SETTLE_SECONDS = 90;

export interface FlushDeps {
  documents: DynamoDBDocumentClient;
  stateTable: string;
  notify: NotifyDeps;
  logger: { info(message: string, ...extra: Array<Record<string, unknown>>): void; error(message: string, ...extra: Array<Record<string, unknown>>): void };
}

export interface FlushReport {
  /** Digests Slack took. */
  posted: number;
  /** Digests Slack refused for good (a 4xx other than 429): recorded as notification-undelivered, removed. */
  dropped: number;
  /** Settled digests left for the next run because Slack might take them later. */
  waiting: number;
  /** Why Slack did not take the first of the waiting ones, if any wait. */
  failure?: string;
}

/**
 * Use case: post the settled Slack digests.
 * Input: now (epoch ms: the schedule's time), the state table, the notifier's Slack path.
 * Output: how many digests were posted, dropped or left waiting.
 * Primary course: read the digests stored `DIGEST_SETTLE_SECONDS` or more before now, oldest
 * first → for each: one message (a single entry as its own notice; more as the digest) → post it
 * the notifier's way (the webhook for the worst entry's severity, one post a second per webhook,
 * Retry-After honoured) → remove the posted entries (entries that came in meanwhile stay and
 * settle again).
 * Alternative courses: Slack refuses a digest for good → each entry recorded as
 * `notification-undelivered` (as the notifier would have), the digest removed. Slack might take
 * it later (429, 5xx, no answer, after the retries) → the entries recorded the same way (once per
 * event however often), the digest and every later one left for the next run, a minute later:
 * Slack is struggling, more posts now would only add to it. A digest nothing could post expires
 * after a day (TTL).
 *
 * Posting comes before removing, so a crash between the two posts a digest twice rather than
 * never.
 */
export async function flushDigests(now: number, deps: FlushDeps): Promise<FlushReport> {
  const { digests, malformed } = await settledDigests(deps.documents, deps.stateTable, now - DIGEST_SETTLE_SECONDS * 1000);
  for (const item of malformed) deps.logger.error('Skipped a digest item that does not read as one; its TTL removes it', item);
  const report: FlushReport = { posted: 0, dropped: 0, waiting: 0 };
  for (const [index, digest] of digests.entries()) {
    const delivery = await post(digest, deps.notify);
    const about = { correlationId: digest.correlationId, entries: digest.entries.length, route: delivery.route.parameter, attempts: delivery.attempts };
    if (!delivery.delivered && worthRetrying(delivery)) {
      report.waiting = digests.length - index;
      report.failure = delivery.reason;
      deps.logger.error('Slack did not take a digest; it and the later ones wait for the next run', { ...about, reason: delivery.reason, waiting: report.waiting });
      return report;
    }
    const removed = await removePosted(deps.documents, deps.stateTable, digest, now);
    if (delivery.delivered) {
      report.posted += 1;
      deps.logger.info('Digest posted to Slack', { ...about, removed });
    } else {
      report.dropped += 1;
      deps.logger.error('Slack refused a digest for good; recorded as notification-undelivered and dropped', { ...about, reason: delivery.reason, removed });
    }
  }
  return report;
}

function post(digest: Digest, notify: NotifyDeps): Promise<NotifyResult> {
  const { severity, message } = digestToSlack(digest);
  const notices = digest.entries.map((entry) => ({
    notice: entry.notice,
    event: { id: entry.id, at: entry.at, correlationId: digest.correlationId },
  }));
  return postToOperators({ severity, message, notices }, notify);
}
