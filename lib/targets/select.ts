import type { TargetSelector } from '#lib/policy/schema.ts';
import type { TargetKind } from './types.ts';

/**
 * Which pools and fleets a policy's selectors pick (pure): `id` is the pool id or the fleet name,
 * `namePattern` a glob on the name (`*` any run of characters, `?` one; case-sensitive, whole
 * name), `tags` every listed tag with exactly that value.
 */
export interface Candidate {
  kind: TargetKind;
  id: string;
  name: string;
  tags?: Readonly<Record<string, string>>;
}

export function matchesSelector(candidate: Candidate, selector: TargetSelector): boolean {
  if (candidate.kind !== selector.kind) return false;
  if ('id' in selector) return candidate.id === selector.id;
  if ('namePattern' in selector) return globToRegExp(selector.namePattern).test(candidate.name);
  const tags = candidate.tags;
  if (!tags) throw new Error(`Tags of ${candidate.kind} ${candidate.id} were not fetched, but a tag selector needs them`);
  return Object.entries(selector.tags).every(([key, value]) => tags[key] === value);
}

/** Indices of the selectors a candidate matches. */
export function matchingSelectors(candidate: Candidate, selectors: readonly TargetSelector[]): number[] {
  return selectors.flatMap((selector, index) => (matchesSelector(candidate, selector) ? [index] : []));
}

export function globToRegExp(pattern: string): RegExp {
  const source = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'su');
}

export function needsTags(selectors: readonly TargetSelector[], kind: TargetKind): boolean {
  return selectors.some((selector) => selector.kind === kind && 'tags' in selector);
}
