import { actorSchema, auditEntrySchema, type Actor, type AuditEntry } from '#lib/audit/entry.ts';
import type { OperatorNotice } from '#lib/events/operator-notice.ts';
import type { Delivery } from './slack-webhook.ts';

/**
 * The audit entry of a notice Slack would not take, so the history shows what operators were
 * never told. It is keyed by the EventBridge event (id and time), so a Lambda retry of the same
 * event addresses the same item and is recorded once. The webhook URL is not in it: a delivery's
 * reason never holds it (lib/notify/slack-webhook.ts).
 */
export const UNDELIVERED_TARGET = 'notifier/slack';
export const NOTIFIER_ACTOR: Actor = 'service:euc-autopilot';

export interface NotifyingEventRef {
  /** The EventBridge event id: the audit entry's idempotency id. */
  id: string;
  /** The EventBridge event's `time`, epoch ms. */
  at: number;
  correlationId: string;
}

export function undeliveredEntry(
  notice: OperatorNotice,
  delivery: Extract<Delivery, { delivered: false }>,
  event: NotifyingEventRef,
): AuditEntry {
  const target = auditEntrySchema.shape.target.safeParse(notice.target);
  const actor = actorSchema.safeParse(notice.actor);
  return {
    target: target.success ? target.data : UNDELIVERED_TARGET,
    kind: 'notification-undelivered',
    actor: actor.success ? actor.data : NOTIFIER_ACTOR,
    reason: cap(`Slack did not take "${notice.title}" after ${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'}: ${delivery.reason}`, 4000),
    error: cap(delivery.reason, 4000),
    correlationId: cap(event.correlationId, 512),
    at: event.at,
    id: event.id,
  };
}

function cap(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
