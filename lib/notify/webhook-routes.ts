import { z } from 'zod';
import { severities, type Severity } from '#lib/events/operator-notice.ts';

/**
 * Which Slack webhook a notice goes to. Each webhook URL is a secret kept in an SSM SecureString;
 * the notifier's environment names the parameters, never the URLs:
 *
 * - `SLACK_WEBHOOK_PARAMETER` — the default route, e.g. `/euc-autopilot/prod/slack-webhook-url`;
 * - `SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY` — a JSON object from severity to parameter name, e.g.
 *   `{"critical":"/euc-autopilot/prod/slack-webhook-url-critical"}`; a severity it leaves out
 *   (all of them with `{}`) goes to the default route. serverless.yml builds it from
 *   `custom.slackWebhookParametersBySeverity`.
 *
 * Both are read once, at cold start; a missing or malformed value fails it with the variable's
 * name and the fix.
 */
export const DEFAULT_ROUTE_VARIABLE = 'SLACK_WEBHOOK_PARAMETER';
export const ROUTES_BY_SEVERITY_VARIABLE = 'SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY';

export class WebhookRoutesError extends Error {
  override readonly name = 'WebhookRoutesError';
}

/** An SSM parameter name as the notifier's IAM grant names them: a full path. */
const parameterName = z
  .string()
  .regex(/^\/[a-zA-Z0-9_.\-/]{1,2047}$/, 'must be an SSM parameter name starting with "/" (letters, digits, _ . - /)');

export const routesBySeveritySchema = z.partialRecord(z.enum(severities), parameterName);

export interface WebhookRoute {
  /** The SSM parameter holding the webhook URL. */
  parameter: string;
  /** Where that name came from, for messages: `SLACK_WEBHOOK_PARAMETER` or `SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY.critical`. */
  source: string;
}

export interface WebhookRoutes {
  default: string;
  bySeverity: Partial<Record<Severity, string>>;
}

/** The routes from the notifier's environment; throws `WebhookRoutesError` naming the variable and the fix. */
export function webhookRoutesFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookRoutes {
  const defaultParameter = env[DEFAULT_ROUTE_VARIABLE]?.trim() ?? '';
  const fallbackFix = `set it in serverless.yml (functions.notifier.environment, from custom.slackWebhookParameter)`;
  if (defaultParameter === '') {
    throw new WebhookRoutesError(`Environment variable ${DEFAULT_ROUTE_VARIABLE} is not set; ${fallbackFix}.`);
  }
  const checked = parameterName.safeParse(defaultParameter);
  if (!checked.success) {
    throw new WebhookRoutesError(
      `Environment variable ${DEFAULT_ROUTE_VARIABLE} ${checked.error.issues[0]?.message ?? 'is invalid'}, got ${JSON.stringify(defaultParameter)}; ${fallbackFix}.`,
    );
  }
  return { default: defaultParameter, bySeverity: routesBySeverity(env[ROUTES_BY_SEVERITY_VARIABLE]) };
}

const EXAMPLE = '{"critical":"/euc-autopilot/<stage>/slack-webhook-url-critical"}';
const FIX = `set custom.slackWebhookParametersBySeverity in serverless.yml (param slackWebhookParametersBySeverity) to a JSON object from severity (info, warning, critical) to SSM parameter name, such as ${EXAMPLE}, or to {} to send every severity to ${DEFAULT_ROUTE_VARIABLE}`;

function routesBySeverity(raw: string | undefined): Partial<Record<Severity, string>> {
  if (raw === undefined || raw.trim() === '') {
    throw new WebhookRoutesError(`Environment variable ${ROUTES_BY_SEVERITY_VARIABLE} is not set; ${FIX}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new WebhookRoutesError(`Environment variable ${ROUTES_BY_SEVERITY_VARIABLE} is not JSON; ${FIX}.`);
  }
  const parsed = routesBySeveritySchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(describeIssue).join('; ');
    throw new WebhookRoutesError(`Environment variable ${ROUTES_BY_SEVERITY_VARIABLE} is invalid (${problems}); ${FIX}.`);
  }
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys' || issue.code === 'invalid_key') {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : issue.path.slice(-1).map(String);
    return `${keys.map((key) => JSON.stringify(key)).join(', ')} ${keys.length === 1 ? 'is not a severity' : 'are not severities'} (info, warning, critical)`;
  }
  if (issue.path.length === 0) return 'it must be a JSON object';
  return `${issue.path.join('.')}: ${issue.message}`;
}

/** The webhook a severity goes to: its own route when it has one, else the default. */
export function routeFor(routes: WebhookRoutes, severity: Severity): WebhookRoute {
  const own = routes.bySeverity[severity];
  return own === undefined
    ? { parameter: routes.default, source: DEFAULT_ROUTE_VARIABLE }
    : { parameter: own, source: `${ROUTES_BY_SEVERITY_VARIABLE}.${severity}` };
}
