import { describe, expect, it } from 'vitest';
import { toItem, type AuditEntry } from '#lib/audit/entry.ts';
import type { OperatorNotice } from '#lib/events/operator-notice.ts';
import { notifyOperators, postToOperators, worthRetrying, type NotifyDeps } from '#lib/notify/notify-operators.ts';
import { undeliveredEntry } from '#lib/notify/undelivered.ts';
import { webhookRateLimiter } from '#lib/notify/webhook-rate-limit.ts';
import type { WebhookRoute } from '#lib/notify/webhook-routes.ts';

const URLS: Record<string, string> = {
  '/euc-autopilot/test/slack-webhook-url': 'https://hooks.slack.com/services/T000/B000/default-secret',
  '/euc-autopilot/test/slack-webhook-url-critical': 'https://hooks.slack.com/services/T000/B000/critical-secret',
};
const EVENT = { id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', at: Date.parse('2026-11-23T07:00:00Z'), correlationId: 'tick-2026-11-23T07:00:00Z' };

const notice = (overrides: Partial<OperatorNotice> = {}): OperatorNotice => ({
  severity: 'critical',
  title: 'Could not scale fleet office-apps 2 → 8',
  text: 'Fleet did not reach 8 in 30 min.',
  facts: [],
  target: 'fleet/office-apps',
  actor: 'usage',
  ...overrides,
});

/** Deps with a scripted Slack: every post answered with `status`, every wait recorded, never slept. */
function deps(status: number | ((url: string) => number) = 200) {
  const posts: string[] = [];
  const audit: AuditEntry[] = [];
  const waits: number[] = [];
  let clock = 0;
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock += ms;
  };
  const fetch = (async (url: string | URL | Request) => {
    posts.push(String(url));
    const answer = typeof status === 'number' ? status : status(String(url));
    return new Response(answer === 200 ? 'ok' : 'internal_error', { status: answer });
  }) as typeof globalThis.fetch;
  const value: NotifyDeps = {
    routes: { default: '/euc-autopilot/test/slack-webhook-url', bySeverity: { critical: '/euc-autopilot/test/slack-webhook-url-critical' } },
    webhookUrl: async (route: WebhookRoute) => URLS[route.parameter]!,
    limiter: webhookRateLimiter({ now: () => clock, sleep }),
    recordAudit: async (entry) => void audit.push(entry),
    webhook: { fetch, sleep, baseBackoffMs: 100 },
  };
  return { value, posts, audit, waits };
}

describe('telling the operators', () => {
  it('posts a critical notice to the critical webhook and an info notice to the default one', async () => {
    const { value, posts } = deps();
    await notifyOperators(notice(), EVENT, value);
    await notifyOperators(notice({ severity: 'info' }), EVENT, value);
    expect(posts).toEqual([URLS['/euc-autopilot/test/slack-webhook-url-critical'], URLS['/euc-autopilot/test/slack-webhook-url']]);
  });

  it('says which route it took by parameter name, never by URL', async () => {
    const { value } = deps();
    const result = await notifyOperators(notice(), EVENT, value);
    expect(result).toEqual({
      delivered: true,
      attempts: 1,
      route: { parameter: '/euc-autopilot/test/slack-webhook-url-critical', source: 'SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY.critical' },
    });
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('spaces back-to-back notices to one webhook a second apart, but not notices to different webhooks', async () => {
    // Prepare
    const { value, waits } = deps();
    // Act: two critical (same webhook), then an info (another webhook).
    await notifyOperators(notice(), EVENT, value);
    await notifyOperators(notice(), EVENT, value);
    await notifyOperators(notice({ severity: 'info' }), EVENT, value);
    // Assess
    expect(waits).toEqual([1000]);
  });

  it('keeps retries to the pace too: a 100 ms backoff is topped up to a second', async () => {
    const answers = [500, 200];
    const { value, waits } = deps(() => answers.shift()!);
    const result = await notifyOperators(notice(), EVENT, value);
    expect(result).toMatchObject({ delivered: true, attempts: 2 });
    expect(waits).toEqual([100, 900]);
  });

  it('records a notice Slack would not take as notification-undelivered, keyed by its event', async () => {
    // Prepare
    const { value, audit } = deps(500);
    // Act
    const result = await notifyOperators(notice(), EVENT, value);
    // Assess
    expect(result).toMatchObject({ delivered: false, attempts: 4, lastStatus: 500 });
    expect(audit).toEqual([
      {
        target: 'fleet/office-apps',
        kind: 'notification-undelivered',
        actor: 'usage',
        reason: 'Slack did not take "Could not scale fleet office-apps 2 → 8" after 4 attempts: Slack answered 500 internal_error',
        error: 'Slack answered 500 internal_error',
        correlationId: 'tick-2026-11-23T07:00:00Z',
        at: EVENT.at,
        id: EVENT.id,
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain('secret');
  });

  it('records an answer retrying cannot fix after one attempt', async () => {
    const { value, audit, posts } = deps(404);
    const result = await notifyOperators(notice(), EVENT, value);
    expect(result).toMatchObject({ delivered: false, attempts: 1, lastStatus: 404 });
    expect(posts).toHaveLength(1);
    expect(audit[0]?.reason).toMatch(/after 1 attempt: Slack answered 404/);
  });

  it('records nothing when Slack takes the notice', async () => {
    const { value, audit } = deps(200);
    await notifyOperators(notice(), EVENT, value);
    expect(audit).toEqual([]);
  });

  it('fails when the undelivered notice cannot be recorded, so the event is retried rather than lost', async () => {
    const { value } = deps(500);
    value.recordAudit = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    await expect(notifyOperators(notice(), EVENT, value)).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});

describe('the audit entry of an undelivered notice', () => {
  const delivery = { delivered: false as const, attempts: 4, reason: 'Slack answered 500 internal_error', lastStatus: 500 };

  it('is a valid audit entry under the notice target, with the notice actor', () => {
    const entry = undeliveredEntry(notice({ target: 'pool/wspool-abc123def', actor: 'schedule:weekday-mornings' }), delivery, EVENT);
    expect(entry).toMatchObject({ target: 'pool/wspool-abc123def', actor: 'schedule:weekday-mornings' });
    expect(toItem(entry)).toMatchObject({ pk: 'pool/wspool-abc123def', sk: `2026-11-23T07:00:00.000Z#${EVENT.id}`, kind: 'notification-undelivered' });
  });

  it.each([
    ['no target', undefined],
    ['a target that is not <kind>/<id>', 'sales desktops'],
  ])('goes under notifier/slack when the notice has %s', (_case, target) => {
    const entry = undeliveredEntry(notice({ target }), delivery, EVENT);
    expect(entry.target).toBe('notifier/slack');
    expect(() => toItem(entry)).not.toThrow();
  });

  it.each([
    ['no actor', undefined],
    ['an operator name', 'Jane from the service desk'],
    ['the product name', 'euc-autopilot'],
  ])('is by service:euc-autopilot when the notice has %s', (_case, actor) => {
    const entry = undeliveredEntry(notice({ actor }), delivery, EVENT);
    expect(entry.actor).toBe('service:euc-autopilot');
    expect(() => toItem(entry)).not.toThrow();
  });

  it('stays within the audit limits whatever the title and reason hold', () => {
    const entry = undeliveredEntry(notice({ title: 'x'.repeat(500) }), { ...delivery, reason: 'y'.repeat(5000) }, { ...EVENT, correlationId: 'z'.repeat(2000) });
    expect(() => toItem(entry)).not.toThrow();
  });
});

describe('posting a message that tells of several notices (a digest)', () => {
  const second = { ...EVENT, id: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5' };
  const notices = [
    { notice: notice({ severity: 'info', title: 'Scaled pool a 2 → 30', target: 'pool/wspool-aaaaaaaaa' }), event: EVENT },
    { notice: notice({ severity: 'info', title: 'Scaled pool b 2 → 30', target: 'pool/wspool-bbbbbbbbb' }), event: second },
  ];

  it('goes to the webhook of the severity it is given, once', async () => {
    const { value, posts } = deps();
    const result = await postToOperators({ severity: 'critical', message: { text: 'digest', blocks: [] }, notices }, value);
    expect(result).toMatchObject({ delivered: true, route: { parameter: '/euc-autopilot/test/slack-webhook-url-critical' } });
    expect(posts).toEqual([URLS['/euc-autopilot/test/slack-webhook-url-critical']]);
  });

  it('records each notice it carried as undelivered, under its own target and event, when Slack will not take it', async () => {
    const { value, audit } = deps(400);
    await postToOperators({ severity: 'info', message: { text: 'digest', blocks: [] }, notices }, value);
    expect(audit.map((entry) => [entry.target, entry.id])).toEqual([
      ['pool/wspool-aaaaaaaaa', EVENT.id],
      ['pool/wspool-bbbbbbbbb', second.id],
    ]);
  });
});

describe('whether Slack might take it later', () => {
  it.each([
    [429, true],
    [500, true],
    [503, true],
    [undefined, true],
    [400, false],
    [403, false],
    [404, false],
  ])('answers %s → %s', (lastStatus, expected) => {
    expect(worthRetrying({ delivered: false, attempts: 1, reason: 'x', ...(lastStatus === undefined ? {} : { lastStatus }) })).toBe(expected);
  });
});
