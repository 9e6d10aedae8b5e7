import { setTimeout as delay } from 'node:timers/promises';
import { PutEventsCommand, type EventBridgeClient, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { z } from 'zod';
import type { DomainEventContract } from './domain-event.ts';

/**
 * Publishing a domain event on the euc-autopilot bus.
 *
 * `publishDomainEvent` validates `data` against the contract, wraps it as
 * `{ metadata: { eventVersion, eventTime, correlationId }, data }` and puts it. PutEvents answers
 * 200 even when an entry failed, so the answer's FailedEntryCount is checked: an entry failing with
 * a retryable code (InternalFailure, ThrottlingException, as the API reference lists them) is put
 * again with exponential backoff; any other code, or the last attempt, is a
 * `DomainEventPublishError` naming the contract. Whole-call failures (throttling, 5xx, network)
 * are the SDK's to retry (lib/aws/clients.ts) before they surface here, wrapped the same way.
 *
 * `tryPublish` is what a scaling path calls: the same, but it logs a failure and returns false,
 * never throws. A notification lost is a Slack message missing, never a scaling step failed; the
 * audit entry, written before, is the record.
 */
export class DomainEventPublishError extends Error {
  override readonly name = 'DomainEventPublishError';
}

export class DomainEventValidationError extends Error {
  override readonly name = 'DomainEventValidationError';
}

export interface PublishOptions {
  /** Puts of a failed entry, first included (default 3). */
  maxAttempts?: number;
  /** First wait between puts, doubled each time (default 100 ms). */
  baseBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE_ENTRY_ERRORS = new Set(['InternalFailure', 'ThrottlingException']);

/** Puts one event; resolves to its EventBridge event id. */
export async function publishDomainEvent<Data extends z.ZodType>(
  client: EventBridgeClient,
  busName: string,
  contract: DomainEventContract<Data>,
  data: z.input<Data>,
  correlationId: string,
  now: number,
  options: PublishOptions = {},
): Promise<{ eventId: string }> {
  const detail = contract.detailSchema.safeParse({
    metadata: { eventVersion: contract.version, eventTime: new Date(now).toISOString(), correlationId },
    data,
  });
  if (!detail.success) {
    const problems = detail.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new DomainEventValidationError(`${contract.detailType} v${contract.version} not published, its detail is invalid: ${problems}`);
  }
  const entry = {
    EventBusName: busName,
    Source: contract.source,
    DetailType: contract.detailType,
    Detail: JSON.stringify(detail.data),
    Time: new Date(now),
  };
  const maxAttempts = options.maxAttempts ?? 3;
  const baseBackoffMs = options.baseBackoffMs ?? 100;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));

  for (let attempt = 1; ; attempt += 1) {
    let result: PutEventsResultEntry | undefined;
    try {
      const answer = await client.send(new PutEventsCommand({ Entries: [entry] }));
      result = answer.Entries?.[0];
      if (!answer.FailedEntryCount && result?.EventId) return { eventId: result.EventId };
    } catch (error) {
      throw new DomainEventPublishError(`${contract.detailType} not published to ${busName}: ${describe(error)}`, { cause: error });
    }
    const code = result?.ErrorCode ?? 'NoEventId';
    const failure = `${contract.detailType} not published to ${busName} after ${attempt} attempt(s): ${code} ${result?.ErrorMessage ?? ''}`.trim();
    if (!RETRYABLE_ENTRY_ERRORS.has(code) || attempt >= maxAttempts) throw new DomainEventPublishError(failure);
    await sleep(baseBackoffMs * 2 ** (attempt - 1));
  }
}

/** Logs as Powertools' Logger does; any object with `warn` will do. */
export interface PublishLogger {
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
}

/**
 * `publishDomainEvent` for paths that must carry on whatever happens to the event (scaling):
 * true when published; false, with a warning logged, when it was not. Never throws.
 */
export async function tryPublish<Data extends z.ZodType>(
  client: EventBridgeClient,
  busName: string,
  contract: DomainEventContract<Data>,
  data: z.input<Data>,
  correlationId: string,
  now: number,
  options: PublishOptions & { logger: PublishLogger },
): Promise<boolean> {
  try {
    await publishDomainEvent(client, busName, contract, data, correlationId, now, options);
    return true;
  } catch (error) {
    try {
      options.logger.warn('Domain event not published; carrying on without it', {
        detailType: contract.detailType,
        correlationId,
        error: describe(error),
      });
    } catch {
      // A logger that throws must not turn a lost notification into a failed scaling step either.
    }
    return false;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
