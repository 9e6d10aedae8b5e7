import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compilePolicyFile, writeCompiledPolicyFile } from '#lib/policy/compile.ts';
import type { FunctionConfig, ServiceConfig } from '../serverless/config.ts';

/**
 * The policy file as the functions get it in AWS. There `serverless package` validates
 * custom.policyFile and writes it compiled to custom.compiledPolicyFile, which their POLICY_FILE
 * names (plugins/validate-policies.cjs). The local cloud does the same at start, into a folder of
 * its own rather than the project's (clouds and packages may run side by side, and a file left by
 * an earlier package may be stale), and points those functions' POLICY_FILE at it: they run the
 * code path they run in AWS (lib/config/policy-file.ts). A policy file with a mistake fails the
 * start with each mistake. A serverless.yml without both settings (the test fixture) is left as
 * it is.
 */
export interface CompiledPolicies {
  functions: FunctionConfig[];
  /** Removes the compiled file's folder (the cloud has stopped). */
  remove(): void;
}

export function compilePolicyFileFor(config: ServiceConfig): CompiledPolicies {
  const { policyFile, compiledPolicyFile } = config.custom;
  const readers = config.functions.filter((fn) => fn.environment.POLICY_FILE === compiledPolicyFile);
  if (typeof policyFile !== 'string' || typeof compiledPolicyFile !== 'string' || readers.length === 0) {
    return { functions: config.functions, remove: () => undefined };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'euc-autopilot-policies-'));
  try {
    const out = path.join(dir, path.basename(compiledPolicyFile));
    writeCompiledPolicyFile(out, compilePolicyFile(path.resolve(config.dir, policyFile)));
    const functions = config.functions.map((fn) =>
      readers.includes(fn) ? { ...fn, environment: { ...fn.environment, POLICY_FILE: out } } : fn,
    );
    return { functions, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
