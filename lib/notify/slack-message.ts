import type { OperatorNotice, Severity } from '#lib/events/operator-notice.ts';

/**
 * Turns a notice into a Slack Block Kit message that always fits Slack's limits, truncating with
 * an ellipsis rather than being rejected: header text ≤ 150 characters, section text ≤ 3,000,
 * ≤ 10 fields a section of ≤ 2,000 each, ≤ 10 context elements, ≤ 50 blocks, and the message's
 * `text` ≤ 40,000 (it is the fallback shown in notifications, so it is kept far shorter:
 * `FALLBACK_TEXT_KEPT`).
 *
 * Lengths are counted in UTF-16 code units (JavaScript's `length`), never fewer than the
 * characters Slack counts; a cut never splits a surrogate pair or an escape (`&amp;`), and a link
 * is never cut (its label is). Facts past what 50 blocks can hold are summed up in one line, so
 * the severity, target and actor always show.
 */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  blocks: 50,
  fallbackText: 40_000,
} as const;

/** What the fallback `text` keeps: the title and the start of the text are what a notification shows. */
export const FALLBACK_TEXT_KEPT = 3000;
/** A fact's label is a short name; a longer one is cut so its value keeps most of the field. */
const FACT_LABEL_KEPT = 200;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export type Text = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: Text }
  | { type: 'section'; text?: Text; fields?: Text[] }
  | { type: 'context'; elements: Text[] };

export const ICONS: Record<Severity, string> = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' };

export function noticeToSlack(notice: OperatorNotice): SlackMessage {
  const title = notice.title.trim() === '' ? `Notice (${notice.severity})` : notice.title;
  const header: SlackBlock = { type: 'header', text: { type: 'plain_text', text: truncate(title, SLACK_LIMITS.headerText), emoji: true } };
  const text: SlackBlock[] =
    notice.text.trim() === '' ? [] : [{ type: 'section', text: mrkdwn(escape(notice.text), SLACK_LIMITS.sectionText) }];
  const link = linkBlock(notice.link);
  const context: SlackBlock = {
    type: 'context',
    elements: [
      `${ICONS[notice.severity]} ${notice.severity}`,
      notice.target && `target: ${escape(notice.target)}`,
      notice.actor && `by: ${escape(notice.actor)}`,
    ]
      .filter((part): part is string => Boolean(part))
      .slice(0, SLACK_LIMITS.contextElements)
      .map((part) => mrkdwn(part, SLACK_LIMITS.fieldText)),
  };

  // Fact sections take the blocks the others leave; past that, one line says how many are not shown.
  const factSections = chunks(notice.facts, SLACK_LIMITS.fieldsPerSection);
  const room = SLACK_LIMITS.blocks - (2 + text.length + link.length);
  const shown = factSections.length <= room ? factSections : factSections.slice(0, room - 1);
  const hidden = notice.facts.length - shown.reduce((count, section) => count + section.length, 0);
  const facts: SlackBlock[] = shown.map((section) => ({ type: 'section', fields: section.map(field) }));
  if (hidden > 0) facts.push({ type: 'context', elements: [mrkdwn(`…and ${hidden} more ${hidden === 1 ? 'fact' : 'facts'} not shown`, SLACK_LIMITS.fieldText)] });

  const fallback = `${ICONS[notice.severity]} ${escape(title)}${notice.text.trim() === '' ? '' : ` — ${escape(notice.text)}`}`;
  return { text: truncateEscaped(fallback, FALLBACK_TEXT_KEPT), blocks: [header, ...text, ...facts, ...link, context] };
}

function field(fact: { label: string; value: string }): Text {
  const head = `*${truncateEscaped(escape(fact.label), FACT_LABEL_KEPT)}*\n`;
  return { type: 'mrkdwn', text: head + truncateEscaped(escape(fact.value), SLACK_LIMITS.fieldText - head.length) };
}

/** `<url|label>` with the label cut to fit; a URL too long for a section (the contract allows ≤ 2,000) is left out. */
function linkBlock(link: OperatorNotice['link']): SlackBlock[] {
  if (!link) return [];
  const room = SLACK_LIMITS.sectionText - link.url.length - 3;
  if (room < 1) return [];
  // The URL is checked by the contract (https, no spaces, |, < or >), so only the label needs escaping.
  return [{ type: 'section', text: { type: 'mrkdwn', text: `<${link.url}|${truncateEscaped(escape(link.text), room)}>` } }];
}

export function mrkdwn(text: string, limit: number): Text {
  return { type: 'mrkdwn', text: truncateEscaped(text, limit) };
}

/** Slack mrkdwn needs &, < and > escaped, or user text could forge links and mentions. */
export function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** At most `limit` UTF-16 code units, ending in `…` when cut; a surrogate pair is never split. */
export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${head(text, limit - 1)}…`;
}

/** As `truncate`, for escaped text: a cut never leaves half an escape (`&am…`). */
export function truncateEscaped(text: string, limit: number): string {
  // After escape(), every & starts an entity, so a trailing & without its ; is a cut one.
  return text.length <= limit ? text : `${head(text, limit - 1).replace(/&[a-z]*$/, '')}…`;
}

function head(text: string, units: number): string {
  const last = text.charCodeAt(units - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? units - 1 : units);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
