import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWorkspacesApiCall } from '#lib/apps/cloudtrail.ts';
import { parseCapacityApiCall } from '#lib/capacity/cloudtrail.ts';
import { MAX_EVENT_BYTES } from '#lib/events/cloudtrail-call.ts';
import { captureOutput, lambdaContext } from '#test/support/handler.ts';
import { cloudTrailBases } from './corpus.ts';
import { mutate, mutationOf } from './mutations.ts';
import { useReactorHandler } from './reactor.ts';

/**
 * Fuzzing the CloudTrail event parsers (lib/apps/cloudtrail.ts, lib/capacity/cloudtrail.ts, both
 * on lib/events/cloudtrail-call.ts) and the reactor on what they refuse. Whatever comes in, each
 * answers — a call that keeps the limits CloudTrail keeps, or a refusal of a known kind whose
 * detail starts with the path of the field at fault and fits a log line — and never throws.
 * Fixed seed, a few hundred runs each: the same inputs every run, a few seconds in all.
 */
const SEED = 20261123;
const RUNS = 300;
const REASONS = ['malformed', 'unsupported-event', 'failed-call'];
/** A failure detail starts with where: `event`, `detail-type`, `detail.requestParameters.workspaceId`, … */
const STARTS_WITH_PATH = /^[A-Za-z_$][\w$-]*(\.[^\s:.]+)*: /;
const MAX_DETAIL = 4096;

const parsers = { parseWorkspacesApiCall, parseCapacityApiCall };
const bases = cloudTrailBases();

function assertAnswered(event: unknown): void {
  for (const [name, parse] of Object.entries(parsers)) {
    const parsed = parse(event);
    if (parsed.ok) {
      const { call } = parsed;
      expect(call.eventId, name).toMatch(/\S/);
      expect(Number.isFinite(call.at), name).toBe(true);
      if ('workspaceIds' in call) {
        expect(call.workspaceIds.length, name).toBeLessThanOrEqual(25);
        for (const id of call.workspaceIds) expect(id, name).toMatch(/^ws-[0-9a-z]{8,63}$/);
      } else {
        expect(call.target.id, name).toMatch(/\S/);
        if (call.capacity !== undefined) expect(Number.isSafeInteger(call.capacity) && call.capacity >= 0, name).toBe(true);
      }
    } else {
      expect(REASONS, name).toContain(parsed.reason);
      expect(parsed.detail, name).toMatch(STARTS_WITH_PATH);
      expect(parsed.detail.length, name).toBeLessThanOrEqual(MAX_DETAIL);
    }
  }
}

describe('the CloudTrail parsers, fuzzed', () => {
  it('answer arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), assertAnswered), { numRuns: RUNS, seed: SEED });
  });

  it('answer arbitrary JavaScript values (undefined, NaN, symbols, odd prototypes)', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withSparseArray: true }), assertAnswered), {
      numRuns: RUNS,
      seed: SEED,
    });
  });

  it('answer a valid event with one place deleted, replaced, renamed to PascalCase, inflated or retyped', () => {
    const mutated = fc.constantFrom(...bases).chain(({ event }) => mutationOf(event, MAX_EVENT_BYTES + 1024).map(({ path, mutation }) => mutate(event, path, mutation)));
    fc.assert(fc.property(mutated, assertAnswered), { numRuns: RUNS, seed: SEED });
  });
});

describe('the CloudTrail parsers on lists of WorkSpaces of any length', () => {
  it('take a StartWorkspaces of 1 to 25 distinct WorkSpaces and refuse a longer one, naming the list', () => {
    const start = bases.find(({ name }) => name.endsWith('start-workspaces.json'))!.event as { detail: { requestParameters: unknown } };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), (count) => {
        const event = structuredClone(start);
        event.detail.requestParameters = { startWorkspaceRequests: Array.from({ length: count }, (_, index) => ({ workspaceId: `ws-${index.toString(36).padStart(9, '0')}` })) };
        const parsed = parseWorkspacesApiCall(event);
        if (count <= 25) expect(parsed.ok && parsed.call.workspaceIds.length).toBe(count);
        else expect(!parsed.ok && parsed.detail).toBe('detail.requestParameters.startWorkspaceRequests: lists more than 25 WorkSpaces, the most one call takes');
      }),
      { numRuns: 100, seed: SEED, examples: [[25], [26]] },
    );
  });
});

describe('the cloudtrail-reactor handler, fuzzed with what its parsers refuse', () => {
  const handler = useReactorHandler();

  it('answers the refusal and never throws (a throw would be retried by Lambda)', async () => {
    // Mutations the parsers accept would reach AWS (a port nothing listens on): they are the
    // parsers' property above, not this one's.
    const refused = fc
      .constantFrom(...bases)
      .chain(({ event }) => mutationOf(event, MAX_EVENT_BYTES + 1024).map(({ path, mutation }) => mutate(event, path, mutation)))
      .filter((event) => !parseWorkspacesApiCall(event).ok && !parseCapacityApiCall(event).ok);
    const output = captureOutput();
    try {
      await fc.assert(
        fc.asyncProperty(refused, async (event) => {
          const result = await handler(event, lambdaContext('cloudtrailReactor'));
          expect(REASONS).toContain(result.event);
          expect(result.reactions).toEqual([]);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    } finally {
      output.restore();
    }
  });
});
