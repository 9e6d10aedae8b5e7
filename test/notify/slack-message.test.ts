import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OperatorNotice } from '#lib/events/operator-notice.ts';
import { noticeToSlack, SLACK_LIMITS, type SlackBlock } from '#lib/notify/slack-message.ts';

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

  it('always fits Block Kit limits, whatever the notice holds', () => {
    const anyNotice = fc.record({
      severity: fc.constantFrom('info', 'warning', 'critical') as fc.Arbitrary<OperatorNotice['severity']>,
      title: fc.string({ minLength: 1, maxLength: 500 }),
      text: fc.string({ maxLength: 20_000 }),
      facts: fc.array(fc.record({ label: fc.string({ minLength: 1, maxLength: 50 }), value: fc.string({ maxLength: 3000 }) }), { maxLength: 50 }),
      target: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
      actor: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(anyNotice, (generated) => {
        const message = noticeToSlack(generated);
        expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
        expect([...message.text].length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
        for (const block of message.blocks) {
          if (block.type === 'header') expect([...block.text.text].length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
          if (block.type === 'section') {
            if (block.text) expect([...block.text.text].length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
            expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
            for (const field of block.fields ?? []) expect([...field.text].length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
          }
          if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
        }
      }),
      { numRuns: 200 },
    );
  });
});
