import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actualSessions,
  CREATING_MS,
  defaultTimings,
  DELETING_MS,
  enter,
  PROVISIONING_RATE_PER_MINUTE,
  settle,
  usableSessions,
  type Lifecycle,
  type PoolState,
} from '#local/services/workspaces/pool-lifecycle.ts';

/** Unit and property tests of the pool lifecycle the WorkSpaces Pools emulator replays lazily. */
const T0 = Date.parse('2026-11-23T06:00:00Z');
const MINUTE = 60_000;

function pool(state: PoolState, desired: number, rate = PROVISIONING_RATE_PER_MINUTE): Lifecycle {
  const serving = state === 'RUNNING' || state === 'UPDATING';
  const lifecycle: Lifecycle = {
    id: 'wspool-lifecycl1',
    state,
    desired,
    actual: serving ? desired : 0,
    sessions: [],
    sessionsStarted: 0,
    settledAt: T0,
    timings: { ...defaultTimings(), provisioningRatePerMinute: rate },
  };
  enter(lifecycle, state, T0);
  return lifecycle;
}

const constant = (sessions: number) => () => sessions;

describe('the pool lifecycle', () => {
  it('is RUNNING with no capacity once the creation time is over, then provisions at the rate', () => {
    // Prepare
    const creating = pool('CREATING', 25);
    // Act
    settle(creating, T0 + CREATING_MS - 1, constant(0));
    const stateBefore = creating.state;
    settle(creating, T0 + CREATING_MS + 2 * MINUTE, constant(0));
    // Assess
    expect(stateBefore).toBe('CREATING');
    expect(creating.state).toBe('RUNNING');
    expect(actualSessions(creating)).toBe(2 * PROVISIONING_RATE_PER_MINUTE);
  });

  it('is gone once the deletion time is over', () => {
    const deleting = pool('DELETING', 5);
    expect(settle(deleting, T0 + DELETING_MS - 1, constant(0))).toBe(true);
    expect(settle(deleting, T0 + DELETING_MS, constant(0))).toBe(false);
  });

  it('counts a slot while scaling out only once it is fully provisioned', () => {
    const scalingOut = pool('RUNNING', 0, 4);
    scalingOut.desired = 10;
    settle(scalingOut, T0 + 59_000, constant(0));
    expect(actualSessions(scalingOut)).toBe(3);
  });

  it('reads the same whether it is settled once or minute by minute', () => {
    // Prepare
    const readOnce = pool('RUNNING', 3, 2);
    const readOften = pool('RUNNING', 3, 2);
    const demand = (at: number) => (at < T0 + 5 * MINUTE ? 3 : 1);
    for (const p of [readOnce, readOften]) p.desired = 12;
    // Act
    for (let minute = 1; minute <= 10; minute++) settle(readOften, T0 + minute * MINUTE, demand);
    settle(readOnce, T0 + 10 * MINUTE, demand);
    // Assess
    expect(readOften).toEqual(readOnce);
  });

  it('starts no session on a slot that is still being drained, so reversing the drain ends none', () => {
    const running = pool('RUNNING', 0, 7);
    settle(running, T0, constant(1));
    running.desired = 1;
    settle(running, T0 + 5_000, constant(1)); // 0.58 of a slot built
    running.desired = 0;
    settle(running, T0 + 6_000, constant(1)); // draining: reported as 1, usable 0
    expect(actualSessions(running)).toBe(1);
    expect(running.sessions).toHaveLength(0);
    running.desired = 1;
    settle(running, T0 + 7_000, constant(1));
    expect(running.sessions).toHaveLength(0);
    settle(running, T0 + 20_000, constant(1));
    expect(running.sessions).toHaveLength(1);
  });

  it('never ends a session in use to scale in, whatever the desired capacity does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.record({ desired: fc.integer({ min: 0, max: 60 }), seconds: fc.integer({ min: 0, max: 900 }) }), {
          maxLength: 12,
        }),
        (initial, demand, changes) => {
          const running = pool('RUNNING', initial, 7);
          settle(running, T0, constant(demand));
          let inUse = running.sessions.length;
          let now = T0;
          for (const change of changes) {
            running.desired = change.desired;
            now += change.seconds * 1000;
            settle(running, now, constant(demand));
            // With demand constant, sessions only ever start: none is ended to free capacity.
            expect(running.sessions.length).toBeGreaterThanOrEqual(inUse);
            expect(actualSessions(running)).toBeGreaterThanOrEqual(running.sessions.length);
            // New sessions start only on fully provisioned slots.
            expect(running.sessions.length).toBe(Math.max(inUse, Math.min(demand, usableSessions(running))));
            inUse = running.sessions.length;
          }
        },
      ),
    );
  });

  it('converges to the desired capacity once users leave room for it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 30 }),
        (from, to, rate) => {
          const running = pool('RUNNING', from, rate);
          running.desired = to;
          const minutesNeeded = Math.ceil(Math.abs(to - from) / rate);
          settle(running, T0 + minutesNeeded * MINUTE, constant(0));
          expect(actualSessions(running)).toBe(to);
        },
      ),
    );
  });
});
