import { afterEach, describe, expect, it, vi } from 'vitest';
import { importHandler } from '#test/support/handler.ts';

/**
 * functions/notifier's cold start, as a unit (test/support/handler.ts): its routes come from the
 * environment serverless.yml gives it, and a bad value fails the import, naming what to fix.
 */
describe('the notifier cold start', () => {
  const load = (environment: Record<string, string>) => importHandler<unknown>(() => import('#functions/notifier.ts'), environment);

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('starts with the default webhook only, as serverless.yml configures it out of the box', async () => {
    const handler = await load({ SLACK_WEBHOOK_PARAMETER: '/euc-autopilot/test/slack-webhook-url', SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY: '{}' });
    expect(handler).toBeTypeOf('function');
  });

  it('fails when a per-severity route names something that is not a severity', async () => {
    await expect(
      load({ SLACK_WEBHOOK_PARAMETER: '/euc-autopilot/test/slack-webhook-url', SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY: '{"urgent":"/euc-autopilot/test/slack-webhook-url-urgent"}' }),
    ).rejects.toThrow(/SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY is invalid \("urgent" is not a severity .*custom\.slackWebhookParametersBySeverity/);
  });

  it('fails when the per-severity routes are not set at all', async () => {
    await expect(load({ SLACK_WEBHOOK_PARAMETER: '/euc-autopilot/test/slack-webhook-url' })).rejects.toThrow(
      'Environment variable SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY is not set',
    );
  });
});
