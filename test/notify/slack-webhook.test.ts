import { describe, expect, it } from 'vitest';
import { postToSlack } from '#lib/notify/slack-webhook.ts';

const URL = 'https://hooks.slack.com/services/T000/B000/secret-token';
const message = { text: 'hello', blocks: [] };

/** A fetch that answers from a script, and records what it was asked. */
function scriptedFetch(answers: Array<{ status: number; headers?: Record<string, string>; body?: string } | Error>) {
  const calls: string[] = [];
  const fetch = async (url: string | URL | Request) => {
    calls.push(String(url));
    const next = answers.shift();
    if (!next) throw new Error('unexpected call');
    if (next instanceof Error) throw next;
    return new Response(next.body ?? 'ok', { status: next.status, headers: next.headers ?? {} });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

describe('posting to a Slack webhook', () => {
  it('waits as long as Retry-After says on a 429 and then delivers', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 429, headers: { 'retry-after': '3' } }, { status: 200 }]);
    const waits: number[] = [];
    const delivery = await postToSlack(URL, message, { fetch, sleep: async (ms) => void waits.push(ms) });
    expect(delivery).toEqual({ delivered: true, attempts: 2 });
    expect(waits).toEqual([3000]);
    expect(calls).toHaveLength(2);
  });

  it('backs off exponentially on server errors and network failures', async () => {
    const { fetch } = scriptedFetch([{ status: 500 }, new TypeError(`fetch failed for ${URL}`), { status: 503 }, { status: 200 }]);
    const waits: number[] = [];
    const delivery = await postToSlack(URL, message, { fetch, sleep: async (ms) => void waits.push(ms), baseBackoffMs: 100 });
    expect(delivery).toEqual({ delivered: true, attempts: 4 });
    expect(waits).toEqual([100, 200, 400]);
  });

  it('gives up at once on an answer retrying cannot fix, such as a revoked webhook', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 404, body: 'no_service' }]);
    const delivery = await postToSlack(URL, message, { fetch, sleep: async () => undefined });
    expect(delivery).toMatchObject({ delivered: false, attempts: 1, lastStatus: 404, reason: 'Slack answered 404 no_service' });
    expect(calls).toHaveLength(1);
  });

  it('stops after the last attempt and never puts the webhook URL in its reason', async () => {
    const { fetch } = scriptedFetch([new TypeError(`connect ECONNREFUSED ${URL}`), new TypeError(`connect ECONNREFUSED ${URL}`)]);
    const delivery = await postToSlack(URL, message, { fetch, sleep: async () => undefined, maxAttempts: 2 });
    expect(delivery.delivered).toBe(false);
    expect(JSON.stringify(delivery)).not.toContain('secret-token');
  });

  it('does not wait for a Retry-After longer than it is allowed to', async () => {
    const { fetch } = scriptedFetch([{ status: 429, headers: { 'retry-after': '3600' } }]);
    const delivery = await postToSlack(URL, message, { fetch, sleep: async () => undefined, maxRetryAfterMs: 30_000 });
    expect(delivery).toMatchObject({ delivered: false, attempts: 1, lastStatus: 429 });
  });
});
