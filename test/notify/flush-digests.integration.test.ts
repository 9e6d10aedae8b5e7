import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '#lib/audit/entry.ts';
import { capacityChanged } from '#lib/events/capacity-events.ts';
import { capacityChangedLine, capacityChangedNotice } from '#lib/notify/capacity-notices.ts';
import type { DigestEntry } from '#lib/notify/digest.ts';
import { appendToDigest, readDigest } from '#lib/notify/digest-store.ts';
import { DIGEST_SETTLE_SECONDS, flushDigests, type FlushDeps } from '#lib/notify/flush-digests.ts';
import type { NotifyDeps } from '#lib/notify/notify-operators.ts';
import type { SlackMessage } from '#lib/notify/slack-message.ts';
import { webhookRateLimiter } from '#lib/notify/webhook-rate-limit.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';

/**
 * Posting settled digests: the store on the local cloud's DynamoDB, Slack scripted (every post
 * answered with a chosen status, nothing slept), the audit writes collected.
 */
describe('flushing Slack digests', () => {
  const local = useLocalCloud();
  const table = LOCAL_RESOURCES.stateTable;
  const SETTLE_MS = DIGEST_SETTLE_SECONDS * 1000;
  let documents: DynamoDBDocumentClient;

  beforeAll(() => {
    documents = DynamoDBDocumentClient.from(local.clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  });

  function entry(id: string, name: string, at: number): DigestEntry {
    const data = capacityChanged.dataSchema.parse({
      target: `fleet/${name}`,
      targetName: name,
      kind: 'fleet',
      before: 4,
      after: 1,
      unit: 'instances',
      reason: 'off hours: capacity 1',
      actor: 'schedule:off-hours',
    });
    return { id, at, ...capacityChangedLine(data), notice: capacityChangedNotice(data) };
  }

  function deps(status: () => number = () => 200) {
    const posts: SlackMessage[] = [];
    const audit: AuditEntry[] = [];
    const fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
      posts.push(JSON.parse(String(init?.body)) as SlackMessage);
      const answer = status();
      return new Response(answer === 200 ? 'ok' : 'no', { status: answer });
    }) as typeof globalThis.fetch;
    const sleep = async () => undefined;
    const notify: NotifyDeps = {
      routes: { default: '/euc-autopilot/test/slack-webhook-url', bySeverity: {} },
      webhookUrl: async () => 'https://hooks.slack.com/services/T000/B000/secret',
      limiter: webhookRateLimiter({ intervalMs: 0, sleep }),
      recordAudit: async (written) => void audit.push(written),
      webhook: { fetch, sleep },
    };
    const value: FlushDeps = { documents, stateTable: table, notify, logger: { info: () => undefined, error: () => undefined } };
    return { value, posts, audit };
  }

  it('posts each settled digest as one message, removes it and leaves a younger one for later', async () => {
    // Prepare: a tick of three fleets at T0, another tick 60 s later.
    const T0 = Date.parse('2026-11-23T04:01:00Z');
    for (const name of ['apps-a', 'apps-b', 'apps-c']) await appendToDigest(documents, table, 'tick-flush-1', entry(`e-${name}`, name, T0), T0);
    await appendToDigest(documents, table, 'tick-flush-2', entry('e-late', 'apps-d', T0 + 60_000), T0 + 60_000);
    const { value, posts } = deps();
    // Act
    const report = await flushDigests(T0 + SETTLE_MS, value);
    // Assess
    expect(report).toEqual({ posted: 1, dropped: 0, waiting: 0 });
    expect(posts).toHaveLength(1);
    expect(posts[0]!.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Scaled 3 fleets' } });
    expect(await readDigest(documents, table, 'tick-flush-1')).toBeUndefined();
    expect(await readDigest(documents, table, 'tick-flush-2')).toBeDefined();

    // Act: a minute later the second tick has settled; it has one entry, posted as its own notice.
    const next = await flushDigests(T0 + 60_000 + SETTLE_MS, value);
    expect(next).toEqual({ posted: 1, dropped: 0, waiting: 0 });
    expect(posts[1]!.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Scaled fleet apps-d 4 → 1' } });
  });

  it('keeps a digest Slack might take later, records each of its notices as undelivered, and posts it once Slack is back', async () => {
    // Prepare
    const T0 = Date.parse('2026-11-23T05:01:00Z');
    await appendToDigest(documents, table, 'tick-down', entry('d1', 'down-a', T0), T0);
    await appendToDigest(documents, table, 'tick-down', entry('d2', 'down-b', T0), T0);
    let status = 500;
    const { value, posts, audit } = deps(() => status);
    // Act
    const failed = await flushDigests(T0 + SETTLE_MS, value);
    // Assess: four attempts, one audit entry per notice under its own target and event, the digest kept.
    expect(failed).toEqual({ posted: 0, dropped: 0, waiting: 1, failure: 'Slack answered 500 no' });
    expect(posts).toHaveLength(4);
    expect(audit).toEqual([
      expect.objectContaining({ kind: 'notification-undelivered', target: 'fleet/down-a', id: 'd1', at: T0, correlationId: 'tick-down' }),
      expect.objectContaining({ kind: 'notification-undelivered', target: 'fleet/down-b', id: 'd2', at: T0, correlationId: 'tick-down' }),
    ]);
    expect(audit[0]!.reason).toBe('Slack did not take "Scaled fleet down-a 4 → 1" after 4 attempts: Slack answered 500 no');
    expect((await readDigest(documents, table, 'tick-down'))?.entries).toHaveLength(2);

    // Act: Slack is back for the next run.
    status = 200;
    const recovered = await flushDigests(T0 + 60_000 + SETTLE_MS, value);
    expect(recovered).toEqual({ posted: 1, dropped: 0, waiting: 0 });
    expect(await readDigest(documents, table, 'tick-down')).toBeUndefined();
  });

  it('drops a digest Slack refuses for good, after recording its notices as undelivered', async () => {
    // Prepare
    const T0 = Date.parse('2026-11-23T06:01:00Z');
    await appendToDigest(documents, table, 'tick-refused', entry('f1', 'refused-a', T0), T0);
    await appendToDigest(documents, table, 'tick-refused', entry('f2', 'refused-b', T0), T0);
    const { value, posts, audit } = deps(() => 400);
    // Act
    const report = await flushDigests(T0 + SETTLE_MS, value);
    // Assess
    expect(report).toEqual({ posted: 0, dropped: 1, waiting: 0 });
    expect(posts).toHaveLength(1);
    expect(audit.map((written) => written.target)).toEqual(['fleet/refused-a', 'fleet/refused-b']);
    expect(await readDigest(documents, table, 'tick-refused')).toBeUndefined();
  });
});
