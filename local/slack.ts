/**
 * A Slack incoming-webhook sink. Records every payload posted to `/_slack/<path>` and answers as
 * Slack does (`ok`), or with a scripted failure: 429 with Retry-After, or 500.
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

export interface SlackReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class SlackSink {
  private readonly messages: SlackMessage[] = [];
  private failure: (SlackFailure & { remaining: number }) | undefined;
  /** Posts answered with a failure, for reliability reports. */
  rejected = 0;

  post(webhook: string, body: string, at: number): SlackReply {
    const failure = this.failure;
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      if (failure.remaining === 0) this.failure = undefined;
      this.rejected += 1;
      return failure.status === 429
        ? { status: 429, headers: { 'retry-after': String(failure.retryAfter ?? 1) }, body: 'rate_limited' }
        : { status: 500, headers: {}, body: 'internal_error' };
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

  failNext(failure: SlackFailure): void {
    if (failure.status !== 429 && failure.status !== 500) throw new RangeError('slack failure status must be 429 or 500');
    this.failure = { ...failure, remaining: failure.count ?? Number.POSITIVE_INFINITY };
  }

  clearFailure(): void {
    this.failure = undefined;
  }

  list(): readonly SlackMessage[] {
    return this.messages;
  }

  clear(): void {
    this.messages.length = 0;
    this.rejected = 0;
  }
}
