import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEvent } from '#test/support/events.ts';
import { captureOutput, importHandler, lambdaContext } from '#test/support/handler.ts';

/**
 * functions/capacity-tick's gate on its input, as a unit (test/support/handler.ts: the project's
 * own policy file, AWS at a port nothing listens on).
 */
describe('the capacity-tick handler', () => {
  type Handler = (event: unknown, context: Context) => Promise<{ targets: number; changes: number }>;
  let handler: Handler;

  beforeAll(async () => {
    handler = await importHandler<Handler>(() => import('#functions/capacity-tick.ts'), {
      POLICY_FILE: 'config/policies.yml',
      EVENT_BUS_NAME: 'euc-autopilot-test',
      CAPACITY_CHANGE_STATE_MACHINE: 'euc-autopilot-test-capacity-change',
    });
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('rejects a malformed event without throwing, touching AWS or being retried', async () => {
    // Prepare: what reaches a function that is not a scheduled event (an id is what a tick needs).
    const output = captureOutput();
    const scheduled = loadEvent<Record<string, unknown>>('scheduled/capacity-tick');
    const malformed: unknown[] = [null, 'tick', {}, { ...scheduled, id: '' }, { ...scheduled, id: 42 }];

    // Act
    const answers = [];
    try {
      for (const event of malformed) answers.push(await handler(event, lambdaContext('capacityTick')));
    } finally {
      output.restore();
    }

    // Assess
    expect(answers).toEqual(malformed.map(() => ({ targets: 0, changes: 0 })));
    const rejections = output.written.filter((line) => line.includes('Rejected an event that is not a scheduled event'));
    expect(rejections).toHaveLength(malformed.length);
  });
});
