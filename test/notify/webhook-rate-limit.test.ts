import { describe, expect, it } from 'vitest';
import { rateLimitedFetch, webhookRateLimiter } from '#lib/notify/webhook-rate-limit.ts';

const A = 'https://hooks.slack.com/services/T000/B000/a-token';
const B = 'https://hooks.slack.com/services/T000/B000/b-token';

/** A clock that moves only when something sleeps on it, or when the test moves it. */
function fakeTime(start = 10_000) {
  let now = start;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    pass: (ms: number) => void (now += ms),
    waits,
  };
}

describe('one post a second per webhook', () => {
  it('posts at once to a webhook it has not posted to yet', async () => {
    const time = fakeTime();
    const limiter = webhookRateLimiter({ now: time.now, sleep: time.sleep });
    expect(await limiter.acquire(A)).toBe(0);
    expect(time.waits).toEqual([]);
  });

  it('waits out the rest of the second since the last post to the same webhook', async () => {
    // Prepare
    const time = fakeTime();
    const limiter = webhookRateLimiter({ now: time.now, sleep: time.sleep });
    await limiter.acquire(A);
    time.pass(300);
    // Act
    const waited = await limiter.acquire(A);
    // Assess
    expect(waited).toBe(700);
    expect(time.waits).toEqual([700]);
  });

  it('does not wait when a second or more has passed', async () => {
    const time = fakeTime();
    const limiter = webhookRateLimiter({ now: time.now, sleep: time.sleep });
    await limiter.acquire(A);
    time.pass(1000);
    expect(await limiter.acquire(A)).toBe(0);
    time.pass(60_000);
    expect(await limiter.acquire(A)).toBe(0);
    expect(time.waits).toEqual([]);
  });

  it('keeps each webhook to its own pace', async () => {
    const time = fakeTime();
    const limiter = webhookRateLimiter({ now: time.now, sleep: time.sleep });
    await limiter.acquire(A);
    expect(await limiter.acquire(B)).toBe(0);
    time.pass(100);
    expect(await limiter.acquire(A)).toBe(900);
  });

  it('spaces callers that ask at the same moment a second apart each', async () => {
    // Prepare: a sleep that does not move the clock, so the three asks overlap.
    const waits: number[] = [];
    const limiter = webhookRateLimiter({ now: () => 5_000, sleep: async (ms) => void waits.push(ms) });
    // Act
    const waited = await Promise.all([limiter.acquire(A), limiter.acquire(A), limiter.acquire(A)]);
    // Assess
    expect(waited).toEqual([0, 1000, 2000]);
  });

  it('forgets the posts before a clock set back by more than a second instead of waiting for a time already passed', async () => {
    // Prepare
    const time = fakeTime(3_600_000);
    const limiter = webhookRateLimiter({ now: time.now, sleep: time.sleep });
    await limiter.acquire(A);
    // Act: the clock is set back an hour.
    time.pass(-3_600_000);
    const waited = await limiter.acquire(A);
    // Assess: no wait, and the pace holds from the new reading on.
    expect(waited).toBe(0);
    expect(await limiter.acquire(A)).toBe(1000);
  });

  it('still spaces posts when the clock steps back less than a second', async () => {
    const time = fakeTime();
    const limiter = webhookRateLimiter({ now: time.now, sleep: time.sleep });
    await limiter.acquire(A);
    time.pass(-200);
    expect(await limiter.acquire(A)).toBe(1200);
  });

  it('holds every request of a fetch to the pace, retries included, and passes the request on unchanged', async () => {
    // Prepare
    const time = fakeTime();
    const limiter = webhookRateLimiter({ now: time.now, sleep: time.sleep });
    const sent: Array<{ url: string; at: number; body: unknown }> = [];
    const send = (async (url: string | URL | Request, init?: RequestInit) => {
      sent.push({ url: String(url), at: time.now(), body: init?.body });
      time.pass(50);
      return new Response('ok');
    }) as typeof fetch;
    const limited = rateLimitedFetch(limiter, send);
    // Act
    await limited(A, { method: 'POST', body: 'one' });
    await limited(A, { method: 'POST', body: 'two' });
    await limited(new URL(A), { method: 'POST', body: 'three' });
    // Assess: each request a second after the one before.
    expect(sent.map(({ at }) => at - sent[0]!.at)).toEqual([0, 1000, 2000]);
    expect(sent.map(({ body }) => body)).toEqual(['one', 'two', 'three']);
    expect(time.waits).toEqual([950, 950]);
  });
});
