/**
 * Runs `work` over `items` with at most `limit` calls in flight, and answers the results in the
 * order of `items`. For AWS calls that need not wait for each other (state reads, claims, tag
 * lookups): a tick's wall time is then about ⌈n ÷ limit⌉ round trips instead of n, while the
 * bound keeps the request rate where the services' throttling (and the SDK's retries) cope.
 * A rejection rejects the whole run, as a for-loop of awaits would: no further item is started,
 * and the calls already in flight finish on their own.
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number ≥ 1, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
