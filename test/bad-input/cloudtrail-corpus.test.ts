import { describe, expect, it } from 'vitest';
import { parseWorkspacesApiCall } from '#lib/apps/cloudtrail.ts';
import { parseCapacityApiCall } from '#lib/capacity/cloudtrail.ts';
import { captureOutput, lambdaContext } from '#test/support/handler.ts';
import { cloudTrailBases, cloudTrailCorpus } from './corpus.ts';
import { useReactorHandler } from './reactor.ts';

/**
 * The malformed CloudTrail corpus (test/fixtures/bad-input/cloudtrail/) through the real
 * cloudtrail-reactor handler, with AWS at a port nothing listens on (test/support/handler.ts): an
 * event that got as far as an AWS call would make the handler throw. Each one must be answered
 * (never thrown, so Lambda does not retry it) with its outcome, and logged in one bounded line
 * that names the field at fault.
 */
const corpus = cloudTrailCorpus();

/** Well above any honest log line, far below an event's 256 KB. */
const MAX_LOG_LINE = 4096;

describe('the bad CloudTrail corpus', () => {
  it.each(cloudTrailBases())('mutates a valid event: $name parses', ({ event }) => {
    const parsed = parseWorkspacesApiCall(event);
    expect(parsed.ok || parseCapacityApiCall(event).ok).toBe(true);
  });

  it('covers every way the reactor refuses an event', () => {
    const outcomes = new Set(corpus.map((entry) => entry.expect.outcome));
    expect([...outcomes].sort()).toEqual(['failed-call', 'foreign', 'malformed', 'unsupported-event']);
  });
});

describe('the cloudtrail-reactor handler on the bad CloudTrail corpus', () => {
  const handler = useReactorHandler();

  it.each(corpus)('$name ($about): answers $expect.outcome and logs why', async ({ event, expect: expected }) => {
    // Prepare
    const input = event();
    const output = captureOutput();

    // Act
    let result;
    try {
      result = await handler(input, lambdaContext('cloudtrailReactor'));
    } finally {
      output.restore();
    }

    // Assess
    expect(result).toEqual({ event: expected.outcome, reactions: [] });
    const lines = output.written.join('').split('\n').filter(Boolean);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAX_LOG_LINE);
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const refusal = logged.find((line) => typeof line.detail === 'string' || typeof line.foreign === 'string');
    expect(refusal, `no refusal among: ${lines.join('\n')}`).toBeDefined();
    expect(String(refusal?.detail ?? refusal?.foreign)).toContain(expected.says);
    expect(refusal?.level).toBe({ malformed: 'ERROR', foreign: 'WARN' }[expected.outcome as string] ?? 'INFO');
  });
});
