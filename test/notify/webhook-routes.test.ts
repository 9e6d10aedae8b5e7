import { describe, expect, it } from 'vitest';
import { routeFor, webhookRoutesFromEnv, WebhookRoutesError } from '#lib/notify/webhook-routes.ts';

const DEFAULT = '/euc-autopilot/prod/slack-webhook-url';
const CRITICAL = '/euc-autopilot/prod/slack-webhook-url-critical';

function env(bySeverity: string | undefined, defaultParameter: string | null = DEFAULT): NodeJS.ProcessEnv {
  return { SLACK_WEBHOOK_PARAMETER: defaultParameter ?? undefined, SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY: bySeverity };
}

describe('routing notices to webhooks by severity', () => {
  it('sends every severity to the default webhook when no severity has its own', () => {
    const routes = webhookRoutesFromEnv(env('{}'));
    for (const severity of ['info', 'warning', 'critical'] as const) {
      expect(routeFor(routes, severity)).toEqual({ parameter: DEFAULT, source: 'SLACK_WEBHOOK_PARAMETER' });
    }
  });

  it('sends a severity with a route of its own there, and the others to the default', () => {
    const routes = webhookRoutesFromEnv(env(JSON.stringify({ critical: CRITICAL })));
    expect(routeFor(routes, 'critical')).toEqual({ parameter: CRITICAL, source: 'SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY.critical' });
    expect(routeFor(routes, 'warning').parameter).toBe(DEFAULT);
    expect(routeFor(routes, 'info').parameter).toBe(DEFAULT);
  });

  it.each([
    ['a severity that does not exist', '{"fatal":"/euc-autopilot/prod/x"}', '"fatal" is not a severity (info, warning, critical)'],
    ['a parameter name without the leading slash', '{"critical":"euc-autopilot/prod/x"}', 'critical: must be an SSM parameter name starting with "/"'],
    ['a parameter name that is not a string', '{"info":5}', 'info: '],
    ['a list instead of an object', '["/a"]', 'it must be a JSON object'],
    ['text that is not JSON', "{critical: '/a'}", 'is not JSON'],
    ['nothing at all', undefined, 'is not set'],
  ])('fails the cold start on %s, naming the variable and the fix', (_case, value, problem) => {
    const start = () => webhookRoutesFromEnv(env(value));
    expect(start).toThrow(WebhookRoutesError);
    expect(start).toThrow(problem);
    expect(start).toThrow(/^Environment variable SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY .*custom\.slackWebhookParametersBySeverity in serverless\.yml/);
  });

  it('fails the cold start when the default route is missing or not a parameter name', () => {
    expect(() => webhookRoutesFromEnv(env('{}', null))).toThrow(/^Environment variable SLACK_WEBHOOK_PARAMETER is not set/);
    expect(() => webhookRoutesFromEnv(env('{}', 'https://hooks.slack.com/services/T/B/x'))).toThrow(
      /^Environment variable SLACK_WEBHOOK_PARAMETER must be an SSM parameter name starting with "\/"/,
    );
  });
});
