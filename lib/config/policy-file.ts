import path from 'node:path';
import { readCompiledPolicyFile } from '#lib/policy/compiled.ts';
// In the Lambda bundles this is lib/policy/load-in-bundle.ts (serverless.yml, custom.esbuild.alias):
// the YAML parser and the zod schema stay out of their cold start.
import { loadPolicyFile } from '#lib/policy/load.ts';
import type { PolicyFile } from '#lib/policy/schema.ts';
import { requireEnv } from './env.ts';

/**
 * The policy file a handler runs by (POLICY_FILE), read at cold start. In Lambda it is the
 * validated JSON `serverless package` compiled from custom.policyFile (lib/policy/compiled.ts),
 * beside the bundle (LAMBDA_TASK_ROOT); the local cloud compiles it too, at start. A `.json`
 * POLICY_FILE must be such a compiled file; any other is YAML, read and validated here — for the
 * handler tests, from the sources only. `serverless invoke local` needs an absolute POLICY_FILE
 * (-e), as its LAMBDA_TASK_ROOT (/var/task) holds nothing.
 */
export function policyFileFromEnv(): PolicyFile {
  const file = path.resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), requireEnv('POLICY_FILE'));
  return path.extname(file) === '.json' ? readCompiledPolicyFile(file) : loadPolicyFile(file);
}
