import { formatPath, type PolicyIssue } from './load.ts';
import type { PolicyFile } from './schema.ts';

/**
 * What a valid policy file probably did not mean, for `autopilot validate` to say without
 * refusing the file.
 *
 * Input: a loaded policy file. Output: one issue per finding, with its path. Today one finding:
 * the same pool or fleet named by `id` in two policies. A target several policies select belongs
 * to the first of them (lib/capacity/reconcile.ts) — how overlapping patterns and tags are meant
 * to work — so the later policy never applies to that id. Not refused: a file of alternatives for
 * `autopilot simulate --target-policy` names one target in several policies on purpose. Patterns
 * and tags cannot be matched offline, so only ids are compared.
 */
export function policyWarnings(file: PolicyFile): PolicyIssue[] {
  const owners = new Map<string, number>();
  return file.policies.flatMap((policy, index) =>
    policy.targets.flatMap((selector, at): PolicyIssue[] => {
      if (!('id' in selector)) return [];
      const key = `${selector.kind}/${selector.id}`;
      const owner = owners.get(key) ?? index;
      owners.set(key, owner);
      if (owner === index) return [];
      return [
        {
          path: formatPath(['policies', index, 'targets', at, 'id']),
          message:
            `${selector.kind} ${selector.id} is already selected by policies[${owner}] (${file.policies[owner]?.name}), which it belongs to: ` +
            `"${policy.name}" never applies to it; remove it from one of the two unless the file holds alternatives for \`autopilot simulate --target-policy\``,
        },
      ];
    }),
  );
}
