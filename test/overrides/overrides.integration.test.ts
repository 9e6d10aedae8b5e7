import { DescribeWorkspacesPoolsCommand } from '@aws-sdk/client-workspaces';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readSeed } from '../../cli/cloud.ts';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';
import { useAutopilotCli } from '#test/support/cli.ts';

/**
 * An override set from the CLI on the demo account, with the real capacity-tick every minute on
 * the local clock: honoured at the next tick, audited and announced on set and on expiry, and the
 * policy resumes by itself.
 */
describe('overrides from the CLI', () => {
  const local = useLocalCloud({ echoFunctionLogs: false, schedules: true });
  const POOL = 'pool/wspool-berlin001';
  let documents: DynamoDBDocumentClient;

  const cli = useAutopilotCli(local);

  beforeAll(async () => {
    documents = DynamoDBDocumentClient.from(local.clients.dynamodb);
    await local.admin.seed(await readSeed('local/seeds/demo.yml'));
    await local.admin.advanceTo('2026-11-23T10:00:00Z');
  });

  async function autopilot(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const { code, stdout, stderr } = await cli(args);
    return { code, out: stdout, err: stderr };
  }

  async function desired(): Promise<number | undefined> {
    const { WorkspacesPools = [] } = await local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({ PoolIds: ['wspool-berlin001'] }));
    return WorkspacesPools[0]?.CapacityStatus?.DesiredUserSessions;
  }

  it('holds the pool at the override, then lets it expire by itself and the policy resume', async () => {
    // Prepare: the clock stands still while the CLI runs, so "now" is the local clock's.
    const { epochMs } = await local.admin.clock();
    vi.useFakeTimers({ toFake: ['Date'], now: epochMs });
    let set;
    try {
      set = await autopilot('override', 'set', '--target', POOL, '--hold', '55', '--for', '30m', '--reason', 'Town hall stream', '--by', 'olga', '--stage', 'local');
    } finally {
      vi.useRealTimers();
    }
    expect(set).toMatchObject({ code: 0, out: expect.stringContaining(`${POOL}: hold 55 until 2026-11-23T10:30:00.000Z`) });
    const listed = await autopilot('override', 'list', '--json', '--stage', 'local');
    expect(JSON.parse(listed.out)).toMatchObject({ target: POOL, kind: 'hold', capacity: 55, setBy: 'principal:olga' });

    // Act: the ticks of the next minutes, then past its end.
    await local.admin.advanceTo('2026-11-23T10:05:00Z');
    const held = await desired();
    await local.admin.advanceTo('2026-11-23T11:30:00Z');
    const after = await desired();

    // Assess
    expect(held).toBe(55);
    expect(after).toBeLessThan(55);
    const history = await queryAudit(documents, LOCAL_RESOURCES.auditTable, { target: POOL, since: epochMs, order: 'oldest-first' });
    const kinds = history.map((entry) => entry.kind);
    expect(kinds.slice(0, 3)).toEqual(['override-set', 'capacity-changed', 'override-expired']);
    const id = (JSON.parse(listed.out) as { id: string }).id;
    expect(history[1]).toMatchObject({ actor: `override:${id}`, after: 55 });
    expect(history[2]).toMatchObject({ at: Date.parse('2026-11-23T10:30:00Z') });
    const slack = (await local.admin.slackMessages()).map((message) => JSON.stringify(message.payload));
    expect(slack.filter((text) => text.includes(`Override on ${POOL}: hold 55`))).toHaveLength(1);
    expect(slack.filter((text) => text.includes('Override on pool berlin_sales expired'))).toHaveLength(1);
    expect((await autopilot('override', 'list', '--stage', 'local')).err).toContain('no override in force');
  });

  it('clears an override before its end, audited and announced, and pauses nothing after', async () => {
    // Prepare
    const fleet = 'fleet/berlin-office-apps';
    const paused = await autopilot('override', 'set', '--target', fleet, '--pause', '--for', '2h', '--reason', 'Image rollout', '--by', 'olga', '--stage', 'local');
    expect(paused.code).toBe(0);

    // Act
    const cleared = await autopilot('override', 'clear', '--target', fleet, '--reason', 'Rollout done', '--by', 'olga', '--stage', 'local');
    const again = await autopilot('override', 'clear', '--target', fleet, '--stage', 'local');

    // Assess
    expect(cleared).toMatchObject({ code: 0, out: expect.stringContaining(`${fleet}: pause cleared`) });
    expect(again.out).toContain(`${fleet}: no override in force`);
    const history = await queryAudit(documents, LOCAL_RESOURCES.auditTable, { target: fleet, order: 'oldest-first' });
    expect(history.filter((entry) => entry.kind.startsWith('override-')).map((entry) => [entry.kind, entry.actor])).toEqual([
      ['override-set', 'principal:olga'],
      ['override-cleared', 'principal:olga'],
    ]);
    // The notice reaches the notifier asynchronously, as EventBridge delivers it: let it settle.
    await local.admin.advance(0);
    const slack = (await local.admin.slackMessages()).map((message) => JSON.stringify(message.payload));
    expect(slack.filter((text) => text.includes(`Override on ${fleet} cleared`))).toHaveLength(1);
  });

  it('refuses a bad override with the option and the fix, changing nothing', async () => {
    const noKind = await autopilot('override', 'set', '--target', POOL, '--reason', 'x', '--stage', 'local');
    expect(noKind.code).not.toBe(0);
    expect(noKind.err).toContain('--hold N, --floor N or --pause');
    const badTarget = await autopilot('override', 'set', '--target', 'pool/berlin', '--pause', '--reason', 'x', '--stage', 'local');
    expect(badTarget.err).toContain('must be pool/<pool id>');
    const tooLong = await autopilot('override', 'set', '--target', POOL, '--pause', '--for', '8d', '--reason', 'x', '--stage', 'local');
    expect(tooLong.err).toContain('at most 7 days');
    expect((await autopilot('override', 'list', '--stage', 'local')).err).toContain('no override in force');
  });
});
