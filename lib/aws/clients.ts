import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The AWS SDK clients handlers use, each created once per container (module scope, on first use)
 * with the retry settings of this one place. `lib/` functions never import this module: they take
 * their clients as parameters, so tests pass clients of their own.
 *
 * Throttling and transient 5xx answers are the SDK's to retry (standard mode: exponential backoff
 * with jitter, a retry quota). `AWS_MAX_ATTEMPTS` — the variable the SDK itself reads — sets the
 * attempts per call, first one included; unset, it is 5 here rather than the SDK's 3, because
 * WorkSpaces/AppStream throttle at a few calls a second and a tick would rather wait than fail.
 * The endpoint comes from the SDK's own `AWS_ENDPOINT_URL[_<SERVICE>]`, which is how the local
 * cloud is reached.
 */
export const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_MAX_ATTEMPTS = 10;

export class InvalidEnvironmentError extends Error {
  override readonly name = 'InvalidEnvironmentError';
}

export interface AwsClientConfig {
  maxAttempts: number;
  retryMode: 'standard';
}

/** The configuration every client here gets; a bad `AWS_MAX_ATTEMPTS` fails the cold start naming it. */
export function awsClientConfig(env: NodeJS.ProcessEnv = process.env): AwsClientConfig {
  const raw = env.AWS_MAX_ATTEMPTS?.trim();
  if (raw === undefined || raw === '') return { maxAttempts: DEFAULT_MAX_ATTEMPTS, retryMode: 'standard' };
  const maxAttempts = Number(raw);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_MAX_ATTEMPTS) {
    throw new InvalidEnvironmentError(
      `AWS_MAX_ATTEMPTS must be a whole number from 1 to ${MAX_MAX_ATTEMPTS} (attempts per AWS call, first included), got ${JSON.stringify(raw)}.`,
    );
  }
  return { maxAttempts, retryMode: 'standard' };
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
