import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capacityChanged, capacityChangeFailed, scalingConflict } from '#lib/events/capacity-events.ts';
import type { Severity } from '#lib/events/operator-notice.ts';
import {
  capacityChangedLine,
  capacityChangedNotice,
  capacityChangeFailedLine,
  capacityChangeFailedNotice,
  scalingConflictLine,
  scalingConflictNotice,
} from '#lib/notify/capacity-notices.ts';
import { DIGEST_LINES_SHOWN, digestToSlack, type Digest, type DigestEntry } from '#lib/notify/digest.ts';
import { noticeToSlack, SLACK_LIMITS, type SlackBlock } from '#lib/notify/slack-message.ts';

const T0 = Date.parse('2026-11-23T06:01:00Z');

/** A Capacity Changed of a tick as the notifier stores it: its line and its own notice. */
function changed(index: number, extra: Partial<Parameters<typeof capacityChanged.dataSchema.parse>[0]> = {}): DigestEntry {
  const data = capacityChanged.dataSchema.parse({
    target: `pool/wspool-digest${String(index).padStart(3, '0')}`,
    targetName: `pool_${index}`,
    kind: 'pool',
    before: 2,
    after: 30,
    reason: 'window business-hours asks 30',
    actor: 'schedule:business-hours',
    ...extra,
  });
  return { id: `event-${index}`, at: T0 + index, ...capacityChangedLine(data), notice: capacityChangedNotice(data) };
}

function failed(index: number): DigestEntry {
  const data = capacityChangeFailed.dataSchema.parse({
    target: `fleet/apps-${index}`,
    targetName: `apps-${index}`,
    kind: 'fleet',
    before: 1,
    after: 6,
    unit: 'instances',
    reason: 'window business-hours asks 6',
    actor: 'schedule:business-hours',
    error: 'fleet apps did not reach 6 in 30 min: 2 up, 2 available',
  });
  return { id: `failed-${index}`, at: T0 + 1000 + index, ...capacityChangeFailedLine(data), notice: capacityChangeFailedNotice(data) };
}

function conflict(index: number): DigestEntry {
  const data = scalingConflict.dataSchema.parse({
    target: `fleet/scaled-${index}`,
    targetName: `scaled-${index}`,
    kind: 'fleet',
    before: 3,
    after: 3,
    reason: 'Application Auto Scaling manages it',
    actor: 'schedule:policy-reporting',
    owner: 'Application Auto Scaling (appstream:fleet:DesiredCapacity)',
  });
  return { id: `conflict-${index}`, at: T0 + 2000 + index, ...scalingConflictLine(data), notice: scalingConflictNotice(data) };
}

const digestOf = (entries: DigestEntry[]): Digest => ({ correlationId: 'tick-2026-11-23T06:01:00Z', firstAt: T0, entries });

function texts(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (block.type === 'header') return [block.text.text];
    if (block.type === 'context') return block.elements.map((element) => element.text);
    return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((field) => field.text)];
  });
}

function withinLimits(blocks: readonly SlackBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const block of blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (block.type === 'context') {
      expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const element of block.elements) expect(element.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
  }
}

describe('a tick digest as one Slack message', () => {
  it('posts a digest of one entry as that entry’s own message, with no "1 change" wrapper', () => {
    const [entry] = [changed(1)];
    const post = digestToSlack(digestOf([entry!]));
    expect(post).toEqual({ severity: 'info', title: 'Scaled pool pool_1 2 → 30', message: noticeToSlack(entry!.notice) });
  });

  it('counts the scaled targets in the title and names each with before → after in a line of its own', () => {
    // Prepare: 12 pools scaled by one tick.
    const entries = Array.from({ length: 12 }, (_, index) => changed(index + 1));
    // Act
    const { severity, title, message } = digestToSlack(digestOf(entries));
    // Assess
    expect(title).toBe('Scaled 12 pools');
    expect(severity).toBe('info');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Scaled 12 pools', emoji: true } });
    const body = texts(message.blocks).join('\n');
    for (let index = 1; index <= 12; index += 1) expect(body).toContain(`• Scaled pool pool_${index} 2 → 30 sessions: window business-hours asks 30`);
    expect(body).not.toContain('more;');
    expect(body).toContain('12 notices');
    expect(body).toContain('correlation: tick-2026-11-23T06:01:00Z');
    // The notification text: the title and the first three lines.
    expect(message.text).toMatch(/^:information_source: Scaled 12 pools — Scaled pool pool_1 2 → 30 .*; Scaled pool pool_3 2 → 30 [^;]*; …$/);
  });

  it('says "pools and fleets" when both kinds were scaled', () => {
    const fleet = changed(2, { target: 'fleet/office-apps', targetName: 'office-apps', kind: 'fleet', unit: 'instances' });
    expect(digestToSlack(digestOf([changed(1), fleet])).title).toBe('Scaled 2 pools and fleets');
  });

  it('names every kind of outcome in the title, worst first, and takes the worst severity for the webhook', () => {
    const { severity, title, message } = digestToSlack(digestOf([changed(1), changed(2), conflict(1), failed(1)]));
    expect(title).toBe('Could not scale 1 fleet, left 1 fleet to another scaler, scaled 2 pools');
    expect(severity).toBe('critical');
    // The failure's line comes first, with its error; the conflict's next.
    const lines = texts(message.blocks.filter((block) => block.type === 'section')).join('\n').split('\n');
    expect(lines[0]).toBe(':rotating_light: Could not scale fleet apps-1 1 → 6 instances: fleet apps did not reach 6 in 30 min: 2 up, 2 available');
    expect(lines[1]).toBe(':warning: Left fleet scaled-1 alone: Application Auto Scaling (appstream:fleet:DesiredCapacity) manages it');
    expect(lines.slice(2)).toEqual([expect.stringContaining('pool_1'), expect.stringContaining('pool_2')]);
  });

  it(`shows at most ${DIGEST_LINES_SHOWN} lines and folds the rest into a count with the audit command that lists them`, () => {
    const entries = Array.from({ length: DIGEST_LINES_SHOWN + 7 }, (_, index) => changed(index + 1));
    const { title, message } = digestToSlack(digestOf(entries));
    expect(title).toBe(`Scaled ${DIGEST_LINES_SHOWN + 7} pools`);
    const body = texts(message.blocks).join('\n');
    expect(body.match(/^• /gm)).toHaveLength(DIGEST_LINES_SHOWN);
    expect(body).toContain('…and 7 more; `autopilot audit --since 2026-11-23T06:01Z` has them all');
    expect(body).not.toContain(`pool_${DIGEST_LINES_SHOWN + 1} `);
  });

  it('keeps a failure visible when the scaled pools alone would fill the lines', () => {
    const entries = [...Array.from({ length: 30 }, (_, index) => changed(index + 1)), failed(1)];
    const body = texts(digestToSlack(digestOf(entries)).message.blocks).join('\n');
    expect(body).toContain('Could not scale fleet apps-1');
    expect(body).toContain('…and 11 more');
  });

  it('escapes the lines, so a reason cannot forge mentions or links', () => {
    const entries = [changed(1, { reason: '<!channel> & <https://evil.example|click>' }), changed(2)];
    const body = texts(digestToSlack(digestOf(entries)).message.blocks).join('\n');
    expect(body).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(body).not.toContain('<!channel>');
  });

  it('stays within Block Kit limits for any number of entries with any reasons', () => {
    const reason = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2000 });
    fc.assert(
      fc.property(fc.array(fc.tuple(reason, fc.constantFrom<Severity>('info', 'critical')), { minLength: 2, maxLength: 120 }), (specs) => {
        const entries = specs.map(([text, severity], index) => (severity === 'critical' ? { ...failed(index), line: text } : changed(index, { reason: text })));
        const { message } = digestToSlack(digestOf(entries));
        withinLimits(message.blocks);
        expect(message.text.length).toBeLessThanOrEqual(3000);
        const shown = texts(message.blocks.filter((block) => block.type === 'section')).join('\n').split('\n');
        expect(shown).toHaveLength(Math.min(entries.length, DIGEST_LINES_SHOWN));
      }),
      { numRuns: 60 },
    );
  });
});
