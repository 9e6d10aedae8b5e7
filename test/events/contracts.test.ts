import { describe, expect, it } from 'vitest';
import { operatorNotice } from '#lib/events/operator-notice.ts';
import { loadServerlessConfig } from '#local/serverless/config.ts';
import { loadEvent } from '#test/support/events.ts';

/** serverless.yml repeats each subscriber's pattern in YAML; these tests hold it to the contract. */
describe('domain event contracts', () => {
  const config = loadServerlessConfig('serverless.yml', { stage: 'dev', region: 'us-east-1', accountId: '123456789012' });

  it("routes Operator Notices to the notifier with exactly the contract's pattern, on the euc-autopilot bus", () => {
    const rules = config.rules.filter((rule) => rule.target.type === 'function' && rule.target.name === 'euc-autopilot-dev-notifier');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ bus: 'euc-autopilot-dev', pattern: operatorNotice.pattern });
  });

  it('accepts the sample notice and refuses one of another event version, naming the field', () => {
    const { detail } = loadEvent<{ detail: { metadata: { eventVersion: number } } }>('eventbridge/operator-notice');
    expect(operatorNotice.detailSchema.safeParse(detail).success).toBe(true);
    detail.metadata.eventVersion = 2;
    const parsed = operatorNotice.detailSchema.safeParse(detail);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['metadata', 'eventVersion']);
  });
});
