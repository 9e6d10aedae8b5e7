import { randomBytes } from 'node:crypto';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssociateWorkspaceApplicationCommand } from '@aws-sdk/client-workspaces';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeed } from '../../cli/cloud.ts';
import { LOCAL_CREDENTIALS } from '#local/cloud.ts';
import { useLocalCloud } from '#test/support/cloud.ts';
import { loadEvent } from '#test/support/events.ts';

/**
 * The Slack webhook URL is a secret: it lives in an SSM SecureString and never reaches a log line.
 * A morning of the demo account runs on the local cloud with a webhook URL of its own in the
 * parameter — ticks and capacity changes, digests, an application deployment, the sweeper, an
 * alarm, Slack refusing posts (429 retried, 500 recorded as undelivered) — and every line any
 * function wrote, plus everything this process printed, is searched for the URL and its parts.
 */
const PARAMETER = '/euc-autopilot/local/slack-webhook-url';
const TOKEN = `canary${randomBytes(12).toString('hex')}`;
const WEBHOOK_PATH = `/services/T0CANARY9/B0CANARY9/${TOKEN}`;
const PREFIX = 'euc-autopilot-local-';

describe('the Slack webhook URL on a full run', () => {
  const local = useLocalCloud({ echoFunctionLogs: false, schedules: true, cloudTrailDelivery: true, startTime: new Date('2026-11-23T05:00:00Z') });
  const printed: string[] = [];
  const restore: Array<() => void> = [];

  beforeAll(() => {
    // Everything this process prints while the run goes on, besides what the functions log.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = write));
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[method];
      console[method] = (...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
        original(...args);
      };
      restore.push(() => (console[method] = original));
    }
  });

  afterAll(() => {
    for (const undo of restore) undo();
  });

  it('posts to the URL from the SecureString, and no log line holds the URL, its path or its token', async () => {
    // Prepare: a webhook URL no other test uses, at the local Slack sink, before any function reads it.
    const url = `${local.cloud.url}/_slack${WEBHOOK_PATH}`;
    const ssm = new SSMClient({ endpoint: local.cloud.url, region: local.cloud.region, credentials: LOCAL_CREDENTIALS });
    await ssm.send(new PutParameterCommand({ Name: PARAMETER, Value: url, Type: 'SecureString', Overwrite: true }));
    await local.admin.seed(await readSeed('local/seeds/demo.yml'));
    // Slack rate-limits the first posts: the retries log their reasons.
    await local.admin.failSlack({ status: 429, retryAfter: 0, count: 2 });

    // Act: the morning's ticks, changes and digests; an application associated by hand (CloudTrail → reactor → deployment).
    await local.admin.advanceTo('2026-11-23T05:40:00Z');
    await local.clients.workspaces.send(new AssociateWorkspaceApplicationCommand({ WorkspaceId: 'ws-berlin0002', ApplicationId: 'wsa-visio2024a' }));
    await local.admin.advanceTo('2026-11-23T06:20:00Z');
    // Slack refuses a notice for good: recorded as notification-undelivered, with its reason logged.
    await local.admin.failSlack({ status: 500, count: 4 });
    await local.admin.publish({ source: 'euc-autopilot', 'detail-type': 'Operator Notice', detail: loadEvent<{ detail: unknown }>('eventbridge/operator-notice').detail }, 'euc-autopilot-local');
    await local.admin.advance(0);
    await local.admin.clearSlackFailure();
    await local.cloud.invoke(`${PREFIX}deploymentSweeper`, loadEvent('scheduled/capacity-tick'));
    await local.cloud.invoke(`${PREFIX}alarmNotifier`, loadEvent('sns/cloudwatch-alarm'));

    // Assess: Slack was reached through the secret URL …
    const posts = await local.admin.slackMessages();
    expect(posts.length).toBeGreaterThan(3);
    expect(new Set(posts.map((post) => post.webhook))).toEqual(new Set([WEBHOOK_PATH.slice(1)]));
    expect(await local.admin.slackStats()).toMatchObject({ rejected: 6 });
    // … every function ran and logged …
    const logs = await local.admin.logs();
    const ran = new Set(logs.map((line) => line.functionName.replace(PREFIX, '')));
    for (const fn of ['capacityTick', 'capacityChangeStep', 'notifier', 'slackDigest', 'cloudtrailReactor', 'deploymentStep', 'deploymentSweeper', 'alarmNotifier']) {
      expect(ran, fn).toContain(fn);
    }
    expect(logs.some((line) => line.line.includes('recorded as notification-undelivered'))).toBe(true);
    // … and not one line, of theirs or of this process, holds the URL or a piece of it.
    const everything = [...logs.map((line) => line.line), ...printed];
    const leaks = everything.filter((line) => [url, WEBHOOK_PATH, TOKEN, 'T0CANARY9/B0CANARY9'].some((secret) => line.includes(secret)));
    expect(leaks).toEqual([]);
  }, 120_000);
});
