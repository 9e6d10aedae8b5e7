import { describe, expect, it } from 'vitest';
import { assignPolicies, BacktestInputError, labelsOf } from '#lib/backtest/policies.ts';
import { DEFAULT_PRICES, parsePriceEntry, PriceError, priceOf, withPrices } from '#lib/backtest/prices.ts';
import { policy, policySet } from './support.ts';

describe('matching trace targets to policies offline', () => {
  const pool = { target: 'pool/wspool-a', kind: 'pool' as const, id: 'wspool-a' };
  const fleet = { target: 'fleet/berlin-apps', kind: 'fleet' as const, id: 'berlin-apps' };

  it('takes the first policy in file order with a matching id or fleet name pattern', () => {
    const set = policySet([
      policy({ name: 'tags', targets: [{ kind: 'fleet', tags: { office: 'berlin' } }] }),
      policy({ name: 'pattern', targets: [{ kind: 'fleet', namePattern: 'berlin-*' }] }),
      policy({ name: 'id', targets: [{ kind: 'pool', id: 'wspool-a' }, { kind: 'fleet', id: 'berlin-apps' }] }),
    ]);

    const { assignments, warnings } = assignPolicies([pool, fleet], [set]);

    expect(assignments.map(({ target, policies }) => [target.target, policies.map((entry) => entry.name)])).toEqual([
      ['pool/wspool-a', ['id']],
      ['fleet/berlin-apps', ['pattern']],
    ]);
    expect(warnings).toEqual([]);
  });

  it('cannot match a pool by name pattern (a trace has pool ids, not names)', () => {
    const set = policySet([policy({ name: 'pattern', targets: [{ kind: 'pool', namePattern: '*' }] })]);

    const { assignments, warnings } = assignPolicies([pool], [set]);

    expect(assignments).toEqual([]);
    expect(warnings[0]).toBe(
      'pool/wspool-a left out: no policy in policies.yml selects it by id (tags and pool names are not in a trace); --target-policy pool/wspool-a=<policy name> names one',
    );
  });

  it('runs a forced target under the named policy of every file, and refuses names that are not there', () => {
    const first = policySet([policy({ name: 'a' }), policy({ name: 'b' })], 'first');
    const second = policySet([policy({ name: 'b' })], 'second');

    const { assignments } = assignPolicies([pool], [first, second], { 'pool/wspool-a': 'b' });

    expect(assignments[0]!.policies.map((entry) => entry.name)).toEqual(['b', 'b']);
    expect(() => assignPolicies([pool], [first, second], { 'pool/wspool-a': 'a' })).toThrow(
      new BacktestInputError('--target-policy pool/wspool-a=a: second.yml has no policy named "a"'),
    );
    expect(() => assignPolicies([pool], [first], { 'pool/elsewhere': 'a' })).toThrow('the trace has no pool/elsewhere');
  });

  it('labels policy files by name, and by path where two names clash', () => {
    expect(labelsOf(['config/policies.yml', 'candidate.yaml'])).toEqual(['policies', 'candidate']);
    expect(labelsOf(['a/policies.yml', 'b/policies.yml'])).toEqual(['a/policies.yml', 'b/policies.yml']);
  });
});

describe('prices', () => {
  it('starts from placeholders and takes kind and target prices', () => {
    const prices = withPrices(DEFAULT_PRICES, { ...parsePriceEntry('pool=0.30'), 'fleet/gpu': 2.1 }, '--price');

    expect(prices.placeholders).toEqual(['fleet']);
    expect(priceOf(prices, 'pool/wspool-a', 'pool')).toBe(0.3);
    expect(priceOf(prices, 'fleet/gpu', 'fleet')).toBe(2.1);
    expect(priceOf(prices, 'fleet/other', 'fleet')).toBe(DEFAULT_PRICES.fleet);
    expect(DEFAULT_PRICES.placeholders).toEqual(['pool', 'fleet']);
  });

  it('refuses unknown keys, negative prices and entries without a value', () => {
    expect(() => withPrices(DEFAULT_PRICES, { gpu: 1 }, 'prices.yml')).toThrow(PriceError);
    expect(() => withPrices(DEFAULT_PRICES, { pool: '-1' }, '--price pool=-1')).toThrow('the price of pool must be a number ≥ 0 (per hour), not "-1"');
    expect(() => parsePriceEntry('pool')).toThrow('expected KEY=PRICE');
  });
});
