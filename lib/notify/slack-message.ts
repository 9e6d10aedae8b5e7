import type { OperatorNotice, Severity } from '#lib/events/operator-notice.ts';

/**
 * Turns a notice into a Slack Block Kit message that always fits Slack's limits, truncating with
 * an ellipsis rather than being rejected: header text ≤ 150 characters, section text ≤ 3,000,
 * ≤ 10 fields a section of ≤ 2,000 each, ≤ 10 context elements, ≤ 50 blocks, and a plain-text
 * fallback (`text`, shown in notifications) kept under 3,000.
 */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  blocks: 50,
  fallbackText: 3000,
} as const;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

type Text = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: Text }
  | { type: 'section'; text?: Text; fields?: Text[] }
  | { type: 'context'; elements: Text[] };

const ICONS: Record<Severity, string> = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' };

export function noticeToSlack(notice: OperatorNotice): SlackMessage {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${notice.title}`, SLACK_LIMITS.headerText), emoji: true } },
  ];
  if (notice.text.trim() !== '') {
    blocks.push({ type: 'section', text: mrkdwn(escape(notice.text), SLACK_LIMITS.sectionText) });
  }
  for (const chunk of chunks(notice.facts, SLACK_LIMITS.fieldsPerSection)) {
    blocks.push({
      type: 'section',
      fields: chunk.map((fact) => mrkdwn(`*${escape(fact.label)}*\n${escape(fact.value)}`, SLACK_LIMITS.fieldText)),
    });
  }
  if (notice.link) {
    // The URL is checked by the contract (https, no spaces, |, < or >), so only the label needs escaping.
    blocks.push({ type: 'section', text: mrkdwn(`<${notice.link.url}|${escape(notice.link.text)}>`, SLACK_LIMITS.sectionText) });
  }
  const context = [
    `${ICONS[notice.severity]} ${notice.severity}`,
    notice.target && `target: ${escape(notice.target)}`,
    notice.actor && `by: ${escape(notice.actor)}`,
  ].filter((part): part is string => Boolean(part));
  blocks.push({ type: 'context', elements: context.slice(0, SLACK_LIMITS.contextElements).map((part) => mrkdwn(part, SLACK_LIMITS.fieldText)) });

  const kept = blocks.length > SLACK_LIMITS.blocks ? [...blocks.slice(0, SLACK_LIMITS.blocks - 1), overflowNote(blocks.length - SLACK_LIMITS.blocks + 1)] : blocks;
  const fallback = `${ICONS[notice.severity]} ${notice.title}${notice.text ? ` — ${notice.text}` : ''}`;
  return { text: truncate(fallback, SLACK_LIMITS.fallbackText), blocks: kept };
}

function overflowNote(omitted: number): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${omitted} more block(s) not shown` }] };
}

function mrkdwn(text: string, limit: number): Text {
  return { type: 'mrkdwn', text: truncate(text, limit) };
}

/** Slack mrkdwn needs &, < and > escaped, or user text could forge links and mentions. */
function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function truncate(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
