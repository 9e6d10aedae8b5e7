import { AwsError } from './protocol.ts';

/** Exception type of the request checks reused on seed entries; `checkSeed` turns it into a seed error. */
export const SEED_ERROR = 'InvalidSeed';

/**
 * Runs `check` over the seed entry or section at `path` (`workspaces.pools[2]`). Seeds are checked
 * with the request validation, so an AwsError it raises becomes a RangeError that says it is about
 * the seed and names the place in it.
 */
export function checkSeed<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    const message = error.message.replace(/^1 validation error detected: /, '');
    throw new RangeError(`Invalid seed: ${message.includes(path) ? message : `${path}: ${message}`}`, { cause: error });
  }
}
