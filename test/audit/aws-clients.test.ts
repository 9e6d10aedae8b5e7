import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeWorkspacesCommand } from '@aws-sdk/client-workspaces';
import { HttpResponse } from '@smithy/core/protocols';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { awsClientConfig, DEFAULT_MAX_ATTEMPTS, retrySettings, type RetrySettings } from '#lib/aws/clients.ts';
import { InvalidEnvironmentError } from '#lib/config/env.ts';
import { createWorkSpacesClient } from '#lib/targets/clients.ts';

/** The one place AWS retries are configured (the audit writer's clients come from it, and every other client the handlers build). */
describe('the AWS client configuration', () => {
  it('makes 5 attempts per call and waits in full unless AWS_MAX_ATTEMPTS and AWS_RETRY_WAIT_SCALE say otherwise', () => {
    expect(retrySettings({})).toEqual({ maxAttempts: DEFAULT_MAX_ATTEMPTS, waitScale: 1 });
    expect(DEFAULT_MAX_ATTEMPTS).toBe(5);
    expect(retrySettings({ AWS_MAX_ATTEMPTS: ' 2 ', AWS_RETRY_WAIT_SCALE: ' 0 ' })).toEqual({ maxAttempts: 2, waitScale: 0 });
    expect(retrySettings({ AWS_RETRY_WAIT_SCALE: '0.25' }).waitScale).toBe(0.25);
  });

  it.each(['0', '-1', '2.5', 'three', '11'])('fails the cold start on AWS_MAX_ATTEMPTS=%s, naming the variable', (value) => {
    expect(() => retrySettings({ AWS_MAX_ATTEMPTS: value })).toThrow(InvalidEnvironmentError);
    expect(() => retrySettings({ AWS_MAX_ATTEMPTS: value })).toThrow(/AWS_MAX_ATTEMPTS must be a whole number from 1 to 10/);
  });

  it.each(['-0.5', '1.5', 'none', 'NaN'])('fails the cold start on AWS_RETRY_WAIT_SCALE=%s, naming the variable', (value) => {
    expect(() => retrySettings({ AWS_RETRY_WAIT_SCALE: value })).toThrow(InvalidEnvironmentError);
    expect(() => retrySettings({ AWS_RETRY_WAIT_SCALE: value })).toThrow(`AWS_RETRY_WAIT_SCALE must be a number from 0 (no waiting: the local cloud) to 1 (real waits: AWS), got "${value}".`);
  });
});

/**
 * Retries through a real client whose every answer is an error (a request handler that counts
 * the attempts), read from the error's metadata: the attempts made and the time waited between
 * them. Waits are on fake timers, and Math.random is 0.5, so each wait is half its ceiling.
 */
describe('the waits between attempts', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  const failing = (statusCode: number, errorType: string) => {
    const handler = {
      attempts: 0,
      handle: async () => {
        handler.attempts += 1;
        return { response: new HttpResponse({ statusCode, headers: { 'x-amzn-errortype': errorType, 'content-type': 'application/x-amz-json-1.1' }, body: Buffer.from('{}') }) };
      },
    };
    return handler;
  };
  const connection = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

  async function metadataOf(send: () => Promise<unknown>): Promise<{ attempts?: number; totalRetryDelay?: number }> {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    let metadata: { attempts?: number; totalRetryDelay?: number } | undefined;
    const outcome = send().then(
      () => (metadata = {}),
      (error: { $metadata: { attempts?: number; totalRetryDelay?: number } }) => (metadata = error.$metadata),
    );
    // The client reaches each wait after some promises of its own: move the fake clock until it gives up.
    for (let step = 0; metadata === undefined && step < 1_000; step += 1) await vi.advanceTimersByTimeAsync(100);
    return outcome;
  }

  const dynamodb = (settings: RetrySettings, handler: ReturnType<typeof failing>) =>
    new DynamoDBClient({ ...connection, ...awsClientConfig(settings), requestHandler: handler });

  it("keeps the SDK's own delays unscaled: 50 ms doubling for a 5xx, 1 s doubling for a throttle", async () => {
    const server = failing(503, 'ServiceUnavailable');
    const throttled = failing(400, 'ThrottlingException');

    const afterServerErrors = await metadataOf(() => dynamodb({ maxAttempts: 5, waitScale: 1 }, server).send(new DescribeTableCommand({ TableName: 't' })));
    const afterThrottles = await metadataOf(() => dynamodb({ maxAttempts: 5, waitScale: 1 }, throttled).send(new DescribeTableCommand({ TableName: 't' })));

    expect(afterServerErrors).toMatchObject({ attempts: 5, totalRetryDelay: 25 + 50 + 100 + 200 });
    expect(afterThrottles).toMatchObject({ attempts: 5, totalRetryDelay: 500 + 1_000 + 2_000 + 4_000 });
  });

  it('waits nothing at a scale of 0 and makes the same attempts', async () => {
    const server = failing(503, 'ServiceUnavailable');
    const throttled = failing(400, 'ThrottlingException');

    const afterServerErrors = await metadataOf(() => dynamodb({ maxAttempts: 5, waitScale: 0 }, server).send(new DescribeTableCommand({ TableName: 't' })));
    const afterThrottles = await metadataOf(() => dynamodb({ maxAttempts: 3, waitScale: 0 }, throttled).send(new DescribeTableCommand({ TableName: 't' })));

    expect(afterServerErrors).toMatchObject({ attempts: 5, totalRetryDelay: 0 });
    expect(server.attempts).toBe(5);
    expect(afterThrottles).toMatchObject({ attempts: 3, totalRetryDelay: 0 });
    expect(throttled.attempts).toBe(3);
  });

  it("scales the target clients' fixed backoff (200 ms doubling, throttle or not) the same way", async () => {
    const workspaces = (scale: string, handler: ReturnType<typeof failing>) => {
      vi.stubEnv('AWS_RETRY_WAIT_SCALE', scale);
      const client = createWorkSpacesClient({ ...connection, maxAttempts: 4 });
      client.config.requestHandler = handler as never;
      return () => client.send(new DescribeWorkspacesCommand({}));
    };
    const full = failing(400, 'ThrottlingException');
    const none = failing(400, 'ThrottlingException');

    expect(await metadataOf(workspaces('1', full))).toMatchObject({ attempts: 4, totalRetryDelay: 100 + 200 + 400 });
    expect(await metadataOf(workspaces('0', none))).toMatchObject({ attempts: 4, totalRetryDelay: 0 });
    expect(none.attempts).toBe(4);
  });
});
