import { describe, expect, it } from 'vitest';
import { executionName } from '#lib/capacity/reconcile.ts';

/** The capacity-change workflow's execution names: one per target and minute, valid for Step Functions. */
describe('executionName', () => {
  const now = Date.parse('2026-12-01T09:00:30Z');
  const valid = /^[A-Za-z0-9_-]{1,80}$/;

  it('keeps apart fleets whose names differ only in what the name cannot hold', () => {
    const dotted = executionName({ kind: 'fleet', id: 'office.apps' }, now);
    const underscored = executionName({ kind: 'fleet', id: 'office_apps' }, now);
    expect(dotted).not.toBe(underscored);
    expect([dotted, underscored]).toEqual([expect.stringMatching(valid), expect.stringMatching(valid)]);
  });

  it('keeps apart long fleet names that share their first 66 characters, within 80 characters', () => {
    const shared = 'a'.repeat(70);
    const one = executionName({ kind: 'fleet', id: `${shared}-one` }, now);
    const two = executionName({ kind: 'fleet', id: `${shared}-two` }, now);
    expect(one).not.toBe(two);
    expect([one, two]).toEqual([expect.stringMatching(valid), expect.stringMatching(valid)]);
  });

  it('is the same for the same target and minute, so a retried tick starts the execution once', () => {
    const name = executionName({ kind: 'pool', id: 'wspool-abc123def' }, now);
    expect(executionName({ kind: 'pool', id: 'wspool-abc123def' }, now + 20_000)).toBe(name);
    expect(name).toMatch(/^pool-wspool-abc123def-[0-9a-f]{8}-202612010900$/);
  });
});
