import type { Policy, PolicyFile } from '#lib/policy/schema.ts';
import { matchesSelector } from '#lib/targets/select.ts';
import type { TargetKind } from './trace.ts';

/**
 * Which policy of each policy file a trace's target runs under (pure), as the tick picks it: the
 * first policy in file order with a selector that matches. Offline only part of that can be
 * known: `id` selectors match the pool id or fleet name, and `namePattern` a fleet's name (a
 * fleet's name is its id); a pool's name and every target's tags are not in a trace, so `tags`
 * selectors and pool name patterns match nothing here. `forced` (`--target-policy
 * pool/x=<policy name>`) names the policy for a target outright, in every file.
 */
export interface PolicySet {
  /** How reports name this file's scenario: the file name without its extension, or the path when two share it. */
  label: string;
  path: string;
  file: PolicyFile;
}

export interface TraceTarget {
  target: string;
  kind: TargetKind;
  id: string;
}

export interface Assignment {
  target: TraceTarget;
  /** One policy per policy set, in the sets' order. */
  policies: Policy[];
}

export class BacktestInputError extends Error {
  override readonly name = 'BacktestInputError';
}

export function assignPolicies(
  targets: readonly TraceTarget[],
  sets: readonly PolicySet[],
  forced: Readonly<Record<string, string>> = {},
): { assignments: Assignment[]; warnings: string[] } {
  const known = new Set(targets.map((target) => target.target));
  for (const target of Object.keys(forced)) {
    if (!known.has(target)) throw new BacktestInputError(`--target-policy ${target}=${forced[target]}: the trace has no ${target}`);
  }
  const assignments: Assignment[] = [];
  const warnings: string[] = [];
  for (const target of targets) {
    const policies: Policy[] = [];
    for (const set of sets) {
      const name = forced[target.target];
      if (name !== undefined) {
        const policy = set.file.policies.find((candidate) => candidate.name === name);
        if (!policy) throw new BacktestInputError(`--target-policy ${target.target}=${name}: ${set.path} has no policy named "${name}"`);
        policies.push(policy);
        continue;
      }
      const policy = set.file.policies.find((candidate) => candidate.targets.some((selector) => matchesOffline(target, selector)));
      if (!policy) {
        warnings.push(
          `${target.target} left out: no policy in ${set.path} selects it by id${target.kind === 'fleet' ? ' or name pattern' : ''} ` +
            `(tags${target.kind === 'pool' ? ' and pool names' : ''} are not in a trace); --target-policy ${target.target}=<policy name> names one`,
        );
        break;
      }
      policies.push(policy);
    }
    if (policies.length === sets.length) assignments.push({ target, policies });
  }
  return { assignments, warnings };
}

function matchesOffline(target: TraceTarget, selector: Policy['targets'][number]): boolean {
  if ('tags' in selector) return false;
  if ('namePattern' in selector && target.kind === 'pool') return false;
  return matchesSelector({ kind: target.kind, id: target.id, name: target.id }, selector);
}

/** Labels for policy files: their names without extension, or their paths where two names clash. */
export function labelsOf(paths: readonly string[]): string[] {
  const base = paths.map((path) => (path.split(/[\\/]/).at(-1) ?? path).replace(/\.(ya?ml|json)$/i, ''));
  return base.map((label, index) => (base.filter((other) => other === label).length > 1 ? paths[index]! : label));
}
