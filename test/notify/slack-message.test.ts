import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OperatorNotice } from '#lib/events/operator-notice.ts';
import { FALLBACK_TEXT_KEPT, noticeToSlack, SLACK_LIMITS, type SlackBlock, type SlackMessage } from '#lib/notify/slack-message.ts';

const notice = (overrides: Partial<OperatorNotice> = {}): OperatorNotice => ({
  severity: 'info',
  title: 'Scaled pool sales-desktops 10 → 40',
  text: 'Business hours window "weekday-mornings" starts at 08:00 Europe/Berlin.',
  facts: [
    { label: 'Before', value: '10' },
    { label: 'After', value: '40' },
  ],
  target: 'pool/wspool-abc123def',
  actor: 'euc-autopilot',
  ...overrides,
});

function textsOf(block: SlackBlock): string[] {
  if (block.type === 'header') return [block.text.text];
  if (block.type === 'context') return block.elements.map((element) => element.text);
  return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((field) => field.text)];
}

/** No lone surrogate: no character was cut in half. */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function headerOf(message: SlackMessage): string {
  const header = message.blocks[0];
  if (header?.type !== 'header') throw new Error('the first block is not a header');
  return header.text.text;
}

describe('a notice as a Slack message', () => {
  it('reads as a header, the text, the facts side by side and who did it', () => {
    const message = noticeToSlack(notice());
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(textsOf(message.blocks[2]!)).toEqual(['*Before*\n10', '*After*\n40']);
    expect(textsOf(message.blocks[3]!).join(' ')).toContain('by: euc-autopilot');
    expect(message.text).toContain('Scaled pool sales-desktops 10 → 40');
  });

  it('escapes user text so it cannot forge mentions or links', () => {
    const message = noticeToSlack(notice({ text: '<!channel> & <https://evil.example|click>' }));
    expect(textsOf(message.blocks[1]!)[0]).toBe('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
  });

  it('shows a link as a Slack link whose label cannot forge mentions', () => {
    const message = noticeToSlack(notice({ link: { url: 'https://console.aws.amazon.com/appstream2', text: '<!here> console' } }));
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(textsOf(message.blocks[3]!)).toEqual(['<https://console.aws.amazon.com/appstream2|&lt;!here&gt; console>']);
  });

  it('keeps a title of 150 characters whole and cuts a longer one to 150 with an ellipsis', () => {
    expect(headerOf(noticeToSlack(notice({ title: 'a'.repeat(150) })))).toBe('a'.repeat(150));
    expect(headerOf(noticeToSlack(notice({ title: 'a'.repeat(151) })))).toBe(`${'a'.repeat(149)}…`);
  });

  it('never cuts an emoji in half', () => {
    // 148 letters, then an emoji of two UTF-16 units across the cut at 149.
    const header = headerOf(noticeToSlack(notice({ title: `${'a'.repeat(148)}🚨🚨 and more` })));
    expect(header).toBe(`${'a'.repeat(148)}…`);
    expect(wellFormed(header)).toBe(true);
  });

  it('never leaves half an escape at a cut', () => {
    const text = textsOf(noticeToSlack(notice({ text: `${'a'.repeat(2997)}& more` })).blocks[1]!)[0]!;
    expect(text).toBe(`${'a'.repeat(2997)}…`);
  });

  it('cuts a long link label, never the link itself', () => {
    const url = `https://console.aws.amazon.com/${'p'.repeat(1969)}`; // 2,000 characters, the contract's longest
    const message = noticeToSlack(notice({ link: { url, text: '&'.repeat(200) } }));
    const link = textsOf(message.blocks[3]!)[0]!;
    expect(link.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(link).toMatch(new RegExp(`^<${url}\\|(&amp;)+…>$`));
  });

  it('escapes the fallback text too, so a notification cannot ping the channel', () => {
    const message = noticeToSlack(notice({ title: '<!channel> scaled', text: 'see <!here>' }));
    expect(message.text).toBe(':information_source: &lt;!channel&gt; scaled — see &lt;!here&gt;');
  });

  it('shows as many facts as 50 blocks hold, says how many it left out, and keeps severity, target and actor', () => {
    // Prepare: 600 facts would take 60 sections.
    const facts = Array.from({ length: 600 }, (_, index) => ({ label: `Fact ${index}`, value: String(index) }));
    // Act
    const message = noticeToSlack(notice({ facts, link: { url: 'https://console.aws.amazon.com/', text: 'Console' } }));
    // Assess: header, text, 45 fact sections, the note, the link, the context.
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks.filter((block) => block.type === 'section' && block.fields)).toHaveLength(45);
    expect(textsOf(message.blocks[47]!)).toEqual(['…and 150 more facts not shown']);
    expect(textsOf(message.blocks.at(-1)!).join(' ')).toContain('by: euc-autopilot');
  });

  it('gives a header to a title of blanks, which Slack would refuse', () => {
    expect(headerOf(noticeToSlack(notice({ title: '   ', severity: 'critical' })))).toBe('Notice (critical)');
  });
});

/** Text of every kind: ASCII, Slack's special characters, any Unicode (emoji, scripts, combining marks). */
const anyText = (maxLength: number, minLength = 0) =>
  fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: fc.constantFrom('&', '<', '>', '*', '_', '|', 'a', ' ', '\n', '🚨', 'é') }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
    fc.string({ minLength, maxLength, unit: 'binary' }),
  );

/** Notices as producers might make them, and beyond what the contract allows (longer titles, hundreds of facts). */
const anyNotice: fc.Arbitrary<OperatorNotice> = fc.record(
  {
    severity: fc.constantFrom('info', 'warning', 'critical'),
    title: anyText(2000, 1),
    text: anyText(20_000),
    facts: fc.oneof(
      fc.array(fc.record({ label: anyText(300, 1), value: anyText(3000) }), { maxLength: 50 }),
      fc.array(fc.record({ label: anyText(20, 1), value: anyText(20) }), { minLength: 400, maxLength: 700 }),
    ),
    target: fc.option(anyText(3000), { nil: undefined }),
    actor: fc.option(anyText(3000), { nil: undefined }),
    link: fc.option(
      fc.record({
        url: fc.stringMatching(/^[a-z0-9/.-]{0,1970}$/).map((path) => `https://console.aws.amazon.com/${path}`),
        text: anyText(200, 1),
      }),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['severity', 'title', 'text', 'facts'] },
);

function allTexts(blocks: SlackBlock[]): string[] {
  return blocks.flatMap(textsOf);
}

/** The texts Slack reads as mrkdwn: every block's but the header's (plain text), and the fallback. */
function mrkdwnTexts(message: SlackMessage): string[] {
  return [message.text, ...message.blocks.filter((block) => block.type !== 'header').flatMap(textsOf)];
}

describe('Block Kit limits, over any notice', () => {
  const runs = { numRuns: 150 };

  it('never has more than 50 blocks, and always ends with the severity', () => {
    fc.assert(
      fc.property(anyNotice, (generated) => {
        const { blocks } = noticeToSlack(generated);
        expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
        const last = blocks.at(-1);
        expect(last?.type === 'context' && last.elements[0]?.text).toContain(generated.severity);
      }),
      runs,
    );
  });

  it('keeps the header to 150 characters, never empty', () => {
    fc.assert(
      fc.property(anyNotice, (generated) => {
        const header = headerOf(noticeToSlack(generated));
        expect(header.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
        expect(header.trim()).not.toBe('');
      }),
      runs,
    );
  });

  it('keeps section text to 3,000 and fields to 10 a section of 2,000 each', () => {
    fc.assert(
      fc.property(anyNotice, (generated) => {
        for (const block of noticeToSlack(generated).blocks) {
          if (block.type !== 'section') continue;
          expect(block.text !== undefined || block.fields !== undefined).toBe(true);
          if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
          expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
          for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
        }
      }),
      runs,
    );
  });

  it('keeps context to 10 elements of 2,000 each', () => {
    fc.assert(
      fc.property(anyNotice, (generated) => {
        for (const block of noticeToSlack(generated).blocks) {
          if (block.type !== 'context') continue;
          expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
          for (const element of block.elements) expect(element.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
        }
      }),
      runs,
    );
  });

  it('keeps the fallback text under 40,000 (and to the 3,000 it keeps)', () => {
    fc.assert(
      fc.property(anyNotice, (generated) => {
        const { text } = noticeToSlack(generated);
        expect(text.length).toBeLessThanOrEqual(FALLBACK_TEXT_KEPT);
        expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
      }),
      runs,
    );
  });

  it('shows or counts every fact', () => {
    fc.assert(
      fc.property(anyNotice, (generated) => {
        const { blocks } = noticeToSlack(generated);
        const shown = blocks.reduce((count, block) => count + (block.type === 'section' ? (block.fields ?? []).length : 0), 0);
        const note = /^…and (\d+) more facts? not shown$/.exec(allTexts(blocks).find((text) => text.startsWith('…and ')) ?? '');
        expect(shown + Number(note?.[1] ?? 0)).toBe(generated.facts.length);
      }),
      runs,
    );
  });

  it('never splits a character or an escape, never lets user text open a link or a mention, never cuts a link', () => {
    fc.assert(
      fc.property(anyNotice, (generated) => {
        const message = noticeToSlack(generated);
        expect(wellFormed(headerOf(message))).toBe(true);
        for (const text of mrkdwnTexts(message)) {
          expect(wellFormed(text)).toBe(true);
          // Every & starts a whole escape; the only < is a link the formatter made.
          expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
          expect(text.replace(/^<https:\/\/console\.aws\.amazon\.com\/[a-z0-9/.-]*\|[^<>]*>$/, '')).not.toMatch(/[<>]/);
        }
        if (generated.link) expect(allTexts(message.blocks)).toContainEqual(expect.stringMatching(new RegExp(`^<${generated.link.url}\\|.*>$`, 's')));
      }),
      runs,
    );
  });
});
