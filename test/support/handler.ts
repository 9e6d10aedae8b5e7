import type { Context } from 'aws-lambda';
import { vi } from 'vitest';

/**
 * For unit tests of a handler's gate: the module is imported with the environment serverless.yml
 * gives the function and AWS pointed at a port nothing listens on, so any call to AWS fails the
 * test instead of reaching one. Call in beforeAll; `vi.unstubAllEnvs()` in afterAll.
 */
export async function importHandler<H>(load: () => Promise<unknown>, environment: Record<string, string>): Promise<H> {
  const env = {
    STATE_TABLE_NAME: 'euc-autopilot-test-state',
    AUDIT_TABLE_NAME: 'euc-autopilot-test-audit',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDUNITTEST',
    AWS_SECRET_ACCESS_KEY: 'unit-test-secret',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_MAX_ATTEMPTS: '1',
    POWERTOOLS_SERVICE_NAME: 'euc-autopilot',
    ...environment,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return ((await load()) as { handler: H }).handler;
}

/** A Lambda context for a function of the test stage. */
export function lambdaContext(functionKey: string): Context {
  const name = `euc-autopilot-test-${functionKey}`;
  return {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: '2026/11/23/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 5_000,
  } as unknown as Context;
}

/** Captures what the handler writes (its log lines) until `restore`. */
export function captureOutput(): { written: string[]; restore: () => void } {
  const written: string[] = [];
  const capture = (chunk: unknown) => (written.push(String(chunk)), true);
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  return { written, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
