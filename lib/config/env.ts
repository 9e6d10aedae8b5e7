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
