import { z } from 'zod';
import type { OperatorNotice, Severity } from '#lib/events/operator-notice.ts';
import type { NotifyingEventRef } from './undelivered.ts';

/**
 * A CloudWatch alarm's state change, as CloudWatch publishes it to SNS (the SNS record's `Message`
 * is this object as a JSON string), turned into an Operator Notice for Slack. Only the fields the
 * message shows are required; CloudWatch sends more (actions, account id, configuration time).
 */
const alarmStates = ['ALARM', 'OK', 'INSUFFICIENT_DATA'] as const;
type AlarmState = (typeof alarmStates)[number];

export const cloudWatchAlarmSchema = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().nullish(),
  AlarmArn: z.string().startsWith('arn:').optional(),
  NewStateValue: z.enum(alarmStates),
  NewStateReason: z.string(),
  OldStateValue: z.enum(alarmStates).optional(),
  // CloudWatch writes `2024-05-01T06:05:00.123+0000`, which is not strict ISO 8601: checked with Date.parse.
  StateChangeTime: z.string().refine((time) => !Number.isNaN(Date.parse(time)), 'must be a date and time'),
  Region: z.string().optional(),
  Trigger: z
    .object({
      MetricName: z.string().optional(),
      Namespace: z.string().optional(),
      Dimensions: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
    })
    .optional(),
});

export type CloudWatchAlarm = z.infer<typeof cloudWatchAlarmSchema>;

/** A firing alarm pages; a resolved one informs; missing data is worth a look. */
const SEVERITY: Record<AlarmState, Severity> = { ALARM: 'critical', OK: 'info', INSUFFICIENT_DATA: 'warning' };
const HEADLINE: Record<AlarmState, string> = { ALARM: 'Alarm', OK: 'Resolved', INSUFFICIENT_DATA: 'Alarm has no data' };

export type ParsedAlarm =
  | { ok: true; notice: OperatorNotice; event: NotifyingEventRef }
  | { ok: false; issues: string };

/**
 * One SNS notification's message → the notice and the event it came in (the SNS message id, the
 * audit entry's idempotency id if Slack will not take it). A message that is not JSON or not a
 * CloudWatch alarm is refused with the field at fault.
 */
export function parseAlarmMessage(message: string, sns: { messageId: string; timestamp: string }): ParsedAlarm {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { ok: false, issues: 'Message: not JSON (a CloudWatch alarm publishes a JSON object)' };
  }
  const alarm = cloudWatchAlarmSchema.safeParse(json);
  if (!alarm.success) {
    return { ok: false, issues: alarm.error.issues.map((issue) => `${issue.path.join('.') || 'Message'}: ${issue.message}`).join('; ') };
  }
  return {
    ok: true,
    notice: alarmNotice(alarm.data),
    event: { id: sns.messageId, at: Date.parse(sns.timestamp), correlationId: alarm.data.AlarmName },
  };
}

export function alarmNotice(alarm: CloudWatchAlarm): OperatorNotice {
  const state = alarm.NewStateValue;
  const description = alarm.AlarmDescription?.trim();
  const metric = alarm.Trigger && [alarm.Trigger.Namespace, alarm.Trigger.MetricName].filter(Boolean).join(' ');
  const facts = [
    { label: 'State', value: alarm.OldStateValue ? `${alarm.OldStateValue} → ${state}` : state },
    { label: 'Since', value: new Date(Date.parse(alarm.StateChangeTime)).toISOString() },
    ...(metric ? [{ label: 'Metric', value: metric }] : []),
    ...(alarm.Trigger?.Dimensions ?? []).map((dimension) => ({ label: dimension.name, value: dimension.value })),
    ...(alarm.Region ? [{ label: 'Region', value: alarm.Region }] : []),
  ];
  const link = consoleLink(alarm);
  return {
    severity: SEVERITY[state],
    title: `${HEADLINE[state]}: ${alarm.AlarmName}`,
    text: [description, alarm.NewStateReason].filter(Boolean).join('\n'),
    facts,
    target: `alarm/${alarm.AlarmName}`,
    ...(link ? { link } : {}),
  };
}

/** The alarm's page in the CloudWatch console, in the Region its ARN names. */
function consoleLink(alarm: CloudWatchAlarm): OperatorNotice['link'] {
  const region = alarm.AlarmArn?.split(':')[3];
  if (!region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return undefined;
  return {
    url: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`,
    text: 'Open the alarm in CloudWatch',
  };
}
