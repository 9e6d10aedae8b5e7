import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, importHandler, lambdaContext } from '#test/support/handler.ts';

/**
 * functions/slack-digest's cold start and gate, as a unit (test/support/handler.ts): it reads the
 * notifier's Slack settings from the environment serverless.yml gives it, and a bad value fails
 * the import, naming what to fix.
 */
describe('the slackDigest cold start', () => {
  type Handler = (event: unknown, context: unknown) => Promise<unknown>;
  const ENV = { SLACK_WEBHOOK_PARAMETER: '/euc-autopilot/test/slack-webhook-url', SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY: '{}', SLACK_WAIT_SCALE: '1' };
  const load = (environment: Record<string, string>) => importHandler<Handler>(() => import('#functions/slack-digest.ts'), environment);

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('starts with the settings serverless.yml gives it and refuses an event that is not a scheduled one, calling nothing', async () => {
    const handler = await load(ENV);
    const output = captureOutput();
    try {
      await expect(handler({ hello: 'world' }, lambdaContext('slackDigest'))).resolves.toEqual({ rejected: true });
    } finally {
      output.restore();
    }
    expect(output.written.join('')).toContain('Rejected an event that is not a scheduled event');
  });

  it('fails when the pace between posts is not a whole number of milliseconds', async () => {
    await expect(load({ ...ENV, SLACK_WAIT_SCALE: 'fast' })).rejects.toThrow('SLACK_WAIT_SCALE must be a number from 0');
  });

  it('fails when the default webhook is not named', async () => {
    const { SLACK_WEBHOOK_PARAMETER: _left, ...rest } = ENV;
    await expect(load(rest)).rejects.toThrow('Environment variable SLACK_WEBHOOK_PARAMETER is not set');
  });
});
