import path from 'node:path';
import { loadPolicyFile } from '#lib/policy/load.ts';
import { requireEnv } from './env.ts';

/**
 * The policy file a handler runs by (POLICY_FILE), read and validated at cold start: a bad file
 * fails the first invocation loudly, with the path of each mistake. In Lambda it sits beside the
 * bundle (LAMBDA_TASK_ROOT); `serverless invoke local` needs an absolute POLICY_FILE (-e), as its
 * LAMBDA_TASK_ROOT (/var/task) holds nothing.
 */
export function policyFileFromEnv(): ReturnType<typeof loadPolicyFile> {
  return loadPolicyFile(path.resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), requireEnv('POLICY_FILE')));
}
