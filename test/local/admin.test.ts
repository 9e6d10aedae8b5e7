import { describe, expect, it } from 'vitest';
import type { Delivery } from '#local/events/bus.ts';
import type { FaultRule } from '#local/faults.ts';
import type { SlackFailure } from '#local/slack.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

/** The admin API (`/_local/`) through its typed client: bad input is refused, state round-trips. */
describe('the local cloud admin API', () => {
  const local = useLocalCloud({ serverlessConfigPath: 'test/fixtures/serverless/serverless.yml', schedules: true });

  describe('refuses bad input with a 400 naming the field', () => {
    const badFaults: Array<[meaning: string, rule: FaultRule, message: string]> = [
      [
        'a server error with a status other than 500 or 503',
        { operation: '*', kind: 'server-error', status: 404 as never },
        'fault.status must be 500 or 503, got 404',
      ],
      [
        'a status on a fault that is not a server error',
        { operation: '*', kind: 'throttle', status: 503 },
        'fault.status applies to a server-error fault only',
      ],
    ];
    it.each(badFaults)('a fault rule with %s', async (_meaning, rule, message) => {
      // Act
      const adding = local.admin.addFault(rule);
      // Assess
      await expect(adding).rejects.toThrow(`POST /faults answered 400: ${message}`);
      expect(await local.admin.faults()).toEqual([]);
    });

    const badSlackFailures: Array<[meaning: string, failure: SlackFailure, message: string]> = [
      ['a count of 0', { status: 429, count: 0 }, 'failure.count must be a whole number ≥ 1'],
      ['a negative count', { status: 500, count: -1 }, 'failure.count must be a whole number ≥ 1'],
      ['a fractional count', { status: 500, count: 1.5 }, 'failure.count must be a whole number ≥ 1'],
      [
        'a Retry-After that is not a number',
        { status: 429, retryAfter: 'soon' as never },
        'failure.retryAfter must be a whole number of seconds ≥ 0, got "soon"',
      ],
      ['a negative Retry-After', { status: 429, retryAfter: -5 }, 'failure.retryAfter must be a whole number of seconds ≥ 0'],
      ['a Retry-After on a 500', { status: 500, retryAfter: 2 }, 'failure.retryAfter applies to a 429 only'],
      ['a status other than 429 or 500', { status: 503 as never }, 'failure.status must be 429 or 500, got 503'],
    ];
    it.each(badSlackFailures)('a Slack failure with %s, and arms nothing', async (_meaning, failure, message) => {
      // Act
      const failing = local.admin.failSlack(failure);
      // Assess
      await expect(failing).rejects.toThrow(`POST /slack/failures answered 400: ${message}`);
      const post = await fetch(`${local.cloud.url}/_slack/services/T0/B0/admin-test`, {
        method: 'POST',
        body: JSON.stringify({ text: 'still delivered' }),
      });
      expect(post.status).toBe(200);
    });

    it('a clock advanced to a time before its now, pointing at set', async () => {
      // Prepare
      const { now, epochMs } = await local.admin.clock();
      // Act
      const advancing = local.admin.advanceTo(new Date(epochMs - 60_000));
      // Assess
      await expect(advancing).rejects.toThrow(
        /POST \/clock answered 400: advanceTo \S+ is before the local clock's now, \S+; use set to move the clock back/,
      );
      expect((await local.admin.clock()).now).toBe(now);
    });

    it('a clock advanced by a negative number of seconds', async () => {
      await expect(local.admin.advance(-60)).rejects.toThrow(
        'POST /clock answered 400: advanceSeconds must be a number ≥ 0, got -60',
      );
    });
  });

  it('re-arms scheduled rules when the clock is set back, so a rate(5 minutes) rule fires on the new time', async () => {
    // Prepare
    const firings = async () =>
      ((await local.admin.deliveries()) as Delivery[]).filter((delivery) => delivery.rule === 'fixture-local-tick-schedule-1');
    const before = (await firings()).length;
    const dayBack = new Date((await local.admin.clock()).epochMs - 86_400_000);
    dayBack.setUTCMinutes(0, 0, 0);
    // Act
    await local.admin.setClock(dayBack);
    await local.admin.advance(600);
    // Assess
    const fired = (await firings()).slice(before);
    expect(fired.map((delivery) => (delivery.response as { eventTime: string }).eventTime)).toEqual([
      new Date(dayBack.getTime() + 300_000).toISOString().replace('.000Z', 'Z'),
      new Date(dayBack.getTime() + 600_000).toISOString().replace('.000Z', 'Z'),
    ]);
  });

  it('answers GET /usage with settings PUT /usage takes back unchanged', async () => {
    // Prepare
    await local.admin.setUsage('pool', 'wspool-roundtrip', 7);
    await local.admin.setUsageCurve('fleet', 'office-apps', [
      { at: '2026-11-23T09:00:00Z', sessions: 30 },
      { at: '2026-11-23T08:00:00Z', sessions: 12 },
    ]);
    // Act
    const listed = await local.admin.usage();
    for (const setting of listed) await local.admin.putUsage(setting);
    // Assess
    expect(listed).toEqual([
      { kind: 'pool', id: 'wspool-roundtrip', sessions: 7 },
      {
        kind: 'fleet',
        id: 'office-apps',
        curve: [
          { at: '2026-11-23T08:00:00.000Z', sessions: 12 },
          { at: '2026-11-23T09:00:00.000Z', sessions: 30 },
        ],
      },
    ]);
    expect(await local.admin.usage()).toEqual(listed);
  });
});
