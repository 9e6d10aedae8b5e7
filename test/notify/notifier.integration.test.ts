import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { capacityChanged, type CapacityChangedInput } from '#lib/events/capacity-events.ts';
import { publishDomainEvent, tryPublish } from '#lib/events/publish.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';
import { loadEvent } from '#test/support/events.ts';
import { flushSlackDigests } from './support.ts';

/** The notifier as serverless.yml wires it: custom bus rule → Lambda → SSM SecureString → Slack. */
describe('the notifier on the local cloud', () => {
  const local = useLocalCloud();
  const bus = 'euc-autopilot-local';

  async function putNotice(detail: unknown) {
    return local.clients.eventbridge.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: bus, Source: 'euc-autopilot', DetailType: 'Operator Notice', Detail: JSON.stringify(detail) }],
      }),
    );
  }

  it('posts one Slack message for an Operator Notice published on the euc-autopilot bus', async () => {
    const { detail } = loadEvent<{ detail: unknown }>('eventbridge/operator-notice');
    const answer = await putNotice(detail);
    await local.admin.advance(0);
    expect(answer.FailedEntryCount).toBe(0);
    const messages = await local.admin.slackMessages();
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0]!.payload)).toContain('Scaled pool sales-desktops 10 → 40');
  });

  it('drops a malformed notice without posting or failing the invocation', async () => {
    await local.admin.clearSlackMessages();
    const { detail } = loadEvent<{ detail: { data: Record<string, unknown> } }>('eventbridge/operator-notice');
    detail.data.severity = 'apocalyptic';
    await putNotice(detail);
    await local.admin.advance(0);
    expect(await local.admin.slackMessages()).toEqual([]);
    const deliveries = (await local.admin.deliveries()) as Array<{ outcome: string; response?: unknown }>;
    // Delivered (no error, so no asynchronous retry) and answered "rejected" by the handler.
    expect(deliveries.at(-1)).toMatchObject({ outcome: 'delivered', response: { outcome: 'rejected' } });
    const logs = await local.admin.logs('euc-autopilot-local-notifier');
    expect(logs.some((line) => line.line.includes('Rejected a malformed Operator Notice'))).toBe(true);
  });

  it('retries when Slack answers 429 and delivers once it accepts', async () => {
    // Prepare
    await local.admin.clearSlackMessages();
    await local.admin.failSlack({ status: 429, retryAfter: 0, count: 2 });
    const { detail } = loadEvent<{ detail: unknown }>('eventbridge/operator-notice');
    // Act
    await putNotice(detail);
    await local.admin.advance(0);
    // Assess: two posts refused with 429, the third accepted.
    expect(await local.admin.slackStats()).toEqual({ delivered: 1, rejected: 2 });
    expect(await local.admin.slackMessages()).toHaveLength(1);
  });

  it('never writes the webhook URL into a log line', async () => {
    // Prepare: a delivery of its own, so the handler has read the URL and posted to it.
    await local.admin.clearSlackMessages();
    const { detail } = loadEvent<{ detail: unknown }>('eventbridge/operator-notice');
    // Act
    await putNotice(detail);
    await local.admin.advance(0);
    // Assess
    expect(await local.admin.slackMessages()).toHaveLength(1);
    const url = local.cloud.env().SLACK_WEBHOOK_URL!;
    const logs = await local.admin.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((line) => line.line.includes(url) || line.line.includes('/_slack/'))).toEqual([]);
  });

  it('records a notice Slack refuses on every attempt as notification-undelivered, without the webhook URL anywhere', async () => {
    // Prepare: Slack answers 500 to every post until cleared; a target of this test's own.
    await local.admin.clearSlackMessages();
    await local.admin.failSlack({ status: 500 });
    onTestFinished(() => local.admin.clearSlackFailure().then(() => undefined));
    const { detail } = loadEvent<{ detail: { data: Record<string, unknown> } }>('eventbridge/operator-notice');
    detail.data.target = 'pool/wspool-undelivered1';
    const now = Date.parse((await local.admin.clock()).now);
    // Act
    const answer = await putNotice(detail);
    await local.admin.advance(0);
    // Assess: four posts refused, the invocation failed (so Lambda retries it), and the history says so.
    const eventId = answer.Entries?.[0]?.EventId;
    expect(await local.admin.slackStats()).toEqual({ delivered: 0, rejected: 4 });
    const deliveries = (await local.admin.deliveries()) as Array<{ eventId: string; outcome: string; error?: unknown }>;
    expect(deliveries.find((delivery) => delivery.eventId === eventId)).toMatchObject({ outcome: 'failed' });
    const audit = await queryAudit(DynamoDBDocumentClient.from(local.clients.dynamodb), LOCAL_RESOURCES.auditTable, { target: 'pool/wspool-undelivered1' });
    expect(audit).toEqual([
      expect.objectContaining({
        kind: 'notification-undelivered',
        // The notice's actor (`euc-autopilot`) is not an audit actor.
        actor: 'service:euc-autopilot',
        reason: 'Slack did not take "Scaled pool sales-desktops 10 → 40" after 4 attempts: Slack answered 500 internal_error',
        id: eventId,
        at: now,
        correlationId: 'tick-2026-11-23T07:00:00Z',
      }),
    ]);
    const url = local.cloud.env().SLACK_WEBHOOK_URL!;
    expect(JSON.stringify(audit)).not.toContain('/_slack/');
    const logs = await local.admin.logs();
    expect(logs.some((line) => line.line.includes('recorded as notification-undelivered'))).toBe(true);
    expect(logs.filter((line) => line.line.includes(url) || line.line.includes('/_slack/') || line.line.includes('B0LOCAL'))).toEqual([]);
  });

  it('adds a published Capacity Changed to its tick’s digest, which slackDigest posts as its own message with before → after, reason and actor', async () => {
    // Prepare
    await local.admin.clearSlackMessages();
    const { detail } = loadEvent<{ detail: { data: CapacityChangedInput } }>('eventbridge/capacity-changed');
    const now = Date.parse((await local.admin.clock()).now);
    // Act
    const { eventId } = await publishDomainEvent(local.clients.eventbridge, bus, capacityChanged, detail.data, 'tick-capacity-1', now);
    await local.admin.advance(0);
    // Assess: nothing posted yet; the notifier stored it in the tick's digest.
    expect(await local.admin.slackMessages()).toEqual([]);
    const deliveries = (await local.admin.deliveries()) as Array<{ eventId: string; detailType: string; response?: unknown }>;
    expect(deliveries.find((delivery) => delivery.eventId === eventId)).toMatchObject({ detailType: 'Capacity Changed', response: { outcome: 'digested' } });
    const logs = await local.admin.logs('euc-autopilot-local-notifier');
    expect(logs.some((line) => line.line.includes('tick-capacity-1') && line.line.includes('Notice added to its digest'))).toBe(true);

    // Act: the digest's schedule runs once it has settled.
    const flushed = await flushSlackDigests(local);
    // Assess: one entry, so the message is the notice's own.
    expect(flushed).toEqual({ posted: 1, dropped: 0, waiting: 0 });
    const messages = await local.admin.slackMessages();
    expect(messages).toHaveLength(1);
    const posted = JSON.stringify(messages[0]!.payload);
    expect(posted).toContain('Scaled pool sales-desktops 10 → 40');
    expect(posted).toContain('started 60 min early to be ready by 08:00');
    expect(posted).toContain('by: schedule:weekday-mornings');
  });

  it('stores a Capacity Changed delivered twice once, so its tick’s digest tells of it once', async () => {
    // Prepare: the sample event of the tick, and another change of the same tick.
    await local.admin.clearSlackMessages();
    type Sample = { id: string; time: string; detail: { metadata: { correlationId: string }; data: Record<string, unknown> } };
    const event = loadEvent<Sample>('eventbridge/capacity-changed');
    event.time = (await local.admin.clock()).now;
    event.detail.metadata.correlationId = 'tick-capacity-twice';
    const other = structuredClone(event);
    other.id = '1b7c2f0e-5a0d-4c55-9d0e-0c6f3a1d2b02';
    Object.assign(other.detail.data, { target: 'pool/wspool-twice0002', targetName: 'other-desktops' });
    // Act: EventBridge delivers the first one twice (at least once).
    const answers = [];
    for (const delivered of [event, event, other]) answers.push(await local.cloud.invoke('euc-autopilot-local-notifier', delivered));
    await flushSlackDigests(local);
    // Assess
    expect(answers).toEqual(Array(3).fill({ ok: true, payload: { outcome: 'digested' } }));
    const messages = (await local.admin.slackMessages()).map((message) => JSON.stringify(message.payload));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Scaled 2 pools');
    // Its line, and the fallback text: once each.
    expect(messages[0]!.match(/Scaled pool sales-desktops 10 → 40/g)).toHaveLength(2);
    expect(messages[0]).toContain('Scaled pool other-desktops 10 → 40');
  });

  it('drops a Capacity Changed that breaks its contract without posting', async () => {
    // Prepare: put around the publisher, which would refuse it.
    await local.admin.clearSlackMessages();
    const { detail } = loadEvent<{ detail: { data: Record<string, unknown> } }>('eventbridge/capacity-changed');
    detail.data.kind = 'fleet';
    // Act
    await local.clients.eventbridge.send(
      new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: 'euc-autopilot', DetailType: 'Capacity Changed', Detail: JSON.stringify(detail) }] }),
    );
    await local.admin.advance(0);
    // Assess
    expect(await local.admin.slackMessages()).toEqual([]);
    const deliveries = (await local.admin.deliveries()) as Array<{ outcome: string; response?: unknown }>;
    expect(deliveries.at(-1)).toMatchObject({ outcome: 'delivered', response: { outcome: 'rejected' } });
    const logs = await local.admin.logs('euc-autopilot-local-notifier');
    expect(logs.some((line) => line.line.includes('Rejected a malformed Capacity Changed'))).toBe(true);
  });

  it('lets a scaling path carry on when its event cannot be published', async () => {
    // Prepare
    const warnings: unknown[] = [];
    const logger = { warn: (_message: string, ...extra: unknown[]) => void warnings.push(...extra) };
    const { detail } = loadEvent<{ detail: { data: CapacityChangedInput } }>('eventbridge/capacity-changed');
    // Act: a bus that does not exist is a failure EventBridge reports per entry, not retryable.
    const published = await tryPublish(local.clients.eventbridge, 'no-such-bus', capacityChanged, detail.data, 'tick-capacity-2', 0, { logger });
    // Assess
    expect(published).toBe(false);
    expect(warnings).toEqual([expect.objectContaining({ detailType: 'Capacity Changed', error: expect.stringContaining('ResourceNotFoundException') })]);
  });
});
