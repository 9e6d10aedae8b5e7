import { readFileSync } from 'node:fs';
import type { PolicyFile } from './schema.ts';

/**
 * The validated policy file the Lambda functions read: `serverless package` validates the YAML
 * policy file and writes what the loader returned (defaults filled in) as JSON in this envelope
 * (lib/policy/compile.ts, via `autopilot validate --compile`). Reading it takes a JSON.parse: no
 * YAML parser and no zod schema at cold start, which cost the policy-reading functions about
 * 150–200 ms there (docs/BENCHMARKS.md, "Cold start").
 *
 * This module is on the functions' import graph: it must not import a value from ./load.ts or
 * ./schema.ts (types only), or the bundle would carry and run them again.
 */
export const COMPILED_POLICY_FORMAT = 'euc-autopilot-validated-policies/1';

export interface CompiledPolicyFile {
  format: typeof COMPILED_POLICY_FORMAT;
  /** The YAML file it was compiled from, as named to the compiler. */
  source: string;
  /** SHA-256 (hex) of the source's text: which version of the source this is. */
  sha256: string;
  /** The validated PolicyFile, exactly as lib/policy/load.ts returned it. */
  file: PolicyFile;
}

/**
 * The PolicyFile of a compiled policy file. `variable` names where the path came from
 * (POLICY_FILE), so that a file that is missing or not compiled says which setting to fix.
 */
export function readCompiledPolicyFile(file: string, variable = 'POLICY_FILE'): PolicyFile {
  const fix = `write it with \`npx serverless package\` (custom.policyFile → custom.compiledPolicyFile) or \`npx autopilot validate <policies.yml> --compile ${file}\``;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new Error(`${variable} names ${file}, which cannot be read (${reason}); ${fix}`, { cause: error });
  }
  let compiled: Partial<CompiledPolicyFile> | null;
  try {
    compiled = JSON.parse(text) as Partial<CompiledPolicyFile> | null;
  } catch (error) {
    throw new Error(`${variable} names ${file}, which is not JSON (${String(error)}); ${fix}`, { cause: error });
  }
  if (compiled?.format !== COMPILED_POLICY_FORMAT || typeof compiled.file !== 'object' || compiled.file === null) {
    throw new Error(
      `${variable} names ${file}, which is not a validated policy file (it needs "format": "${COMPILED_POLICY_FORMAT}" and the policies under "file"); ${fix}`,
    );
  }
  return compiled.file;
}
