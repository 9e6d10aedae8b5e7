import { setTimeout as delay } from 'node:timers/promises';

/**
 * Slack takes about one message a second per incoming webhook and answers 429 to a caller that
 * goes faster. The notifier runs with reserved concurrency 1, so one container posts at a time and
 * an in-container record of when each webhook was last posted to is enough: before a post, wait
 * until `intervalMs` have passed since the last one to the same webhook. Every request counts,
 * retries included (Slack counts them too).
 *
 * The clock is the function's (`Date.now()`): wall time in Lambda, the local clock in the local
 * cloud, whose stage scales the interval to 0 (SLACK_WAIT_SCALE, lib/notify/notify-env.ts): its clock stands
 * still while a handler runs, so spacing notices of one instant would cost wall time and its
 * Slack sink takes any rate. A clock set back by more than `intervalMs` (NTP, or the local clock set)
 * forgets the posts before it instead of waiting for a time that has already passed. `now` and
 * `sleep` are injectable, so tests never sleep. The webhook URL is only a key in memory: it is
 * never logged or returned.
 */
export const SLACK_POST_INTERVAL_MS = 1000;

export interface RateLimiterOptions {
  intervalMs?: number;
  /** Epoch milliseconds; `Date.now` unless given. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface WebhookRateLimiter {
  /** Resolves once a post to `url` may go out, and counts it as made then; answers how long it waited (ms). */
  acquire(url: string): Promise<number>;
}

export function webhookRateLimiter(options: RateLimiterOptions = {}): WebhookRateLimiter {
  const intervalMs = options.intervalMs ?? SLACK_POST_INTERVAL_MS;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  /** Per webhook: when its latest post went out, or is booked to, and the clock's reading when it was booked. */
  const lastPost = new Map<string, { at: number; bookedAt: number }>();
  return {
    async acquire(url) {
      const at = now();
      const last = lastPost.get(url);
      const clockWentBack = last !== undefined && at < last.bookedAt - intervalMs;
      const slot = last === undefined || clockWentBack ? at : Math.max(at, last.at + intervalMs);
      // Booked before waiting, so a second caller in the meantime queues behind this one.
      lastPost.set(url, { at: slot, bookedAt: at });
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
