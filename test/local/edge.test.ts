import { DescribeWorkspacesPoolsCommand } from '@aws-sdk/client-workspaces';
import { describe, expect, it } from 'vitest';
import { useLocalCloud } from '#test/support/cloud.ts';

describe('the local cloud edge', () => {
  const local = useLocalCloud();

  it('answers its health check with the local time and region', async () => {
    const health = await local.admin.health();
    expect(health).toMatchObject({ ok: true, now: '2026-11-23T06:00:00.000Z', region: 'us-east-1' });
  });

  it('raises the throttling error an injected fault asks for, through the real SDK client', async () => {
    await local.admin.addFault({ operation: 'WorkspacesService.DescribeWorkspacesPools', kind: 'throttle', count: 1 });
    await expect(local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await local.admin.faults()).toEqual([]);
  });

  it('advances the clock on request without sleeping', async () => {
    const before = await local.admin.clock();
    const after = await local.admin.advance(3600);
    expect(after.epochMs - before.epochMs).toBe(3_600_000);
  });
});
