import { seededRandom } from './faults.ts';

/**
 * A Slack incoming-webhook sink. Records every payload posted to `/_slack/<path>` and answers as
 * Slack does (`ok`), or with a scripted failure: 429 with Retry-After, or 500, for the next posts,
 * in outage windows of local time, or for a seeded share of posts (a rate limit); `stats` counts what it
 * accepted and what it refused.
 */
export interface SlackMessage {
  /** Webhook path after `/_slack/`, so several webhooks (per severity) can be told apart. */
  webhook: string;
  at: number;
  payload: unknown;
}

export interface SlackFailure {
  status: 429 | 500;
  /** Seconds, sent as Retry-After with a 429. */
  retryAfter?: number;
  /** How many posts fail; absent = until cleared. */
  count?: number;
}

/** Slack down between two local-clock instants: every post in [from, to) gets `status`. */
export interface SlackOutage {
  from: number;
  to: number;
  status: 429 | 500;
}

/** Slack's rate limit at other times: a seeded share of posts answered 429 with Retry-After. */
export interface SlackRateLimit {
  probability: number;
  retryAfter?: number;
  seed?: number;
}

/** What the sink has answered since it was last cleared. */
export interface SlackStats {
  /** Posts accepted (200 `ok`), each one of the messages listed. */
  delivered: number;
  /** Posts answered with anything else: scripted failures (429, 500) and invalid payloads (400). */
  rejected: number;
}

export interface SlackReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class SlackSink {
  private readonly messages: SlackMessage[] = [];
  private failure: (SlackFailure & { remaining: number }) | undefined;
  private outages: SlackOutage[] = [];
  private rateLimit: (SlackRateLimit & { random: () => number }) | undefined;
  private rejected = 0;

  post(webhook: string, body: string, at: number): SlackReply {
    const reply = this.answer(webhook, body, at);
    if (reply.status !== 200) this.rejected += 1;
    return reply;
  }

  /** Fails the next posts as asked; an invalid request is refused naming the field. */
  failNext(failure: SlackFailure): void {
    validateFailure(failure);
    this.failure = { ...failure, remaining: failure.count ?? Number.POSITIVE_INFINITY };
  }

  clearFailure(): void {
    this.failure = undefined;
    this.outages = [];
    this.rateLimit = undefined;
  }

  /** Slack is down in a window of local time (the post's `at`), whatever else is scripted. */
  addOutage(outage: SlackOutage): void {
    if (!(Number.isFinite(outage.from) && Number.isFinite(outage.to) && outage.from < outage.to))
      throw new RangeError('outage.from must be before outage.to (epoch milliseconds)');
    validateFailure({ status: outage.status });
    this.outages.push(outage);
  }

  /** A share of posts outside outages and scripted failures are rate limited; undefined lifts it. */
  limitRate(limit: SlackRateLimit | undefined): void {
    if (limit && !(limit.probability > 0 && limit.probability <= 1)) throw new RangeError('rateLimit.probability must be in (0, 1]');
    if (limit) validateFailure({ status: 429, retryAfter: limit.retryAfter });
    this.rateLimit = limit && { ...limit, random: seededRandom(limit.seed ?? 1) };
  }

  list(): readonly SlackMessage[] {
    return this.messages;
  }

  stats(): SlackStats {
    return { delivered: this.messages.length, rejected: this.rejected };
  }

  clear(): void {
    this.messages.length = 0;
    this.rejected = 0;
  }

  private answer(webhook: string, body: string, at: number): SlackReply {
    const outage = this.outages.find((window) => at >= window.from && at < window.to);
    if (outage) return refusal(outage.status, 60);
    if (this.rateLimit && this.rateLimit.random() < this.rateLimit.probability) return refusal(429, this.rateLimit.retryAfter ?? 1);
    const failure = this.failure;
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      if (failure.remaining === 0) this.failure = undefined;
      return refusal(failure.status, failure.retryAfter ?? 1);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return { status: 400, headers: {}, body: 'invalid_payload' };
    }
    if (payload === null || typeof payload !== 'object' || !('text' in payload || 'blocks' in payload)) {
      return { status: 400, headers: {}, body: 'no_text' };
    }
    this.messages.push({ webhook, at, payload });
    return { status: 200, headers: {}, body: 'ok' };
  }
}

function refusal(status: 429 | 500, retryAfter: number): SlackReply {
  return status === 429
    ? { status: 429, headers: { 'retry-after': String(retryAfter) }, body: 'rate_limited' }
    : { status: 500, headers: {}, body: 'internal_error' };
}

function validateFailure(failure: SlackFailure): void {
  const { status, count, retryAfter } = failure as unknown as Record<string, unknown>;
  if (status !== 429 && status !== 500) throw new RangeError(`failure.status must be 429 or 500, got ${JSON.stringify(status)}`);
  if (count !== undefined && !(typeof count === 'number' && Number.isInteger(count) && count >= 1))
    throw new RangeError(`failure.count must be a whole number ≥ 1, or absent to fail every post until cleared, got ${JSON.stringify(count)}`);
  if (retryAfter === undefined) return;
  if (status !== 429) throw new RangeError('failure.retryAfter applies to a 429 only');
  if (!(typeof retryAfter === 'number' && Number.isInteger(retryAfter) && retryAfter >= 0))
    throw new RangeError(`failure.retryAfter must be a whole number of seconds ≥ 0, got ${JSON.stringify(retryAfter)}`);
}
