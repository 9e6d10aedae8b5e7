import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MAXIMUM_RETRY_DELAY, Retry, StandardRetryStrategy, type StandardRetryStrategyOptions } from '@smithy/core/retry';
import { backoffDelay } from '#lib/aws/backoff.ts';
import { InvalidEnvironmentError, waitScale } from '#lib/config/env.ts';

/**
 * The AWS SDK clients handlers use, each created once per container (module scope, on first use)
 * with the retry settings of this one place. `lib/` functions never import the clients: they take
 * them as parameters, so tests pass clients of their own.
 *
 * Throttling and transient 5xx answers are the SDK's to retry (standard mode: full-jitter
 * exponential backoff, a retry quota). Two settings, both read at cold start (a bad value fails it,
 * naming the variable):
 * - `AWS_MAX_ATTEMPTS` — the variable the SDK itself reads — the attempts per call, first one
 *   included; unset, it is 5 here rather than the SDK's 3, because WorkSpaces/AppStream throttle at
 *   a few calls a second and a tick would rather wait than fail.
 * - `AWS_RETRY_WAIT_SCALE` — the share of each wait between attempts really waited, 0 to 1
 *   (default 1). The local stage sets 0 (serverless.yml `params.local`): its clock stands still
 *   while a handler runs, so a backoff would only cost wall time. The attempts stay the same.
 * The endpoint comes from the SDK's own `AWS_ENDPOINT_URL[_<SERVICE>]`, which is how the local
 * cloud is reached.
 */
export const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_MAX_ATTEMPTS = 10;

export interface RetrySettings {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Share of each wait between attempts really waited (AWS_RETRY_WAIT_SCALE). */
  waitScale: number;
}

/** A fixed backoff: the first retry waits up to `baseDelayMs`, each next one up to twice as long, at most `maxDelayMs`. */
export interface RetryBackoff {
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface AwsClientConfig {
  maxAttempts: number;
  retryStrategy: StandardRetryStrategy;
}

/** `AWS_MAX_ATTEMPTS` and `AWS_RETRY_WAIT_SCALE`, checked. */
export function retrySettings(env: NodeJS.ProcessEnv = process.env): RetrySettings {
  return { maxAttempts: maxAttempts(env), waitScale: waitScale('AWS_RETRY_WAIT_SCALE', env) };
}

function maxAttempts(env: NodeJS.ProcessEnv): number {
  const raw = env.AWS_MAX_ATTEMPTS?.trim();
  if (raw === undefined || raw === '') return DEFAULT_MAX_ATTEMPTS;
  const attempts = Number(raw);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_MAX_ATTEMPTS) {
    throw new InvalidEnvironmentError(
      `AWS_MAX_ATTEMPTS must be a whole number from 1 to ${MAX_MAX_ATTEMPTS} (attempts per AWS call, first included), got ${JSON.stringify(raw)}.`,
    );
  }
  return attempts;
}

/**
 * The configuration of a client: `settings`' attempts and the SDK standard strategy (its retry
 * quota and error classes), waiting `backoffDelay` (lib/aws/backoff.ts) × the wait scale. Without
 * `backoff`, the SDK's own delays: 50 ms doubling (1 s for a throttle), at most 20 s; with it,
 * that fixed one whatever the error. A Retry-After the service sends (the local cloud never does)
 * is the SDK's to honour. Each call builds its own strategy, so each client keeps its own quota.
 */
export function awsClientConfig(settings: RetrySettings = retrySettings(), backoff?: RetryBackoff): AwsClientConfig {
  const { maxAttempts, waitScale } = settings;
  return { maxAttempts, retryStrategy: new StandardRetryStrategy({ maxAttempts, backoff: scaledBackoff(waitScale, backoff) }) };
}

/** The strategy sets the delay base per error (throttle or not) before each retry; a fixed backoff keeps its own. */
function scaledBackoff(scale: number, fixed: RetryBackoff | undefined): NonNullable<StandardRetryStrategyOptions['backoff']> {
  let baseDelayMs = fixed?.baseDelayMs ?? Retry.delay();
  const maxDelayMs = fixed?.maxDelayMs ?? MAXIMUM_RETRY_DELAY;
  return {
    setDelayBase: (delayBase) => {
      if (!fixed) baseDelayMs = delayBase;
    },
    // The strategy counts retries made so far (0 before the first one); backoffDelay counts attempts from 1.
    computeNextBackoffDelay: (retries) => backoffDelay(retries + 1, baseDelayMs, maxDelayMs) * scale,
  };
}

/** A client built on first use and reused for the container's life. */
function once<T>(create: () => T): () => T {
  let client: T | undefined;
  return () => (client ??= create());
}

/** DynamoDB through the document client: plain JS values in and out, `undefined` members dropped. */
export const documentClient = once(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig()), {
    marshallOptions: { removeUndefinedValues: true },
  }),
);

export const eventBridgeClient = once(() => new EventBridgeClient(awsClientConfig()));
