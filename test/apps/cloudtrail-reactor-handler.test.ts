import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEvent } from '#test/support/events.ts';
import { captureOutput, importHandler, lambdaContext } from '#test/support/handler.ts';

/**
 * functions/cloudtrail-reactor's gate, as a unit (test/support/handler.ts: AWS at a port nothing
 * listens on, so an event that reached AWS would fail the test). What it must not act on, it
 * logs and answers without throwing: nothing is retried.
 */
describe('the cloudtrail-reactor handler', () => {
  type Handler = (event: unknown, context: Context) => Promise<{ event: string; reactions: unknown[] }>;
  let handler: Handler;

  beforeAll(async () => {
    handler = await importHandler<Handler>(() => import('#functions/cloudtrail-reactor.ts'), {
      POLICY_FILE: 'config/policies.yml',
      DEPLOY_APPLICATIONS_STATE_MACHINE: 'euc-autopilot-test-deploy-applications',
      EVENT_BUS_NAME: 'euc-autopilot-test',
      AUTOPILOT_FUNCTION_PREFIX: 'euc-autopilot-test-',
    });
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    { name: 'a failed call (errorCode)', event: () => loadEvent('cloudtrail/associate-workspace-application-failed'), answer: 'failed-call', log: 'failed with OperatingSystemNotCompatibleException' },
    { name: 'an event of another service', event: () => ({ ...loadEvent<object>('cloudtrail/associate-workspace-application'), source: 'aws.appstream' }), answer: 'unsupported-event', log: 'AssociateWorkspaceApplication is not a call this handles' },
    { name: 'a malformed event', event: () => ({ detail: 'nothing' }), answer: 'malformed', log: 'Event ignored' },
    { name: 'the SDK shape instead of CloudTrail', event: () => pascalCase(), answer: 'malformed', log: 'PascalCase key' },
  ])('drops $name with a log line, touching no AWS API', async ({ event, answer, log }) => {
    // Prepare
    const output = captureOutput();

    // Act
    let result;
    try {
      result = await handler(event(), lambdaContext('cloudtrailReactor'));
    } finally {
      output.restore();
    }

    // Assess
    expect(result).toEqual({ event: answer, reactions: [] });
    expect(output.written.join('')).toContain(log);
  });

  function pascalCase() {
    const event = loadEvent<{ detail: { requestParameters: unknown } }>('cloudtrail/associate-workspace-application');
    event.detail.requestParameters = { WorkspaceId: 'ws-berlin0002', ApplicationId: 'wsa-visio2024a' };
    return event;
  }
});
