import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parsePolicyFile, PolicyFileError } from '#lib/policy/load.ts';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { mutate, mutationOf } from './mutations.ts';

/**
 * Fuzzing the policy validator (lib/policy/load.ts on lib/policy/schema.ts): whatever text it is
 * given, it returns a policy file or throws a PolicyFileError — never anything else — and every
 * mistake it names has a message, a path in the form `policies[0].windows[1].start` and, unless
 * the file could not be read as YAML at all, the line of the node. Fixed seed, a few hundred
 * runs each.
 */
const SEED = 20261123;
const RUNS = 200;
const FILE = 'fuzz.yml';
/** `formatPath`'s form: members joined by dots, list indexes and odd keys in brackets. */
const KEY = String.raw`(?:[A-Za-z_$][\w$-]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])`;
const PATH_FORM = new RegExp(String.raw`^${KEY}(?:\.[A-Za-z_$][\w$-]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])*$`);

const example = readFileSync(path.join(PROJECT_ROOT, 'config/policies.yml'), 'utf8');
/** config/policies.yml as the YAML reads it (the loader's own result has the defaults filled in). */
const exampleData: unknown = parse(example);

/** Valid, or refused with well-formed mistakes; anything thrown but a PolicyFileError fails. */
function assertValidated(text: string): 'valid' | 'refused' {
  try {
    parsePolicyFile(text, FILE);
    return 'valid';
  } catch (error) {
    if (!(error instanceof PolicyFileError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(issue.message).toMatch(/\S/);
      if (issue.syntax) {
        expect(issue.line).toBeGreaterThan(0);
      } else if (issue.path !== '') {
        expect(issue.path).toMatch(PATH_FORM);
        expect(issue.line, `${issue.path}: ${issue.message}`).toBeGreaterThan(0);
      }
    }
    for (const line of error.lines()) expect(line.startsWith(`${FILE}: `)).toBe(true);
    return 'refused';
  }
}

describe('the policy validator, fuzzed', () => {
  it('answers arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        assertValidated(text);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('answers arbitrary YAML documents', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        assertValidated(stringify(value));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('answers config/policies.yml with one place deleted, replaced, renamed, inflated or retyped', () => {
    const mutated = mutationOf(exampleData, 300).map(({ path, mutation }) => stringify(mutate(exampleData, path, mutation)));
    fc.assert(
      fc.property(mutated, (text) => {
        assertValidated(text);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('answers config/policies.yml with its text cut, doubled or overwritten somewhere', () => {
    const edits = fc.record({
      at: fc.nat({ max: example.length }),
      length: fc.nat({ max: 40 }),
      insert: fc.oneof(fc.constantFrom('', '\t', ':', '- ', '{', ']', '&a ', '*a', '"', '\n  ', '<<: '), fc.string({ maxLength: 10 })),
    });
    fc.assert(
      fc.property(edits, ({ at, length, insert }) => {
        assertValidated(example.slice(0, at) + insert + example.slice(at + length));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
