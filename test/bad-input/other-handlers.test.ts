import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadEvent } from '#test/support/events.ts';
import { captureOutput, importHandler, lambdaContext } from '#test/support/handler.ts';

/**
 * The other functions that take events from outside their own code, on bad input, through their
 * real handlers (AWS at a port nothing listens on: reaching AWS would throw). Each answers and
 * logs; none throws, so none is retried. capacity-tick's gate has its own test
 * (test/capacity/capacity-tick-handler.test.ts).
 */
type Handler = (event: unknown, context: Context) => Promise<unknown>;

async function run(handler: Handler, event: unknown, functionKey: string): Promise<{ answer: unknown; log: string }> {
  const output = captureOutput();
  try {
    const answer = await handler(event, lambdaContext(functionKey));
    return { answer, log: output.written.join('') };
  } finally {
    output.restore();
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('the notifier on events that are not notices it can post', () => {
  const load = () =>
    importHandler<Handler>(() => import('#functions/notifier.ts'), {
      SLACK_WEBHOOK_PARAMETER: '/euc-autopilot/test/slack-webhook-url',
      SLACK_WEBHOOK_PARAMETERS_BY_SEVERITY: '{}',
      SLACK_WAIT_SCALE: '0',
    });

  it.each([
    { name: 'null', event: () => null, log: 'Rejected an input that is not an EventBridge event' },
    { name: 'an envelope without its time', event: () => ({ ...loadEvent<object>('eventbridge/operator-notice'), time: undefined }), log: '\\"path\\": [\\n      \\"time\\"' }, // zod's issues as JSON, inside the JSON log line
    { name: 'a CloudTrail event routed to it', event: () => loadEvent('cloudtrail/associate-workspace-application'), log: '"detailType":"AWS API Call via CloudTrail"' },
    { name: 'a notice without its title', event: () => withoutTitle(), log: 'Rejected a malformed Operator Notice' },
  ])('rejects $name with a log line, posting nothing', async ({ event, log }) => {
    // Prepare
    const handler = await load();

    // Act
    const { answer, log: written } = await run(handler, event(), 'notifier');

    // Assess
    expect(answer).toEqual({ outcome: 'rejected' });
    expect(written).toContain(log);
  });

  function withoutTitle() {
    const event = loadEvent<{ detail: { data: Record<string, unknown> } }>('eventbridge/operator-notice');
    delete event.detail.data.title;
    return event;
  }
});

describe('the deployment sweeper on events that are not its schedule', () => {
  it.each([null, 'sweep', {}, { id: 'sweep-1', time: 'yesterday' }, { id: '', time: '2026-11-23T10:00:00Z' }])('rejects %j with a log line, sweeping nothing', async (event) => {
    // Prepare
    const handler = await importHandler<Handler>(() => import('#functions/deployment-sweeper.ts'), {
      POLICY_FILE: 'config/policies.yml',
      DEPLOY_APPLICATIONS_STATE_MACHINE: 'euc-autopilot-test-deploy-applications',
    });

    // Act
    const { answer, log } = await run(handler, event, 'deploymentSweeper');

    // Assess
    expect(answer).toEqual({ skipped: 'not a scheduled event' });
    expect(log).toContain('Rejected an event that is not a scheduled event');
  });
});
