import { CreateFleetCommand, DescribeFleetsCommand, UpdateFleetCommand } from '@aws-sdk/client-appstream';
import { DescribeWorkspacesPoolsCommand, UpdateWorkspacesPoolCommand } from '@aws-sdk/client-workspaces';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSeed } from '../../cli/cloud.ts';
import { queryAudit } from '#lib/audit/query-audit.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';

/**
 * Someone changes a managed target's capacity by hand on the demo account, with the real
 * capacity-tick every minute and the CloudTrail reactor as serverless.yml wires them: the Berlin
 * pool's policy respects it (held 4 h, then the policy resumes), the design fleet's enforces it.
 */
describe('manual capacity changes seen in CloudTrail', () => {
  const local = useLocalCloud({ echoFunctionLogs: false, schedules: true, cloudTrailDelivery: true });
  let documents: DynamoDBDocumentClient;
  let operator: string;

  beforeAll(async () => {
    documents = DynamoDBDocumentClient.from(local.clients.dynamodb);
    await local.admin.seed(await readSeed('local/seeds/demo.yml'));
    await local.admin.advanceTo('2026-11-23T10:00:00Z');
  });

  async function poolDesired(): Promise<number | undefined> {
    const { WorkspacesPools = [] } = await local.clients.workspaces.send(new DescribeWorkspacesPoolsCommand({ PoolIds: ['wspool-berlin001'] }));
    return WorkspacesPools[0]?.CapacityStatus?.DesiredUserSessions;
  }

  async function slackAbout(text: string): Promise<string[]> {
    return (await local.admin.slackMessages()).map((message) => JSON.stringify(message.payload)).filter((payload) => payload.includes(text));
  }

  it('respects a manual change for the policy\'s hold, says when the policy resumes, then resumes', async () => {
    // Act: an operator sets the pool to 50 at 10:00 (Berlin's policy would keep it near 44).
    await local.clients.workspaces.send(new UpdateWorkspacesPoolCommand({ PoolId: 'wspool-berlin001', Capacity: { DesiredUserSessions: 50 } }));
    const [call] = (await local.admin.cloudTrail()).filter((e) => e.detail.eventName === 'UpdateWorkspacesPool' && e.detail.userIdentity.type !== 'AssumedRole');
    operator = call!.detail.userIdentity.arn!;
    await local.admin.advanceTo('2026-11-23T13:00:00Z');
    const held = await poolDesired();
    await local.admin.advanceTo('2026-11-23T15:00:00Z');
    const resumed = await poolDesired();

    // Assess: held for 4 h (until 14:00), then the policy again.
    expect(held).toBe(50);
    expect(resumed).not.toBe(50);
    const history = await queryAudit(documents, LOCAL_RESOURCES.auditTable, { target: 'pool/wspool-berlin001', since: Date.parse('2026-11-23T10:00:00Z'), order: 'oldest-first' });
    expect(history.slice(0, 2)).toEqual([
      expect.objectContaining({ kind: 'drift-detected', actor: operator, before: expect.any(Number), after: 50 }),
      expect.objectContaining({ kind: 'override-set', actor: operator }),
    ]);
    expect(history.map((entry) => entry.kind)).toContain('override-expired');
    expect(history.filter((entry) => entry.kind === 'drift-detected')).toHaveLength(1); // the workflow's own changes are not "manual"
    const announced = await slackAbout('Override on pool/wspool-berlin001: hold 50');
    expect(announced).toHaveLength(1);
    expect(announced[0]).toContain('the policy resumes at 2026-11-23T14:00:00.000Z');
  });

  it('undoes a manual change at the next tick when the policy enforces its value', async () => {
    // Prepare: the design fleet runs at its studio-hours capacity.
    const before = await fleetDesired();

    // Act
    await local.clients.appstream.send(new UpdateFleetCommand({ Name: 'newyork-design-tools', ComputeCapacity: { DesiredInstances: 8 } }));
    await local.admin.advance(0);
    const warned = await slackAbout('Manual change on fleet newyork-design-tools will be undone');
    await local.admin.advance(5 * 60);

    // Assess
    expect(warned).toHaveLength(1);
    expect(await fleetDesired()).toBe(before);
    const history = await queryAudit(documents, LOCAL_RESOURCES.auditTable, { target: 'fleet/newyork-design-tools', since: Date.parse('2026-11-23T15:00:00Z'), order: 'oldest-first' });
    expect(history.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['drift-detected', 'capacity-changed']));
  });

  it('announces a new fleet a policy selects, picked up at the next tick without a redeploy', async () => {
    // Act: a fleet whose name the design policy's pattern (newyork-design-*) selects.
    await local.clients.appstream.send(
      new CreateFleetCommand({ Name: 'newyork-design-extra', InstanceType: 'stream.graphics.g4dn.xlarge', FleetType: 'ON_DEMAND', ImageName: 'design-tools-2026-11', ComputeCapacity: { DesiredInstances: 1 } }),
    );
    await local.admin.advance(0);

    // Assess
    expect(await slackAbout('New fleet newyork-design-extra is managed by policy newyork-design-tools')).toHaveLength(1);
    const history = await queryAudit(documents, LOCAL_RESOURCES.auditTable, { target: 'fleet/newyork-design-extra', order: 'oldest-first' });
    expect(history).toEqual([expect.objectContaining({ kind: 'target-created', actor: operator })]);
  });

  it('refuses an event from another account without acting on it', async () => {
    // Act: a CloudTrail event of another account (one account's bus can receive others' events).
    const [template] = (await local.admin.cloudTrail()).filter((e) => e.detail.eventName === 'UpdateWorkspacesPool');
    await local.admin.publish({ ...template!, id: 'foreign-1', account: '999999999999', detail: { ...template!.detail, eventID: 'foreign-event-1' } });
    await local.admin.advance(0);

    // Assess
    const logs = (await local.admin.logs(LOCAL_RESOURCES.functions.cloudtrailReactor)).map((line) => line.line).join('\n');
    expect(logs).toContain('account 999999999999, not 123456789012');
    const history = await queryAudit(documents, LOCAL_RESOURCES.auditTable, { target: 'pool/wspool-berlin001', order: 'oldest-first' });
    expect(history.filter((entry) => entry.id === 'ct-foreign-event-1')).toEqual([]);
  });

  async function fleetDesired(): Promise<number | undefined> {
    const { Fleets = [] } = await local.clients.appstream.send(new DescribeFleetsCommand({ Names: ['newyork-design-tools'] }));
    return Fleets[0]?.ComputeCapacityStatus?.Desired;
  }
});
