import { describe, expect, it } from 'vitest';
import { capacityChangeDeferred, capacityChanged, capacityChangeFailed, scalingConflict } from '#lib/events/capacity-events.ts';
import { operatorNotice } from '#lib/events/operator-notice.ts';
import { notifierPattern, notifyingEvents } from '#lib/notify/notifying-events.ts';
import { loadServerlessConfig } from '#local/serverless/config.ts';
import { loadEvent } from '#test/support/events.ts';

type Sample = { 'detail-type': string; detail: { metadata: { eventVersion: number }; data: Record<string, unknown> } };

/** serverless.yml repeats each subscriber's pattern in YAML; these tests hold it to the contracts. */
describe('domain event contracts', () => {
  const config = loadServerlessConfig('serverless.yml', { stage: 'dev', region: 'us-east-1', accountId: '123456789012' });
  const samples = [
    { contract: operatorNotice, sample: 'eventbridge/operator-notice' },
    { contract: capacityChanged, sample: 'eventbridge/capacity-changed' },
    { contract: capacityChangeFailed, sample: 'eventbridge/capacity-change-failed' },
    { contract: capacityChangeDeferred, sample: 'eventbridge/capacity-change-deferred' },
    { contract: scalingConflict, sample: 'eventbridge/scaling-conflict' },
  ];

  it('routes every notifying contract to the notifier with one rule on the euc-autopilot bus', () => {
    const rules = config.rules.filter((rule) => rule.target.type === 'function' && rule.target.name === 'euc-autopilot-dev-notifier');
    expect(rules).toHaveLength(1);
    expect(rules[0]!.bus).toBe('euc-autopilot-dev');
    // Exactly our source and the notifying detail-types, in any order, and nothing else in the pattern.
    const pattern = rules[0]!.pattern as { 'detail-type': string[] };
    expect(pattern).toEqual({ source: notifierPattern.source, 'detail-type': expect.any(Array) });
    expect([...pattern['detail-type']].sort()).toEqual([...notifierPattern['detail-type']].sort());
  });

  it('has a formatter for each contract with a sample, and each sample is of its contract', () => {
    for (const { contract, sample } of samples) {
      const event = loadEvent<Sample>(sample);
      expect(event['detail-type']).toBe(contract.detailType);
      expect(notifyingEvents.map((notifying) => notifying.detailType)).toContain(contract.detailType);
      expect(contract.detailSchema.safeParse(event.detail).error).toBeUndefined();
    }
  });

  it.each(samples)('$contract.detailType refuses another event version, naming the field', ({ contract, sample }) => {
    const { detail } = loadEvent<Sample>(sample);
    detail.metadata.eventVersion = 2;
    const parsed = contract.detailSchema.safeParse(detail);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['metadata', 'eventVersion']);
  });

  it('refuses a capacity event whose target is not the kind it claims', () => {
    const { detail } = loadEvent<Sample>('eventbridge/capacity-changed');
    detail.data.kind = 'fleet';
    detail.data.target = 'pool/wspool-abc123def';
    const parsed = capacityChanged.detailSchema.safeParse(detail);
    expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([['data', 'target']]);
  });

  it('refuses an actor that is none of schedule:, usage, override: or a principal ARN', () => {
    const { detail } = loadEvent<Sample>('eventbridge/capacity-changed');
    detail.data.actor = 'somebody';
    expect(capacityChanged.detailSchema.safeParse(detail).error?.issues[0]?.path).toEqual(['data', 'actor']);
    detail.data.actor = 'arn:aws:sts::123456789012:assumed-role/Admin/alice';
    expect(capacityChanged.detailSchema.safeParse(detail).success).toBe(true);
  });

  it('takes a console link only when it is https and cannot break out of a Slack link', () => {
    const { detail } = loadEvent<Sample>('eventbridge/capacity-changed');
    detail.data.consoleUrl = 'http://console.aws.amazon.com/x';
    expect(capacityChanged.detailSchema.safeParse(detail).success).toBe(false);
    detail.data.consoleUrl = 'https://example.com/a|<!channel>';
    expect(capacityChanged.detailSchema.safeParse(detail).success).toBe(false);
  });
});
