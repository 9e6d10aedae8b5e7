import { CommanderError, type Command } from 'commander';
import { compilePolicyFile, writeCompiledPolicyFile } from '#lib/policy/compile.ts';
import { loadPolicyFile, PolicyFileError } from '#lib/policy/load.ts';
import type { PolicyFile } from '#lib/policy/schema.ts';
import { policyWarnings } from '#lib/policy/warnings.ts';

/** Where the policy file lives unless told otherwise (relative to the working directory). */
export const DEFAULT_POLICY_FILE = 'config/policies.yml';

/**
 * `autopilot validate [FILE] [--compile OUT]`: checks a policy file. Valid: one summary line on
 * stdout, exit 0, and on stderr a `<file>: warning: <path>: <message>` line for each thing the
 * file probably did not mean (lib/policy/warnings.ts); with `--compile`, also writes the validated
 * file as the JSON the Lambda functions read (lib/policy/compiled.ts) and says so on a second
 * line. Not valid: one line per mistake on stderr (`<file>: <path>: <message>`), exit 1, nothing
 * written. `serverless package` runs it with `--compile` (plugins/validate-policies.cjs).
 */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check a policy file and name the path of each mistake with how to fix it')
    .argument('[file]', 'policy file (YAML)', DEFAULT_POLICY_FILE)
    .option('--compile <out>', 'also write the validated file, defaults filled in, as the JSON the Lambda functions read')
    .action((file: string, options: { compile?: string }) => {
      const compiled = reportMistakes(file, () => compilePolicyFile(file));
      const policies = compiled.file;
      // Valid, but probably not what was meant: said on stderr, the exit code stays 0.
      for (const warning of policyWarnings(policies)) process.stderr.write(`${file}: warning: ${warning.path}: ${warning.message}\n`);
      process.stdout.write(`${summary(file, policies)}\n`);
      if (options.compile !== undefined) {
        writeCompiledPolicyFile(options.compile, compiled);
        process.stdout.write(`compiled to ${options.compile} (sha256 of ${file}: ${compiled.sha256})\n`);
      }
    });
}

/**
 * The policy file, or its mistakes on stderr (one line each, `<file>: <path>: <message>`, then
 * the count) and exit 1 — how every command that reads a policy file reports a bad one.
 */
export function loadOrReport(file: string): PolicyFile {
  return reportMistakes(file, () => loadPolicyFile(file));
}

function reportMistakes<T>(file: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof PolicyFileError)) throw error;
    const count = error.issues.length;
    process.stderr.write(`${error.lines().join('\n')}\n${file}: ${count === 1 ? '1 mistake' : `${count} mistakes`}\n`);
    // Already reported: main() turns this into the exit code without printing more.
    throw new CommanderError(1, 'autopilot.invalidPolicyFile', `${file} is not a valid policy file`);
  }
}

function summary(file: string, policies: PolicyFile): string {
  const selectors = policies.policies.reduce((n, policy) => n + policy.targets.length, 0);
  const windows = policies.policies.reduce((n, policy) => n + policy.windows.length, 0);
  const calendars = Object.keys(policies.calendars).length;
  return (
    `${file} is valid: ${count(policies.policies.length, 'policy', 'policies')}, ` +
    `${count(selectors, 'target selector')}, ${count(windows, 'window')}, ${count(calendars, 'calendar')}`
  );
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
