import { z } from 'zod';
import { defineDomainEvent } from './domain-event.ts';

/**
 * "Tell the operators": something people should read, with its severity. The notifier turns it
 * into one Slack message. Producers keep the text human: what happened, why, before → after, who.
 */
export const severities = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof severities)[number];

/**
 * A link Slack can show as `<url|text>`: https, and free of the characters that would end the
 * link early or forge another one.
 */
export const linkUrlSchema = z
  .url({ protocol: /^https$/ })
  .max(2000)
  .refine((url) => !/[\s|<>]/.test(url), 'must not contain spaces, |, < or >');

export const operatorNotice = defineDomainEvent(
  'Operator Notice',
  1,
  z.object({
    severity: z.enum(severities),
    title: z.string().min(1).max(500),
    text: z.string().max(20_000),
    /** Short label/value pairs shown side by side (target, before → after, actor …). */
    facts: z.array(z.object({ label: z.string().min(1), value: z.string() })).max(50).default([]),
    /** The resource concerned, e.g. `pool/wspool-abc123def` or `fleet/office-apps`. */
    target: z.string().optional(),
    /** Who caused it: a principal ARN, `euc-autopilot`, or an operator's name. */
    actor: z.string().optional(),
    /** Where to look (the target's console page…); optional, so notices without one stay valid. */
    link: z.object({ url: linkUrlSchema, text: z.string().min(1).max(200) }).optional(),
  }),
);

export type OperatorNotice = z.infer<typeof operatorNotice.dataSchema>;
