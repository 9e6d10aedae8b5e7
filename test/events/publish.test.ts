import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { capacityChanged, type CapacityChangedInput } from '#lib/events/capacity-events.ts';
import { DomainEventPublishError, DomainEventValidationError, publishDomainEvent, tryPublish } from '#lib/events/publish.ts';

/**
 * PutEvents' partial failures, which the local bus has no fault for, through a client mock; the
 * whole path through the local EventBridge is in test/notify/notifier.integration.test.ts.
 */
const NOW = Date.parse('2026-11-23T07:00:00Z');
const BUS = 'euc-autopilot-test';
const data: CapacityChangedInput = {
  target: 'pool/wspool-abc123def',
  targetName: 'sales-desktops',
  kind: 'pool',
  before: 10,
  after: 40,
  reason: 'Window weekday-mornings asks for 40 sessions.',
  actor: 'schedule:weekday-mornings',
};
const failed = (ErrorCode: string) => ({ FailedEntryCount: 1, Entries: [{ ErrorCode, ErrorMessage: `${ErrorCode} happened` }] });
const accepted = { FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] };
const eventbridge = mockClient(EventBridgeClient);
const client = new EventBridgeClient({ region: 'us-east-1' });
beforeEach(() => eventbridge.reset());

describe('publishing a domain event', () => {
  const waits: number[] = [];
  const sleep = async (ms: number) => void waits.push(ms);
  beforeEach(() => {
    waits.length = 0;
  });

  it('puts the contract envelope on the bus: metadata with version, time and correlation id, then the data', async () => {
    eventbridge.on(PutEventsCommand).resolves(accepted);
    const result = await publishDomainEvent(client, BUS, capacityChanged, data, 'tick-1', NOW);
    expect(result).toEqual({ eventId: 'event-1' });
    const entry = eventbridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry).toMatchObject({ EventBusName: BUS, Source: 'euc-autopilot', DetailType: 'Capacity Changed' });
    expect(JSON.parse(entry.Detail!)).toEqual({
      metadata: { eventVersion: 1, eventTime: '2026-11-23T07:00:00.000Z', correlationId: 'tick-1' },
      data: { ...data, unit: 'sessions', dryRun: false },
    });
  });

  it('puts a failed entry again with backoff when EventBridge calls the failure retryable', async () => {
    eventbridge.on(PutEventsCommand).resolvesOnce(failed('ThrottlingException')).resolvesOnce(failed('InternalFailure')).resolves(accepted);
    await expect(publishDomainEvent(client, BUS, capacityChanged, data, 'tick-1', NOW, { sleep })).resolves.toEqual({ eventId: 'event-1' });
    expect(eventbridge.commandCalls(PutEventsCommand)).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after the last attempt with an error naming the contract and the code', async () => {
    eventbridge.on(PutEventsCommand).resolves(failed('InternalFailure'));
    const publishing = publishDomainEvent(client, BUS, capacityChanged, data, 'tick-1', NOW, { sleep, maxAttempts: 3 });
    await expect(publishing).rejects.toThrow(DomainEventPublishError);
    await expect(publishing).rejects.toThrow(/Capacity Changed not published to euc-autopilot-test after 3 attempt\(s\): InternalFailure/);
    expect(eventbridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it('does not retry a failure that retrying cannot fix', async () => {
    eventbridge.on(PutEventsCommand).resolves(failed('NotAuthorizedForSourceException'));
    await expect(publishDomainEvent(client, BUS, capacityChanged, data, 'tick-1', NOW, { sleep })).rejects.toThrow(/NotAuthorizedForSourceException/);
    expect(eventbridge.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('refuses data that breaks the contract before putting anything, naming the field', async () => {
    const publishing = publishDomainEvent(client, BUS, capacityChanged, { ...data, before: -1 }, 'tick-1', NOW);
    await expect(publishing).rejects.toThrow(DomainEventValidationError);
    await expect(publishing).rejects.toThrow(/data\.before/);
    expect(eventbridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('wraps a failed call (after the SDK gave up) in an error naming the contract', async () => {
    eventbridge.on(PutEventsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(publishDomainEvent(client, BUS, capacityChanged, data, 'tick-1', NOW)).rejects.toThrow(
      'Capacity Changed not published to euc-autopilot-test: ThrottlingException: Rate exceeded',
    );
  });
});

describe('publishing from a scaling path', () => {
  function recordingLogger() {
    const lines: Array<{ message: string; extra: unknown[] }> = [];
    return { lines, logger: { warn: (message: string, ...extra: unknown[]) => void lines.push({ message, extra }) } };
  }

  it('answers true when the event is on the bus', async () => {
    eventbridge.on(PutEventsCommand).resolves(accepted);
    const { logger, lines } = recordingLogger();
    await expect(tryPublish(client, BUS, capacityChanged, data, 'tick-1', NOW, { logger })).resolves.toBe(true);
    expect(lines).toEqual([]);
  });

  it('answers false and logs a warning, never throwing, whatever went wrong', async () => {
    eventbridge.on(PutEventsCommand).rejects(new Error('socket hang up'));
    const { logger, lines } = recordingLogger();
    await expect(tryPublish(client, BUS, capacityChanged, data, 'tick-1', NOW, { logger })).resolves.toBe(false);
    await expect(tryPublish(client, BUS, capacityChanged, { ...data, actor: 'nobody' as 'usage' }, 'tick-1', NOW, { logger })).resolves.toBe(false);
    const throwingLogger = { warn: () => { throw new Error('log sink down'); } };
    await expect(tryPublish(client, BUS, capacityChanged, data, 'tick-1', NOW, { logger: throwingLogger })).resolves.toBe(false);
    expect(lines.map((line) => line.extra[0])).toEqual([
      expect.objectContaining({ detailType: 'Capacity Changed', correlationId: 'tick-1', error: expect.stringContaining('socket hang up') }),
      expect.objectContaining({ error: expect.stringContaining('data.actor') }),
    ]);
  });
});
