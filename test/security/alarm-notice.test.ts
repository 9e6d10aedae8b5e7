import { describe, expect, it } from 'vitest';
import { parseAlarmMessage } from '#lib/notify/alarm-notice.ts';
import { loadEvent } from '#test/support/events.ts';

/** CloudWatch alarm state changes, as SNS delivers them (events/sns/cloudwatch-alarm.json), → Operator Notices. */
interface SnsEvent {
  Records: Array<{ Sns: { Message: string; MessageId: string; Timestamp: string } }>;
}

function sample() {
  const { Sns } = loadEvent<SnsEvent>('sns/cloudwatch-alarm').Records[0]!;
  return { alarm: JSON.parse(Sns.Message) as Record<string, unknown>, sns: { messageId: Sns.MessageId, timestamp: Sns.Timestamp } };
}

describe('an alarm notice', () => {
  it('turns a firing alarm into a critical notice with its state change, metric, function and console link', () => {
    // Prepare
    const { alarm, sns } = sample();
    // Act
    const parsed = parseAlarmMessage(JSON.stringify(alarm), sns);
    // Assess
    expect(parsed).toEqual({
      ok: true,
      event: { id: '95df01b4-ee98-5cb9-9903-4c221d41eb5e', at: Date.parse('2026-11-23T06:05:12.801Z'), correlationId: 'euc-autopilot-prod-capacityTick-errors' },
      notice: {
        severity: 'critical',
        title: 'Alarm: euc-autopilot-prod-capacityTick-errors',
        text: `capacityTick failed: a Lambda invocation ended in an error\n${alarm.NewStateReason as string}`,
        facts: [
          { label: 'State', value: 'OK → ALARM' },
          { label: 'Since', value: '2026-11-23T06:05:12.745Z' },
          { label: 'Metric', value: 'AWS/Lambda Errors' },
          { label: 'FunctionName', value: 'euc-autopilot-prod-capacityTick' },
          { label: 'Region', value: 'US East (N. Virginia)' },
        ],
        target: 'alarm/euc-autopilot-prod-capacityTick-errors',
        link: {
          url: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/euc-autopilot-prod-capacityTick-errors',
          text: 'Open the alarm in CloudWatch',
        },
      },
    });
  });

  it.each([
    ['OK', 'info', 'Resolved: '],
    ['INSUFFICIENT_DATA', 'warning', 'Alarm has no data: '],
  ])('tells of a change to %s as %s', (state, severity, headline) => {
    const { alarm, sns } = sample();
    Object.assign(alarm, { NewStateValue: state, OldStateValue: 'ALARM', AlarmDescription: null });
    const parsed = parseAlarmMessage(JSON.stringify(alarm), sns);
    expect(parsed).toMatchObject({ ok: true, notice: { severity, title: `${headline}euc-autopilot-prod-capacityTick-errors`, text: alarm.NewStateReason } });
  });

  it('leaves the link out when the alarm has no ARN to take the Region from', () => {
    const { alarm, sns } = sample();
    delete alarm.AlarmArn;
    const parsed = parseAlarmMessage(JSON.stringify(alarm), sns);
    expect(parsed.ok && parsed.notice.link).toBeUndefined();
  });

  it.each([
    ['a missing state', (alarm: Record<string, unknown>) => delete alarm.NewStateValue, /^NewStateValue: /],
    ['an unknown state', (alarm: Record<string, unknown>) => (alarm.NewStateValue = 'FIRING'), /^NewStateValue: /],
    ['a time that is not one', (alarm: Record<string, unknown>) => (alarm.StateChangeTime = 'yesterday'), /^StateChangeTime: must be a date and time$/],
    ['dimensions without names', (alarm: Record<string, unknown>) => (alarm.Trigger = { Dimensions: [{ value: 'x' }] }), /^Trigger\.Dimensions\.0\.name: /],
  ])('refuses an alarm with %s, naming the field', (_case, spoil, issues) => {
    const { alarm, sns } = sample();
    spoil(alarm);
    const parsed = parseAlarmMessage(JSON.stringify(alarm), sns);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues).toMatch(issues);
  });

  it('refuses a message that is not JSON', () => {
    expect(parseAlarmMessage('ALARM!', sample().sns)).toEqual({ ok: false, issues: 'Message: not JSON (a CloudWatch alarm publishes a JSON object)' });
  });
});
