import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { useAutopilotCli } from '#test/support/cli.ts';
import { policyCorpus, policyWarningCorpus, type PolicyCase } from './corpus.ts';

/**
 * The bad policy corpus (test/fixtures/bad-input/policies/): every file through `autopilot
 * validate` as an operator runs it, and a sample through the serverless plugin that guards
 * `serverless package` (it runs the same command in a child process, about 3 s each, so not all
 * 36: the command itself is what the whole corpus checks).
 */
const corpus = policyCorpus();

/** `<file>: <path>: <message>` for each expected mistake, as `validate` starts its line. */
const expectedStarts = ({ file, expect }: PolicyCase) => expect.map((mistake) => `${file}: ${mistake}`);

describe('autopilot validate on the bad policy corpus', () => {
  const autopilot = useAutopilotCli();

  it.each(corpus)('$name: names each mistake with its path, and nothing else', async (entry) => {
    // Act
    const { code, stdout, stderr } = await autopilot(['validate', entry.file]);

    // Assess
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    const lines = stderr.trimEnd().split('\n');
    const count = entry.expect.length;
    // One line per mistake and the count: no stack trace, no warning, no mistake unaccounted for.
    expect(lines.at(-1)).toBe(`${entry.file}: ${count === 1 ? '1 mistake' : `${count} mistakes`}`);
    const mistakes = lines.slice(0, -1);
    expect(mistakes).toHaveLength(count);
    for (const [index, start] of expectedStarts(entry).entries()) expect(mistakes[index]?.startsWith(start), `${mistakes[index]} starts with ${start}`).toBe(true);
    // Where the document has the node, the line:column too.
    for (const line of mistakes.filter((mistake) => !/^[^:]+: (\(top level\)|line \d+:\d+):/.test(mistake))) expect(line).toMatch(/ \(line \d+:\d+\)$/);
  });
});

describe('autopilot validate on valid files it warns about', () => {
  const autopilot = useAutopilotCli();

  it.each(policyWarningCorpus())('$name: passes, and says what the file probably did not mean', async (entry) => {
    // Act
    const { code, stdout, stderr } = await autopilot(['validate', entry.file]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${entry.file.replaceAll('.', '\\.')} is valid: `));
    const warnings = stderr.trimEnd().split('\n');
    expect(warnings).toHaveLength(entry.expect.length);
    for (const [index, warning] of entry.expect.entries()) expect(warnings[index]?.startsWith(`${entry.file}: warning: ${warning}`), warnings[index]).toBe(true);
  });
});

/** What the plugin's `before:package:initialize` hook throws for `file` (undefined if nothing). */
function packagingError(file: string): unknown {
  const load = createRequire(import.meta.url);
  const Plugin = load('../../plugins/validate-policies.cjs') as new (...args: unknown[]) => { hooks: Record<string, () => void> };
  const plugin = new Plugin({ serviceDir: PROJECT_ROOT, service: { custom: { policyFile: file } }, classes: { Error: PackagingError } }, {}, {});
  try {
    plugin.hooks['before:package:initialize']?.();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Stands in for Serverless's own error class, which the plugin takes from `serverless.classes`. */
class PackagingError extends Error {}

describe('the serverless plugin on the bad policy corpus', () => {
  it.each(corpus.filter((entry) => ['alias-bomb', 'out-of-range-numbers'].includes(entry.name)))('$name: fails the build with the file and each path', (entry) => {
    // Act
    const thrown = packagingError(entry.file);

    // Assess
    expect(thrown).toBeInstanceOf(PackagingError);
    const message = (thrown as Error).message;
    expect(message).toContain(`The policy file ${entry.file} is not valid; fix it before packaging:`);
    for (const start of expectedStarts(entry)) expect(message).toContain(start);
  });
});
