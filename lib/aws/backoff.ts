/** Full-jitter exponential backoff (the AWS Architecture Blog's recommendation), in ms: attempt 1 waits up to `baseDelayMs`, each next one up to twice as long, capped at `maxDelayMs`. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
