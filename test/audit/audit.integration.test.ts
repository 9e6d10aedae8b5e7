import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { documentClient } from '#lib/aws/clients.ts';
import { InvalidAuditEntryError, type AuditEntry } from '#lib/audit/entry.ts';
import { queryAudit, queryAuditByDay } from '#lib/audit/query-audit.ts';
import { recordAudit } from '#lib/audit/record-audit.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

/** The audit trail in the audit table serverless.yml declares, on the local cloud's DynamoDB (dynalite). */
describe('the audit trail on the local cloud', () => {
  const local = useLocalCloud();
  const table = 'euc-autopilot-local-audit';
  const db = () => DynamoDBDocumentClient.from(local.clients.dynamodb);
  const at = (iso: string) => Date.parse(iso);
  const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
    target: 'pool/wspool-abc123def',
    kind: 'capacity-changed',
    actor: 'schedule:weekday-mornings',
    reason: 'Window weekday-mornings asks for 40 sessions.',
    before: 10,
    after: 40,
    correlationId: 'tick-2026-11-23T07:00:00Z',
    at: at('2026-11-23T07:00:00Z'),
    id: 'tick-2026-11-23T07:00:00Z',
    ...overrides,
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes one item keyed as the table declares: target, ISO time#id, UTC day, TTL from the entry time', async () => {
    // Act
    const write = await recordAudit(db(), table, entry({ target: 'pool/wspool-keys00001', at: at('2026-11-23T23:30:00.250Z'), ttlDays: 30 }));
    // Assess
    expect(write).toEqual({ status: 'recorded', key: { pk: 'pool/wspool-keys00001', sk: '2026-11-23T23:30:00.250Z#tick-2026-11-23T07:00:00Z' } });
    const { Item } = await db().send(new GetCommand({ TableName: table, Key: write.key }));
    expect(Item).toMatchObject({
      day: '2026-11-23',
      expiresAt: Math.floor(at('2026-11-23T23:30:00.250Z') / 1000) + 30 * 86_400,
      kind: 'capacity-changed',
      actor: 'schedule:weekday-mornings',
      before: 10,
      after: 40,
    });
  });

  it('takes a repeated write of the same event as a no-op and says so', async () => {
    // Prepare
    const first = entry({ target: 'fleet/repeat-fleet', before: { desired: 2, state: 'RUNNING' }, after: { desired: 8, state: 'RUNNING' } });
    await recordAudit(db(), table, first);
    // Act: the same event again, as a retried Lambda or an overlapping tick would write it.
    const again = await recordAudit(db(), table, { ...first, reason: 'written again' });
    // Assess
    expect(again.status).toBe('duplicate');
    const records = await queryAudit(db(), table, { target: 'fleet/repeat-fleet' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ reason: first.reason, before: { desired: 2, state: 'RUNNING' } });
  });

  it('refuses a malformed entry, naming each mistake, and writes nothing', async () => {
    const bad = entry({ target: 'fleet/malformed', actor: 'someone' as 'usage', id: 'has space' });
    await expect(recordAudit(db(), table, bad)).rejects.toThrow(InvalidAuditEntryError);
    await expect(recordAudit(db(), table, bad)).rejects.toThrow(/actor: .*; id: /);
    expect(await queryAudit(db(), table, { target: 'fleet/malformed' })).toEqual([]);
  });

  it('answers per target and time range, newest first, since inclusive and until exclusive to the millisecond', async () => {
    // Prepare: four entries of one target, one of another.
    const target = 'pool/wspool-range0001';
    const times = ['2026-11-23T06:00:00.000Z', '2026-11-23T07:00:00.000Z', '2026-11-23T07:59:59.999Z', '2026-11-23T08:00:00.000Z'];
    for (const [index, time] of times.entries()) {
      await recordAudit(db(), table, entry({ target, at: at(time), id: `tick-${index}` }));
    }
    await recordAudit(db(), table, entry({ target: 'pool/wspool-other0001', at: at('2026-11-23T07:30:00Z') }));
    // Act
    const range = await queryAudit(db(), table, { target, since: at('2026-11-23T07:00:00Z'), until: at('2026-11-23T08:00:00Z') });
    const oldest = await queryAudit(db(), table, { target, order: 'oldest-first', limit: 2 });
    const before8 = await queryAudit(db(), table, { target, until: at('2026-11-23T08:00:00Z') });
    const from8 = await queryAudit(db(), table, { target, since: at('2026-11-23T08:00:00Z') });
    // Assess
    expect(range.map((record) => record.id)).toEqual(['tick-2', 'tick-1']);
    expect(oldest.map((record) => record.id)).toEqual(['tick-0', 'tick-1']);
    expect(before8.map((record) => record.id)).toEqual(['tick-2', 'tick-1', 'tick-0']);
    expect(from8.map((record) => record.id)).toEqual(['tick-3']);
    expect(range[0]).toEqual({
      target,
      kind: 'capacity-changed',
      actor: 'schedule:weekday-mornings',
      reason: 'Window weekday-mornings asks for 40 sessions.',
      before: 10,
      after: 40,
      correlationId: 'tick-2026-11-23T07:00:00Z',
      at: at('2026-11-23T07:59:59.999Z'),
      id: 'tick-2',
      expiresAt: Math.floor(at('2026-11-23T07:59:59.999Z') / 1000) + 400 * 86_400,
    });
  });

  it('answers across targets by UTC day, in the order things happened, filtered by kind', async () => {
    // Prepare: around the midnight between two days, on a day no other test writes.
    await recordAudit(db(), table, entry({ target: 'pool/wspool-day000001', at: at('2026-12-01T23:59:59.999Z'), id: 'late' }));
    await recordAudit(db(), table, entry({ target: 'fleet/day-fleet', kind: 'deferred', at: at('2026-12-02T00:00:00.000Z'), id: 'midnight' }));
    await recordAudit(db(), table, entry({ target: 'pool/wspool-day000001', kind: 'conflict', at: at('2026-12-02T09:00:00Z'), id: 'conflict' }));
    await recordAudit(db(), table, entry({ target: 'fleet/day-fleet', kind: 'capacity-change-failed', error: 'INSUFFICIENT_CAPACITY', at: at('2026-12-02T12:00:00Z'), id: 'failed' }));
    // Act
    const day = await queryAuditByDay(db(), table, { day: '2026-12-02' });
    const trouble = await queryAuditByDay(db(), table, { day: '2026-12-02', kinds: ['conflict', 'capacity-change-failed'] });
    const firstTrouble = await queryAuditByDay(db(), table, { day: '2026-12-02', kinds: ['conflict', 'capacity-change-failed'], limit: 1, order: 'newest-first' });
    // Assess
    expect(day.map((record) => record.id)).toEqual(['midnight', 'conflict', 'failed']);
    expect(trouble.map((record) => [record.target, record.kind])).toEqual([
      ['pool/wspool-day000001', 'conflict'],
      ['fleet/day-fleet', 'capacity-change-failed'],
    ]);
    expect(firstTrouble).toEqual([expect.objectContaining({ id: 'failed', error: 'INSUFFICIENT_CAPACITY' })]);
    expect((await queryAuditByDay(db(), table, { day: '2026-12-01' })).map((record) => record.id)).toContain('late');
  });

  it('refuses a day that is not a calendar date and a time range that ends before it starts', async () => {
    await expect(queryAuditByDay(db(), table, { day: '2026-02-30' })).rejects.toThrow(RangeError);
    await expect(queryAudit(db(), table, { target: 'pool/wspool-abc123def', since: 2, until: 1 })).rejects.toThrow(/since/);
  });

  it('rides out DynamoDB throttling with the retries lib/aws/clients.ts configures', async () => {
    // Prepare: the module's client, reaching the local cloud through the SDK's own variables.
    for (const [name, value] of Object.entries(local.cloud.env())) vi.stubEnv(name, value);
    vi.stubEnv('AWS_MAX_ATTEMPTS', '3');
    await local.admin.addFault({ operation: 'DynamoDB_20120810.PutItem', kind: 'throttle', count: 2 });
    // Act
    const write = await recordAudit(documentClient(), table, entry({ target: 'pool/wspool-throttle1' }));
    // Assess
    expect(write.status).toBe('recorded');
    expect(await local.admin.faults()).toEqual([]);
    const { Items } = await db().send(new ScanCommand({ TableName: table, FilterExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'pool/wspool-throttle1' } }));
    expect(Items).toHaveLength(1);
  });
});
