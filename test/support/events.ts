import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EVENTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../events');

/**
 * A sample event from `events/` (the same files `serverless invoke local -p` uses), as a fresh
 * copy a test may change freely.
 */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return structuredClone(JSON.parse(readFileSync(path.join(EVENTS_DIR, `${name}.json`), 'utf8')) as T);
}
