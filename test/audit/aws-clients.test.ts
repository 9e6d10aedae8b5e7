import { describe, expect, it } from 'vitest';
import { awsClientConfig, DEFAULT_MAX_ATTEMPTS, InvalidEnvironmentError } from '#lib/aws/clients.ts';

/** The one place AWS retries are configured (the audit writer's clients come from it). */
describe('the AWS client configuration', () => {
  it('makes 5 attempts per call unless AWS_MAX_ATTEMPTS says otherwise', () => {
    expect(awsClientConfig({})).toEqual({ maxAttempts: DEFAULT_MAX_ATTEMPTS, retryMode: 'standard' });
    expect(DEFAULT_MAX_ATTEMPTS).toBe(5);
    expect(awsClientConfig({ AWS_MAX_ATTEMPTS: ' 2 ' }).maxAttempts).toBe(2);
  });

  it.each(['0', '-1', '2.5', 'three', '11'])('fails the cold start on AWS_MAX_ATTEMPTS=%s, naming the variable', (value) => {
    expect(() => awsClientConfig({ AWS_MAX_ATTEMPTS: value })).toThrow(InvalidEnvironmentError);
    expect(() => awsClientConfig({ AWS_MAX_ATTEMPTS: value })).toThrow(/AWS_MAX_ATTEMPTS must be a whole number from 1 to 10/);
  });
});
