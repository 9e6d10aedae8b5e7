import { describe, expect, it } from 'vitest';
import { mapConcurrently } from '#lib/aws/concurrency.ts';

/** The bounded concurrency the tick's calls run with (lib/aws/concurrency.ts). */
describe('mapConcurrently', () => {
  /** Work that resolves on a later turn, noting how many calls were in flight at most. */
  function tracked() {
    let inFlight = 0;
    const seen = { most: 0, started: [] as number[] };
    const work = async (item: number) => {
      seen.started.push(item);
      inFlight += 1;
      seen.most = Math.max(seen.most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      if (item < 0) throw new Error(`item ${item} failed`);
      return item * 10;
    };
    return { seen, work };
  }

  it('answers the results in the order of the items, never more than the limit in flight', async () => {
    const { seen, work } = tracked();
    expect(await mapConcurrently([1, 2, 3, 4, 5, 6, 7], 3, work)).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(seen.most).toBe(3);
  });

  it('starts no further item once one failed, and rejects with its error', async () => {
    const { seen, work } = tracked();
    await expect(mapConcurrently([1, -2, 3, 4, 5, 6], 2, work)).rejects.toThrow('item -2 failed');
    expect(seen.started).toEqual([1, -2, 3]);
  });

  it('refuses a limit that is not a whole number of at least 1', async () => {
    await expect(mapConcurrently([1], 0, async (item) => item)).rejects.toThrow(RangeError);
  });
});
