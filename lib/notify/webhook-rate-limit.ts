import { setTimeout as delay } from 'node:timers/promises';

/**
 * Slack takes about one message a second per incoming webhook and answers 429 to a caller that
 * goes faster. The notifier runs with reserved concurrency 1, so one container posts at a time and
 * an in-container record of when each webhook was last posted to is enough: before a post, wait
 * until `intervalMs` have passed since the last one to the same webhook. Every request counts,
 * retries included (Slack counts them too).
 *
 * The clock is monotonic (`performance.now()`), so a wall-clock step never makes it wait too long
 * or not at all; `now` and `sleep` are injectable, so tests never sleep. The webhook URL is only a
 * key in memory: it is never logged or returned.
 */
export const SLACK_POST_INTERVAL_MS = 1000;

export interface RateLimiterOptions {
  intervalMs?: number;
  /** Milliseconds on a monotonic clock. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface WebhookRateLimiter {
  /** Resolves once a post to `url` may go out, and counts it as made then; answers how long it waited (ms). */
  acquire(url: string): Promise<number>;
}

export function webhookRateLimiter(options: RateLimiterOptions = {}): WebhookRateLimiter {
  const intervalMs = options.intervalMs ?? SLACK_POST_INTERVAL_MS;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  /** When the latest post to each webhook went out, or is booked to. */
  const lastPostAt = new Map<string, number>();
  return {
    async acquire(url) {
      const at = now();
      const last = lastPostAt.get(url);
      const slot = last === undefined ? at : Math.max(at, last + intervalMs);
      // Booked before waiting, so a second caller in the meantime queues behind this one.
      lastPostAt.set(url, slot);
      const waitMs = slot - at;
      if (waitMs > 0) await sleep(waitMs);
      return waitMs;
    },
  };
}

/** A fetch that waits its turn with `limiter` before each request (the URL is the webhook's key). */
export function rateLimitedFetch(limiter: WebhookRateLimiter, send: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    await limiter.acquire(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return send(input, init);
  };
}
