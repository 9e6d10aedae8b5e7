import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { emptyState, readStates, StaleStateError, writeState } from '#lib/state/target-state.ts';
import { useLocalCloud } from '#test/support/cloud.ts';

describe('target state', () => {
  const local = useLocalCloud();
  const table = 'euc-autopilot-local-state';
  const documents = () => DynamoDBDocumentClient.from(local.clients.dynamodb);

  it('reads a target never written as an empty state at version 0', async () => {
    const states = await readStates(documents(), table, ['pool/wspool-never0001']);
    expect(states.get('pool/wspool-never0001')).toEqual(emptyState('pool/wspool-never0001'));
  });

  it('lets only the first of two overlapping runs write the next state', async () => {
    const [read] = (await readStates(documents(), table, ['fleet/race'])).values();
    const change = { usageRecommendations: [], lastChange: { at: 1, from: 2, to: 40, cause: 'schedule' as const } };
    const first = await writeState(documents(), table, read!, change);
    await expect(writeState(documents(), table, read!, change)).rejects.toBeInstanceOf(StaleStateError);
    expect(first.version).toBe(1);
    const second = await writeState(documents(), table, first, { ...change, lastUsageScaleOutAt: 5 });
    expect((await readStates(documents(), table, ['fleet/race'])).get('fleet/race')).toEqual(second);
  });

  it('reads more targets than one BatchGetItem call takes', async () => {
    const targets = Array.from({ length: 130 }, (_, i) => `pool/wspool-many${String(i).padStart(5, '0')}`);
    for (const target of targets.slice(0, 3)) await writeState(documents(), table, emptyState(target), { usageRecommendations: [{ at: 1, value: 3 }] });
    const states = await readStates(documents(), table, targets);
    expect(states.size).toBe(130);
    expect(states.get(targets[2]!)?.version).toBe(1);
    expect(states.get(targets[129]!)?.version).toBe(0);
  });
});
