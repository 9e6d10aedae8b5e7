/**
 * Environment access in one place. Handlers read their settings once, at cold start, through
 * `requireEnv`; a missing setting fails the cold start with the name to set rather than running
 * with a placeholder.
 */
export class MissingEnvironmentError extends Error {
  override readonly name = 'MissingEnvironmentError';
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new MissingEnvironmentError(`Environment variable ${name} is not set; set it in serverless.yml (provider or function environment).`);
  }
  return value;
}

/** A setting present but unusable; the message names it and says what it takes. */
export class InvalidEnvironmentError extends Error {
  override readonly name = 'InvalidEnvironmentError';
}

/**
 * A wait scale (`SLACK_WAIT_SCALE`, `AWS_RETRY_WAIT_SCALE`): the share of each wall-clock wait a
 * handler really waits, from 0 to 1 (default 1: real waits, as in AWS). The local stage sets 0
 * (serverless.yml `params.local`): its clock stands still while a handler runs, so a wall-clock
 * wait would only slow a simulated day or a test.
 */
export function waitScale(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 0 || scale > 1) {
    throw new InvalidEnvironmentError(`${name} must be a number from 0 (no waiting: the local cloud) to 1 (real waits: AWS), got ${JSON.stringify(env[name])}.`);
  }
  return scale;
}
