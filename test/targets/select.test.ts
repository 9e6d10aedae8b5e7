import { describe, expect, it } from 'vitest';
import { backoffDelay } from '#lib/aws/backoff.ts';
import { globToRegExp, matchesSelector } from '#lib/targets/index.ts';

describe('target selectors', () => {
  it.each([
    ['berlin_*', 'berlin_sales', true],
    ['berlin_*', 'berlin_', true],
    ['berlin_*', 'xberlin_sales', false],
    ['*-apps', 'berlin-office-apps', true],
    ['pool-?', 'pool-1', true],
    ['pool-?', 'pool-12', false],
    ['a.b', 'axb', false],
    ['(x)+[y]', '(x)+[y]', true],
    ['Berlin*', 'berlin_sales', false],
  ])('glob %s on %s → %s', (pattern, name, expected) => {
    expect(globToRegExp(pattern).test(name)).toBe(expected);
  });

  it('matches only targets of the selector kind', () => {
    const fleet = { kind: 'fleet', id: 'shared-name', name: 'shared-name' } as const;
    expect(matchesSelector(fleet, { kind: 'fleet', id: 'shared-name' })).toBe(true);
    expect(matchesSelector(fleet, { kind: 'pool', id: 'shared-name' })).toBe(false);
  });

  it('matches tags only when every listed tag has exactly that value', () => {
    const pool = { kind: 'pool', id: 'wspool-x', name: 'x', tags: { office: 'berlin', team: 'sales' } } as const;
    expect(matchesSelector(pool, { kind: 'pool', tags: { office: 'berlin' } })).toBe(true);
    expect(matchesSelector(pool, { kind: 'pool', tags: { office: 'berlin', team: 'support' } })).toBe(false);
    expect(matchesSelector(pool, { kind: 'pool', tags: { region: 'eu' } })).toBe(false);
  });

  it('refuses to judge a tag selector on a target whose tags were not fetched', () => {
    expect(() => matchesSelector({ kind: 'pool', id: 'wspool-x', name: 'x' }, { kind: 'pool', tags: { a: 'b' } })).toThrow(/not fetched/);
  });
});

describe('retry backoff', () => {
  it('grows exponentially from the base, capped, with full jitter', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, 200, 5_000, top))).toEqual([199, 399, 799, 1599, 3199, 4999, 4999]);
    expect(backoffDelay(3, 200, 5_000, () => 0)).toBe(0);
  });
});
