/** Times as the local cloud reads and writes them: epoch milliseconds inside, ISO 8601 outside. */

/** An ISO 8601 time with whole seconds, as EventBridge and CloudTrail write it: `2026-11-23T06:05:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An ISO 8601 time as epoch ms; anything else throws a RangeError naming `field`. */
export function parseIsoTime(value: unknown, field: string): number {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) throw new RangeError(`${field} must be an ISO 8601 time, got ${JSON.stringify(value)}`);
  return at;
}
