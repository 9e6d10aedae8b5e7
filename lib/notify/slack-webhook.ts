import { setTimeout as delay } from 'node:timers/promises';
import type { SlackMessage } from './slack-message.ts';

/**
 * Posts to a Slack incoming webhook. Slack allows about one message a second per webhook and
 * answers 429 with Retry-After when a caller goes faster; that and 5xx/network failures are
 * retried (Retry-After honoured, capped; otherwise exponential backoff), other 4xx answers are
 * final (a bad payload or a revoked webhook does not get better by retrying). The webhook URL is
 * a secret: it never appears in a result, an error or a log line.
 */
export interface WebhookOptions {
  maxAttempts?: number;
  /** Longest Retry-After honoured; a longer one ends the attempts (the caller records it). */
  maxRetryAfterMs?: number;
  baseBackoffMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export type Delivery =
  | { delivered: true; attempts: number }
  | { delivered: false; attempts: number; reason: string; lastStatus?: number };

export async function postToSlack(url: string, message: SlackMessage, options: WebhookOptions = {}): Promise<Delivery> {
  const maxAttempts = options.maxAttempts ?? 4;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const baseBackoffMs = options.baseBackoffMs ?? 500;
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  let lastStatus: number | undefined;
  let reason = 'no attempt made';

  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    let waitMs: number;
    try {
      const response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      lastStatus = response.status;
      const body = await response.text();
      if (response.ok) return { delivered: true, attempts: attempt };
      reason = `Slack answered ${response.status} ${body.slice(0, 100)}`.trim();
      if (response.status === 429) {
        waitMs = retryAfterMs(response.headers.get('retry-after')) ?? baseBackoffMs * 2 ** (attempt - 1);
        if (waitMs > maxRetryAfterMs) return { delivered: false, attempts: attempt, reason: `${reason}; Retry-After ${waitMs} ms is longer than ${maxRetryAfterMs} ms`, lastStatus };
      } else if (response.status >= 500) {
        waitMs = baseBackoffMs * 2 ** (attempt - 1);
      } else {
        return { delivered: false, attempts: attempt, reason, lastStatus };
      }
    } catch (error) {
      // Network failures carry the URL in some runtimes' messages: keep only the error's kind.
      reason = `request failed (${error instanceof Error ? error.name : 'error'})`;
      waitMs = baseBackoffMs * 2 ** (attempt - 1);
    }
    if (attempt < maxAttempts) await sleep(waitMs);
  }
  return { delivered: false, attempts: maxAttempts, reason, ...(lastStatus === undefined ? {} : { lastStatus }) };
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
