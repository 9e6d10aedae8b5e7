import fc from 'fast-check';

/**
 * Mutations of a valid document (a CloudTrail event, a policy file as data) for the fuzz tests:
 * one place in it — any member or list entry, however deep — deleted, replaced by arbitrary JSON,
 * renamed to PascalCase, inflated, or given another type.
 */
export type Path = Array<string | number>;

export type Mutation =
  | { kind: 'delete' }
  | { kind: 'set'; value: unknown }
  | { kind: 'pascal-case' }
  | { kind: 'inflate'; times: number }
  | { kind: 'retype' };

const MAX_LIST = 1000;

/** Every path into the value, the root excluded, parents before children. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, inner]) => [[...prefix, key], ...pathsOf(inner, [...prefix, key])]);
}

/** `times` is how far `inflate` goes: a string that many characters long, a list that many entries. */
export function mutationArbitrary(maxInflate: number): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.constant<Mutation>({ kind: 'delete' }),
    fc.jsonValue({ maxDepth: 3 }).map<Mutation>((value) => ({ kind: 'set', value })),
    fc.constant<Mutation>({ kind: 'pascal-case' }),
    fc.integer({ min: 2, max: maxInflate }).map<Mutation>((times) => ({ kind: 'inflate', times })),
    fc.constant<Mutation>({ kind: 'retype' }),
  );
}

/** A mutated copy of `document` (which is not changed). */
export function mutate<T>(document: T, path: Path, mutation: Mutation): T {
  const copy = structuredClone(document);
  const parent = path.slice(0, -1).reduce<unknown>((inner, key) => (inner as Record<string | number, unknown>)[key], copy) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  const current = parent[key];
  switch (mutation.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'set':
      parent[key] = mutation.value;
      break;
    case 'pascal-case':
      if (typeof key === 'string' && !Array.isArray(parent)) {
        delete parent[key];
        parent[key.charAt(0).toUpperCase() + key.slice(1)] = current;
      }
      break;
    case 'inflate':
      // Lists stop at MAX_LIST entries: 25 already breaks every limit the parsers have, and
      // cloning a mapping 300 000 times would only slow the run.
      parent[key] =
        typeof current === 'string'
          ? current.padEnd(mutation.times, current || 'x')
          : Array.from({ length: Math.min(mutation.times, MAX_LIST) }, (_, index) => varied(current, index));
      break;
    case 'retype':
      parent[key] = retyped(current);
      break;
  }
  return copy;
}

/** A copy with the index appended to every text in it, so copies of an id are distinct ids. */
function varied(value: unknown, index: number): unknown {
  if (typeof value === 'string') return `${value}${index.toString(36)}`;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => varied(item, index));
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, varied(inner, index)]));
}

/** The same content as another type: a number as text, text as a list of it, a list or mapping as its JSON. */
function retyped(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return [value];
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (value === null) return {};
  return JSON.stringify(value);
}

/** Where in `document` to mutate and how. */
export function mutationOf<T>(document: T, maxInflate: number): fc.Arbitrary<{ path: Path; mutation: Mutation }> {
  const paths = pathsOf(document);
  return fc.record({ path: fc.constantFrom(...paths), mutation: mutationArbitrary(maxInflate) });
}
