import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';
import { loadEvent } from '#test/support/events.ts';

/**
 * alarmNotifier as serverless.yml declares it, run by the local cloud's Lambda runtime with its
 * SSM SecureString and Slack sink. The local cloud has no SNS or CloudWatch: the function is given
 * the SNS event CloudWatch's alarm would cause (events/sns/cloudwatch-alarm.json).
 */
const FUNCTION = 'euc-autopilot-local-alarmNotifier';
const ALARM = 'euc-autopilot-prod-capacityTick-errors';

interface SnsEvent {
  Records: Array<{ Sns: { Message: string; MessageId: string } }>;
}

describe('the alarm notifier on the local cloud', () => {
  const local = useLocalCloud();

  it('posts a firing alarm to Slack', async () => {
    // Act
    const answer = await local.cloud.invoke(FUNCTION, loadEvent('sns/cloudwatch-alarm'));
    // Assess
    expect(answer).toEqual({ ok: true, payload: { outcomes: ['delivered'] } });
    const messages = await local.admin.slackMessages();
    expect(messages).toHaveLength(1);
    const posted = JSON.stringify(messages[0]!.payload);
    expect(posted).toContain(`Alarm: ${ALARM}`);
    expect(posted).toContain('OK → ALARM');
  });

  it('drops a message that is not a CloudWatch alarm, logging the field at fault, without failing', async () => {
    // Prepare
    await local.admin.clearSlackMessages();
    const event = loadEvent<SnsEvent>('sns/cloudwatch-alarm');
    const alarm = JSON.parse(event.Records[0]!.Sns.Message);
    delete alarm.NewStateValue;
    event.Records[0]!.Sns.Message = JSON.stringify(alarm);
    // Act
    const answer = await local.cloud.invoke(FUNCTION, event);
    // Assess
    expect(answer).toEqual({ ok: true, payload: { outcomes: ['rejected'] } });
    expect(await local.admin.slackMessages()).toEqual([]);
    const logs = await local.admin.logs(FUNCTION);
    expect(logs.some((line) => line.line.includes('not a CloudWatch alarm state change') && line.line.includes('NewStateValue'))).toBe(true);
  });

  it('drops an input that is not an SNS notification', async () => {
    const answer = await local.cloud.invoke(FUNCTION, { Records: [{ eventSource: 'aws:sqs' }] });
    expect(answer).toEqual({ ok: true, payload: { outcomes: ['rejected'] } });
  });

  it('records an alarm Slack keeps refusing as notification-undelivered and fails, so the retries and the failure destination see it', async () => {
    // Prepare
    await local.admin.failSlack({ status: 500 });
    onTestFinished(() => local.admin.clearSlackFailure().then(() => undefined));
    const event = loadEvent<SnsEvent>('sns/cloudwatch-alarm');
    // Act
    const answer = await local.cloud.invoke(FUNCTION, event);
    // Assess
    expect(answer.ok).toBe(false);
    const audit = await queryAudit(DynamoDBDocumentClient.from(local.clients.dynamodb), LOCAL_RESOURCES.auditTable, { target: `alarm/${ALARM}` });
    expect(audit).toEqual([
      expect.objectContaining({ kind: 'notification-undelivered', id: event.Records[0]!.Sns.MessageId, correlationId: ALARM }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('/_slack/');
  });
});
