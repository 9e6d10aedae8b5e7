import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { capacityChanged } from '#lib/events/capacity-events.ts';
import { capacityChangedLine, capacityChangedNotice } from '#lib/notify/capacity-notices.ts';
import type { DigestEntry } from '#lib/notify/digest.ts';
import { appendToDigest, DIGEST_PARTITION, readDigest, removePosted, settledDigests } from '#lib/notify/digest-store.ts';
import { LOCAL_RESOURCES, useLocalCloud } from '#test/support/cloud.ts';

/** The digest items in the state table, on the local cloud's DynamoDB (dynalite) with the real SDK. */
describe('the Slack digest store', () => {
  const local = useLocalCloud();
  const table = LOCAL_RESOURCES.stateTable;
  const T0 = Date.parse('2026-11-23T06:01:00Z');
  let documents: DynamoDBDocumentClient;

  beforeAll(() => {
    documents = DynamoDBDocumentClient.from(local.clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  });

  function entry(id: string, targetName = id, reason = 'window business-hours asks 30'): DigestEntry {
    const data = capacityChanged.dataSchema.parse({
      target: 'pool/wspool-store0001',
      targetName,
      kind: 'pool',
      before: 2,
      after: 30,
      reason,
      actor: 'schedule:business-hours',
    });
    return { id, at: T0, ...capacityChangedLine(data), notice: capacityChangedNotice(data) };
  }

  async function item(correlationId: string) {
    const { Item } = await documents.send(new GetCommand({ TableName: table, Key: { pk: DIGEST_PARTITION, sk: correlationId }, ConsistentRead: true }));
    return Item;
  }

  it('gathers the entries of one correlation id in order, settling from the first write', async () => {
    // Act
    const first = await appendToDigest(documents, table, 'tick-order', entry('e1'), T0);
    const second = await appendToDigest(documents, table, 'tick-order', entry('e2'), T0 + 20_000);
    // Assess
    expect([first, second]).toEqual([{ outcome: 'appended' }, { outcome: 'appended' }]);
    const digest = await readDigest(documents, table, 'tick-order');
    expect(digest).toEqual({ correlationId: 'tick-order', firstAt: T0, entries: [entry('e1'), entry('e2')] });
    expect(await item('tick-order')).toMatchObject({ eventIds: new Set(['e1', 'e2']), expiresAt: T0 / 1000 + 86_400 });
  });

  it('stores an event delivered twice once', async () => {
    // Act: the same EventBridge event, delivered again (a Lambda retry, an at-least-once redelivery).
    const outcomes = [
      await appendToDigest(documents, table, 'tick-twice', entry('e1'), T0),
      await appendToDigest(documents, table, 'tick-twice', entry('e1'), T0 + 1000),
      await appendToDigest(documents, table, 'tick-twice', entry('e2'), T0 + 2000),
      await appendToDigest(documents, table, 'tick-twice', entry('e2'), T0 + 3000),
    ];
    // Assess
    expect(outcomes.map((result) => result.outcome)).toEqual(['appended', 'duplicate', 'appended', 'duplicate']);
    expect((await readDigest(documents, table, 'tick-twice'))?.entries.map((stored) => stored.id)).toEqual(['e1', 'e2']);
  });

  it('lists the digests that have settled, oldest first, and leaves the younger ones', async () => {
    // Prepare
    await appendToDigest(documents, table, 'tick-settle-b', entry('b1'), T0 + 10_000);
    await appendToDigest(documents, table, 'tick-settle-a', entry('a1'), T0 + 5_000);
    await appendToDigest(documents, table, 'tick-settle-c', entry('c1'), T0 + 60_000);
    // Act
    const { digests, malformed } = await settledDigests(documents, table, T0 + 30_000);
    // Assess: the earlier tests' digests (firstAt T0) too, all before the cutoff.
    const settled = digests.map((digest) => digest.correlationId);
    expect(settled.filter((id) => id.startsWith('tick-settle'))).toEqual(['tick-settle-a', 'tick-settle-b']);
    expect(digests.map((digest) => digest.firstAt)).toEqual([...digests.map((digest) => digest.firstAt)].sort((a, b) => a - b));
    expect(malformed).toEqual([]);
  });

  it('removes a posted digest whole, so a later event of its tick starts a new one', async () => {
    // Prepare
    await appendToDigest(documents, table, 'tick-remove', entry('r1'), T0);
    await appendToDigest(documents, table, 'tick-remove', entry('r2'), T0);
    const posted = (await readDigest(documents, table, 'tick-remove'))!;
    // Act
    const removed = await removePosted(documents, table, posted, T0 + 120_000);
    const later = await appendToDigest(documents, table, 'tick-remove', entry('r3'), T0 + 600_000);
    // Assess
    expect(removed).toBe('deleted');
    expect(later).toEqual({ outcome: 'appended' });
    expect(await readDigest(documents, table, 'tick-remove')).toEqual({ correlationId: 'tick-remove', firstAt: T0 + 600_000, entries: [entry('r3')] });
  });

  it('keeps an entry that came in while the digest was being posted, settling again from then', async () => {
    // Prepare: read for posting, then one more event of the tick arrives.
    await appendToDigest(documents, table, 'tick-race', entry('x1'), T0);
    await appendToDigest(documents, table, 'tick-race', entry('x2'), T0);
    const posted = (await readDigest(documents, table, 'tick-race'))!;
    await appendToDigest(documents, table, 'tick-race', entry('x3'), T0 + 100_000);
    // Act
    const removed = await removePosted(documents, table, posted, T0 + 120_000);
    // Assess: only the unposted entry is left; a posted event delivered again is still known.
    expect(removed).toBe('kept-newer');
    expect(await readDigest(documents, table, 'tick-race')).toEqual({ correlationId: 'tick-race', firstAt: T0 + 120_000, entries: [entry('x3')] });
    expect(await appendToDigest(documents, table, 'tick-race', entry('x1'), T0 + 130_000)).toEqual({ outcome: 'duplicate' });
  });

  it('says a digest is gone when nothing is stored under it any more', async () => {
    await appendToDigest(documents, table, 'tick-gone', entry('g1'), T0);
    const posted = (await readDigest(documents, table, 'tick-gone'))!;
    await removePosted(documents, table, posted, T0);
    expect(await removePosted(documents, table, posted, T0)).toBe('gone');
  });

  it('refuses an entry the item cannot hold, so the notifier posts it on its own', async () => {
    // Prepare: entries of about 20 KB each (the longest text a notice may have); DynamoDB items end at 400 KB.
    const big = (id: string) => ({ ...entry(id), notice: { ...entry(id).notice, text: 'x'.repeat(20_000) } });
    const outcomes: string[] = [];
    // Act
    for (let index = 0; index < 24; index += 1) outcomes.push((await appendToDigest(documents, table, 'tick-big', big(`big-${index}`), T0)).outcome);
    // Assess: the first ones fit, then each is refused; what is stored stays readable.
    expect(outcomes.slice(0, 15)).toEqual(Array(15).fill('appended'));
    expect(outcomes.at(-1)).toBe('refused');
    const stored = await readDigest(documents, table, 'tick-big');
    expect(stored?.entries.length).toBe(outcomes.filter((outcome) => outcome === 'appended').length);
  });

  it('refuses an entry that would not read back, so it cannot keep its digest from being posted', async () => {
    // A console link whose label passes the notice contract's 200 characters (a target name of 200).
    const broken = { ...entry('unreadable'), notice: { ...entry('unreadable').notice, link: { url: 'https://console.aws.amazon.com/workspaces', text: 'x'.repeat(250) } } };
    const result = await appendToDigest(documents, table, 'tick-unreadable', broken, T0);
    expect(result).toEqual({ outcome: 'refused', reason: expect.stringContaining('the entry would not read back') });
    expect(await readDigest(documents, table, 'tick-unreadable')).toBeUndefined();
  });

  it('refuses a correlation id too long to be a key', async () => {
    const result = await appendToDigest(documents, table, `tick-${'x'.repeat(1100)}`, entry('long'), T0);
    expect(result).toEqual({ outcome: 'refused', reason: expect.stringContaining('longer than a key may be') });
  });
});
