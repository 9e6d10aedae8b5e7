import { z } from 'zod';
import { operatorNotice, severities, type Severity } from '#lib/events/operator-notice.ts';
import {
  escape,
  FALLBACK_TEXT_KEPT,
  ICONS,
  mrkdwn,
  noticeToSlack,
  SLACK_LIMITS,
  truncate,
  truncateEscaped,
  type SlackBlock,
  type SlackMessage,
} from './slack-message.ts';

/**
 * A Slack digest: the capacity notices of one correlation id (one capacity tick: `tick-<scheduled
 * event id>`, which every Capacity Changed / Deferred / Failed and Scaling Conflict of that tick
 * carries) gathered into one message, so a tick that scales 12 pools posts "Scaled 12 pools", not
 * 12 messages. The notifier stores the entries (lib/notify/digest-store.ts), `slackDigest` posts
 * them once they have settled (lib/notify/flush-digests.ts); this module is the pure part: what
 * an entry holds and how a digest reads in Slack.
 *
 * A digest of one entry is posted as that entry's own notice, exactly as it would have been alone.
 * A longer one reads: a header counting what happened ("Scaled 11 pools and fleets, could not
 * scale 1 pool"), one line per entry (worst severity first, then in the order they happened), at
 * most `DIGEST_LINES_SHOWN` of them, the rest folded into "…and 7 more" with the audit command
 * that lists them all, and a context line with the worst severity, which also picks the webhook.
 * Everything stays within Slack's Block Kit limits (lib/notify/slack-message.ts).
 */

/** What happened to a target, in the order a digest's title names them (the worst first). */
export const digestKinds = ['failed', 'conflict', 'deferred', 'changed', 'dry-run'] as const;
export type DigestKind = (typeof digestKinds)[number];

/** An entry's kind and line, as the notifying event formats it (lib/notify/capacity-notices.ts). */
export interface DigestLine {
  kind: DigestKind;
  /** One line of plain text: what happened to which target, and why (escaped when formatted). */
  line: string;
}

export const digestEntrySchema = z.object({
  /** The EventBridge event's id: an entry is stored once per event, however often it is delivered. */
  id: z.string().min(1),
  /** The EventBridge event's time, epoch ms. */
  at: z.number().int().min(0),
  kind: z.enum(digestKinds),
  line: z.string().min(1),
  /** The notice the event makes on its own: posted as is when it is the digest's only entry. */
  notice: operatorNotice.dataSchema,
});
export type DigestEntry = z.infer<typeof digestEntrySchema>;

export interface Digest {
  correlationId: string;
  /** When the notifier stored its first entry, epoch ms: the digest settles from then. */
  firstAt: number;
  entries: DigestEntry[];
}

/** Lines a digest message shows; the rest are counted ("…and 7 more"). */
export const DIGEST_LINES_SHOWN = 20;
/** A line's length in the message (after escaping): a reason or an error longer than that is cut. */
export const DIGEST_LINE_KEPT = 300;

/** Lines in the fallback `text` (what notifications show). */
const FALLBACK_LINES = 3;

/** A digest as it is posted: the message, the severity that picks its webhook, and its title. */
export interface DigestPost {
  severity: Severity;
  title: string;
  message: SlackMessage;
}

const BULLETS: Record<Severity, string> = { info: '•', warning: ICONS.warning, critical: ICONS.critical };

export function digestToSlack(digest: Digest): DigestPost {
  const { entries } = digest;
  const [only] = entries;
  if (entries.length === 1 && only) return { severity: only.notice.severity, title: only.notice.title, message: noticeToSlack(only.notice) };

  const severity = worstSeverity(entries);
  const title = digestTitle(entries);
  const shown = [...entries].sort(worstFirst).slice(0, DIGEST_LINES_SHOWN);
  const lines = shown.map((entry) => `${BULLETS[entry.notice.severity]} ${truncateEscaped(escape(oneLine(entry.line)), DIGEST_LINE_KEPT)}`);
  const hidden = entries.length - shown.length;

  const header: SlackBlock = { type: 'header', text: { type: 'plain_text', text: truncate(title, SLACK_LIMITS.headerText), emoji: true } };
  const sections: SlackBlock[] = packed(lines, SLACK_LIMITS.sectionText).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
  const fold: SlackBlock[] =
    hidden > 0
      ? [{ type: 'context', elements: [mrkdwn(`…and ${hidden} more; \`autopilot audit --since ${sinceOf(entries)}\` has them all`, SLACK_LIMITS.fieldText)] }]
      : [];
  const context: SlackBlock = {
    type: 'context',
    elements: [`${ICONS[severity]} ${severity}`, `${entries.length} notices`, `correlation: ${escape(digest.correlationId)}`].map((part) =>
      mrkdwn(part, SLACK_LIMITS.fieldText),
    ),
  };
  // What a notification shows: the title and the first lines are enough.
  const preview = shown.slice(0, FALLBACK_LINES).map((entry) => escape(oneLine(entry.line)));
  const fallback = `${ICONS[severity]} ${escape(title)} — ${preview.join('; ')}${entries.length > preview.length ? '; …' : ''}`;
  return { severity, title, message: { text: truncateEscaped(fallback, FALLBACK_TEXT_KEPT), blocks: [header, ...sections, ...fold, context] } };
}

/** "Scaled 12 pools and fleets"; with several kinds, each counted: "Could not scale 1 pool, scaled 11 pools and fleets". */
export function digestTitle(entries: readonly DigestEntry[]): string {
  const phrases = digestKinds
    .map((kind) => entries.filter((entry) => entry.kind === kind))
    .filter((ofKind) => ofKind.length > 0)
    .map((ofKind) => PHRASES[ofKind[0]!.kind](targetsOf(ofKind)));
  return phrases.map((phrase, index) => (index === 0 ? phrase : phrase.charAt(0).toLowerCase() + phrase.slice(1))).join(', ');
}

const PHRASES: Record<DigestKind, (targets: string) => string> = {
  failed: (targets) => `Could not scale ${targets}`,
  conflict: (targets) => `Left ${targets} to another scaler`,
  deferred: (targets) => `Deferred scaling ${targets}`,
  changed: (targets) => `Scaled ${targets}`,
  'dry-run': (targets) => `Dry run: would scale ${targets}`,
};

/** "12 pools", "1 fleet", "12 pools and fleets": the distinct targets of the entries. */
function targetsOf(entries: readonly DigestEntry[]): string {
  const targets = new Set(entries.map((entry) => entry.notice.target ?? entry.id));
  const kinds = new Set([...targets].map((target) => target.split('/')[0]));
  const count = targets.size;
  if (kinds.size === 1 && kinds.has('pool')) return `${count} ${count === 1 ? 'pool' : 'pools'}`;
  if (kinds.size === 1 && kinds.has('fleet')) return `${count} ${count === 1 ? 'fleet' : 'fleets'}`;
  return `${count} pools and fleets`;
}

export function worstSeverity(entries: readonly DigestEntry[]): Severity {
  return entries.reduce<Severity>((worst, entry) => (rank(entry.notice.severity) > rank(worst) ? entry.notice.severity : worst), 'info');
}

function rank(severity: Severity): number {
  return severities.indexOf(severity);
}

/** Worst severity first, then in the order they happened. */
function worstFirst(a: DigestEntry, b: DigestEntry): number {
  return rank(b.notice.severity) - rank(a.notice.severity) || a.at - b.at;
}

/** The lines in as few sections as fit, each at most `limit` long (a line is far shorter than a section). */
function packed(lines: readonly string[], limit: number): string[] {
  const sections: string[] = [];
  for (const line of lines) {
    const last = sections.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= limit) sections[sections.length - 1] = `${last}\n${line}`;
    else sections.push(line);
  }
  return sections;
}

/** A line break in a reason would break the list: every run of white space becomes one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The minute of the digest's first entry, as `autopilot audit --since` takes it: 2026-11-23T06:01Z. */
function sinceOf(entries: readonly DigestEntry[]): string {
  const first = Math.min(...entries.map((entry) => entry.at));
  return `${new Date(first).toISOString().slice(0, 16)}Z`;
}
